"""Hostile and broken requests to a running `clearpost serve`: Slack's /slack/events and Teams'
/api/messages. Whatever arrives, the answer is never a 500, nothing is saved, and the server keeps
answering. One server serves every case here; each case checks on its own that no row appeared,
that it left no traceback in the log and that the server still answers, so any case run alone
(or with -k) proves as much as the whole file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest

from tests.blackbox.idle import wait_idle
from tests.blackbox.serve import ServeProcess
from tests.blackbox.slack_people import NURSE, SlackApi, SlackPeople, slack_env
from tests.blackbox.teams_people import TeamsPeople
from tests.standins.bot_connector import BotConnectorStandIn

DEEP = 100_000  # nesting depth: far past any JSON parser's recursion limit


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServeProcess, SlackPeople]]:
    with SlackApi(token="xoxb-blackbox-token") as api:
        env = {**slack_env(api), "CLEARPOST_TEAMS_ENABLED": "1"}
        with ServeProcess(tmp_path_factory.mktemp("hostile"), env) as server:
            slack = SlackPeople(server.url, api)
            yield server, slack
            slack.close()


@pytest.fixture
def server(world: tuple[ServeProcess, SlackPeople]) -> Iterator[ServeProcess]:
    """The shared server, checked after each case: still answering, and what this case made
    it log holds no traceback."""
    server, _ = world
    logged_before = len(server.output())
    yield server
    assert server.http.get("/healthz").status_code == 200, "serve stopped answering"
    wait_idle(server)
    logged = server.output()[logged_before:]
    assert "Traceback" not in logged and "Error handling request" not in logged, logged


@pytest.fixture
def nothing_saved(server: ServeProcess) -> Callable[[], None]:
    """Call at the end of a case: no post appeared. Work that a request starts after its
    acknowledgement is waited for (serve idle) before the rows are counted."""
    before = server.rows("post")

    def check() -> None:
        wait_idle(server)
        assert server.rows("post") == before, "a hostile request created a post"

    return check


@pytest.fixture
def slack(world: tuple[ServeProcess, SlackPeople], server: ServeProcess) -> SlackPeople:
    return world[1]


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def interaction(payload: object) -> str:
    return urlencode({"payload": json.dumps(payload)})


SIGNED_SLACK_BODIES: dict[str, tuple[bytes | str, str]] = {
    "non-UTF-8 bytes": (
        b"command=/propose&text=\xff\xfe\xfa&user_id=U1",
        "application/x-www-form-urlencoded",
    ),
    "deeply nested JSON event": (nested(DEEP), "application/json"),
    "deeply nested interaction payload": (
        "payload=" + nested(DEEP),
        "application/x-www-form-urlencoded",
    ),
    "JSON that is a list": ("[1, 2, 3]", "application/json"),
    "JSON that is a string": ('"event_callback"', "application/json"),
    "broken JSON": ('{"type": "event_callback", "event": {', "application/json"),
    "a command as text/plain": ("command=%2Fpropose&text=x-main+tomorrow+9am+hi", "text/plain"),
    "a command as XML": ("<command>/propose</command>", "application/xml"),
    "a command as multipart": (
        '--b\r\nContent-Disposition: form-data; name="command"\r\n\r\n/propose\r\n--b--',
        "multipart/form-data; boundary=b",
    ),
    "a command with no user": (
        "command=%2Fpropose&text=x-main+tomorrow+9am+hi&trigger_id=t1",
        "application/x-www-form-urlencoded",
    ),
    "a command with no text": (
        "command=%2Fpropose&user_id=U_NURSE",
        "application/x-www-form-urlencoded",
    ),
    "an empty body": ("", "application/x-www-form-urlencoded"),
    "a payload that is not JSON": ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
    "a payload that is null": ("payload=null", "application/x-www-form-urlencoded"),
    "a payload that is a list": ("payload=%5B1%5D", "application/x-www-form-urlencoded"),
    "block_actions without actions": (
        interaction({"type": "block_actions", "user": {"id": NURSE}}),
        "application/x-www-form-urlencoded",
    ),
    "block_actions with empty actions": (
        interaction({"type": "block_actions", "user": {"id": NURSE}, "actions": []}),
        "application/x-www-form-urlencoded",
    ),
    "approve with a value that is not a post": (
        interaction(
            {
                "type": "block_actions",
                "user": {"id": "U_OFFICER"},
                "actions": [{"action_id": "approve", "value": "drop table"}],
            }
        ),
        "application/x-www-form-urlencoded",
    ),
    "approve with a post that does not exist": (
        interaction(
            {
                "type": "block_actions",
                "user": {"id": "U_OFFICER"},
                "actions": [{"action_id": "approve", "value": "999999:abc"}],
            }
        ),
        "application/x-www-form-urlencoded",
    ),
    "block_actions without a user": (
        interaction(
            {"type": "block_actions", "actions": [{"action_id": "approve", "value": "1:abc"}]}
        ),
        "application/x-www-form-urlencoded",
    ),
    "view_submission without a view": (
        interaction({"type": "view_submission", "user": {"id": NURSE}}),
        "application/x-www-form-urlencoded",
    ),
    "view_submission with an empty state": (
        interaction(
            {
                "type": "view_submission",
                "user": {"id": NURSE},
                "view": {"id": "V1", "callback_id": "propose_modal", "state": {}},
            }
        ),
        "application/x-www-form-urlencoded",
    ),
    "view_submission with values of the wrong type": (
        interaction(
            {
                "type": "view_submission",
                "user": {"id": NURSE},
                "view": {"id": "V2", "callback_id": "propose_modal", "state": {"values": [1, 2]}},
            }
        ),
        "application/x-www-form-urlencoded",
    ),
    "an event callback without an event": (
        json.dumps({"type": "event_callback", "event_id": "Ev1"}),
        "application/json",
    ),
    "a message event without a user": (
        json.dumps(
            {
                "type": "event_callback",
                "event_id": "Ev2",
                "event": {"type": "message", "channel": "C_APPROVALS", "thread_ts": "1.2"},
            }
        ),
        "application/json",
    ),
    "an unknown payload type": (
        interaction({"type": "launch_missiles", "user": {"id": NURSE}}),
        "application/x-www-form-urlencoded",
    ),
    "two megabytes of form": ("text=" + "a" * 2_000_000, "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize(
    "body,content_type", SIGNED_SLACK_BODIES.values(), ids=SIGNED_SLACK_BODIES.keys()
)
def test_a_signed_but_hostile_slack_request_is_refused_without_a_500(
    slack: SlackPeople, nothing_saved: Callable[[], None], body: bytes | str, content_type: str
) -> None:
    response = slack.send(body, content_type)

    assert response.status_code < 500, response.text
    nothing_saved()


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(server: ServeProcess) -> None:
    huge = b"text=" + b"a" * (26 * 1024 * 1024)

    response = server.http.post(
        "/slack/events",
        content=huge,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 413


def test_an_unsigned_hostile_slack_request_is_a_401(slack: SlackPeople) -> None:
    response = slack.send(nested(DEEP), "application/json", signature="")

    assert response.status_code == 401


def test_a_slack_url_verification_is_answered_with_its_challenge(slack: SlackPeople) -> None:
    body = json.dumps({"type": "url_verification", "token": "t", "challenge": "c-123"})

    response = slack.send(body, "application/json")

    assert response.status_code == 200
    assert "c-123" in response.text


@pytest.fixture
def teams(world: tuple[ServeProcess, SlackPeople], server: ServeProcess) -> Iterator[TeamsPeople]:
    with BotConnectorStandIn() as connector:
        people = TeamsPeople(server.url, connector)
        yield people
        people.close()


def _activity(teams: TeamsPeople, **changes: object) -> dict[str, object]:
    activity = teams.message(teams.nurse, "propose x-main tomorrow 9am Flu shots are in!")
    for key, value in changes.items():
        if value is None:
            activity.pop(key, None)
        else:
            activity[key] = value
    return activity


TEAMS_BODIES: dict[str, tuple[str, str]] = {
    "not JSON": ("{not json", "application/json"),
    "JSON that is a list": ("[1, 2]", "application/json"),
    "JSON that is a number": ("42", "application/json"),
    "deeply nested JSON": (nested(DEEP), "application/json"),
    "an activity without a type": (
        '{"text": "propose x-main tomorrow 9am hi"}',
        "application/json",
    ),
    "the right JSON as text/plain": ('{"type": "message", "text": "hi"}', "text/plain"),
    "form-encoded": ("type=message&text=hi", "application/x-www-form-urlencoded"),
    "non-UTF-8 bytes": ('{"type": "message", "text": "\udcff"}', "application/json"),
}


@pytest.mark.parametrize("body,content_type", TEAMS_BODIES.values(), ids=TEAMS_BODIES.keys())
def test_a_malformed_teams_request_is_a_4xx(
    teams: TeamsPeople, nothing_saved: Callable[[], None], body: str, content_type: str
) -> None:
    raw = body.encode("utf-8", errors="surrogateescape")

    response = teams.http.post("/api/messages", content=raw, headers={"Content-Type": content_type})

    assert 400 <= response.status_code < 500, response.text
    nothing_saved()


MALFORMED_ACTIVITIES = {
    "no conversation": {"conversation": None},
    "no sender": {"from": None},
    "no service URL": {"serviceUrl": None},
    "a conversation that is a string": {"conversation": "19:abc"},
    "a sender that is a list": {"from": [1, 2]},
    "text that is an object": {"text": {"propose": "x-main"}},
    "an unknown activity type": {"type": "launchMissiles"},
}


@pytest.mark.parametrize("changes", MALFORMED_ACTIVITIES.values(), ids=MALFORMED_ACTIVITIES.keys())
def test_a_malformed_teams_activity_is_refused_and_saves_nothing(
    teams: TeamsPeople, nothing_saved: Callable[[], None], changes: dict[str, object]
) -> None:
    response = teams.send(_activity(teams, **changes))

    assert response.status_code < 500, response.text
    nothing_saved()


MALFORMED_INVOKES = {
    "a card action without a value": None,
    "a card action that is a string": "approve",
    "a card action without data": {"action": {"type": "Action.Execute", "verb": "approve"}},
    "a card action on a post that does not exist": {
        "action": {"type": "Action.Execute", "verb": "approve", "data": {"post_id": 99999}}
    },
    "a card action with a post id that is not a number": {
        "action": {"type": "Action.Execute", "verb": "approve", "data": {"post_id": "x; drop"}}
    },
    "an unknown verb": {"action": {"type": "Action.Execute", "verb": "launch", "data": {}}},
}


@pytest.mark.parametrize("value", MALFORMED_INVOKES.values(), ids=MALFORMED_INVOKES.keys())
def test_a_malformed_card_action_is_answered_without_a_500(
    teams: TeamsPeople, nothing_saved: Callable[[], None], value: object
) -> None:
    activity = teams.invoke(teams.officer, "adaptiveCard/action", value)

    response = teams.send(activity)

    assert response.status_code < 500, response.text
    nothing_saved()


def test_the_server_still_works_after_every_hostile_request(
    server: ServeProcess, slack: SlackPeople
) -> None:
    for body, content_type in SIGNED_SLACK_BODIES.values():
        slack.send(body, content_type)
    slack.send(nested(DEEP), "application/json", signature="")
    for body, content_type in TEAMS_BODIES.values():
        raw = body.encode("utf-8", errors="surrogateescape")
        server.http.post("/api/messages", content=raw, headers={"Content-Type": content_type})
    before = server.rows("post")

    slack.propose(NURSE, "x-main tomorrow 9am Flu shots are in!")

    slack.wait_reply(rf"post #{before + 1} ")
    assert server.rows("post") == before + 1
