"""manifest.yaml and the code agree: every command, shortcut, event and action has a handler and
every handler is reachable, and the bot scopes are exactly what the Web API calls need."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from adapters.slack import blocks, full_post, ids, listeners
from adapters.slack.consent import consent_modal
from bot.domain import Content, DeliveryState, Person, State, new_post
from bot.screening import Finding, Place, PostFinding

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yaml").read_text())
SOURCES = sorted((ROOT / "adapters" / "slack").glob("*.py"))
ZONE = ZoneInfo("America/New_York")

# Web API method (slack-sdk name) -> the bot scopes it needs. A call missing here fails the test,
# so a new call cannot ship without deciding its scope.
METHOD_SCOPES: dict[str, set[str]] = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_getPermalink": set(),
    "views_open": set(),
    "views_publish": set(),
    "views_update": set(),
    "usergroups_list": {"usergroups:read"},
    "usergroups_users_list": {"usergroups:read"},
    "conversations_open": {"im:write"},
    "files_upload_v2": {"files:write"},
    "files_info": {"files:read"},
    "users_info": {"users:read", "users:read.email"},  # profile e-mail: one person across apps
}
# Scopes that no Web API call needs but a feature does.
FEATURE_SCOPES = {
    "commands": "slash commands and the message shortcut",
    "channels:history": "message.channels: replies in a public approval thread",
    "groups:history": "message.groups: replies in a private approval thread",
    "files:read": "the proposal modal's file_input, file_shared and plan downloads",
}
API_CALL = re.compile(r"\.((?:chat|views|usergroups|conversations|files|users|reactions)_\w+)\(")


def methods_called() -> set[str]:
    return {m for path in SOURCES for m in API_CALL.findall(path.read_text())}


# A finding of a patient's name: the parent then offers "Record consent".
NAME_FINDING = PostFinding(
    Finding(0, 6, "name", "high", "a patient named", "remove the name"), Place(), "Thiago"
)


def post_in(state: State, text: str = "Hi") -> Any:
    content = Content(text, ("x-main",), datetime(2026, 12, 1, 14, tzinfo=UTC))
    when = datetime(2026, 11, 25, tzinfo=UTC)
    post = new_post(
        content,
        Person("slack", "U1", "nora"),
        when,
        problems=[NAME_FINDING.sentence()],
        findings=[NAME_FINDING],
    )
    post.id, post.state = 1, state
    return post


def rendered_action_ids() -> set[str]:
    """Every button of every parent message, whatever the post's and its delivery's state."""
    found: set[str] = set()
    for state in State:
        for delivery_state in DeliveryState:
            post = post_in(state, text="a" * 5_000)  # clipped: "Show full post" too
            post.deliveries["x-main"].state = delivery_state
            for block in blocks.parent_blocks(post, ZONE):
                found |= {
                    # A button repeated per channel carries ":<channel>" after its listener's id.
                    e["action_id"].split(ids.ACTION_SUFFIX)[0]
                    for e in block.get("elements", [])
                    if "action_id" in e
                }
    full = full_post.full_post_view(post_in(State.IN_REVIEW, text="a" * 30_000), page=1)
    found |= {e.get("action_id") for b in full["blocks"] for e in b.get("elements", [])} - {None}
    return found


def test_every_slash_command_in_the_manifest_has_a_listener_and_back():
    commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}

    assert commands == set(listeners.COMMANDS)


def test_every_shortcut_in_the_manifest_has_a_listener_and_back():
    shortcuts = {s["callback_id"] for s in MANIFEST["features"]["shortcuts"]}

    assert shortcuts == set(listeners.SHORTCUTS)


def test_every_subscribed_event_has_a_listener_and_back():
    events = {e.split(".")[0] for e in MANIFEST["settings"]["event_subscriptions"]["bot_events"]}

    assert events == set(listeners.EVENTS)


def test_every_button_clearpost_shows_has_a_listener_and_every_action_listener_a_button():
    assert rendered_action_ids() == set(listeners.ACTIONS)


def test_every_modal_clearpost_opens_has_a_submission_listener():
    post = post_in(State.IN_REVIEW)
    opened = {
        blocks.reason_modal(post, ids.ACTION_REJECT, {})["callback_id"],
        blocks.proposal_modal(
            callback_id=ids.VIEW_PROPOSE,
            title="t",
            submit="s",
            channels=["x-main"],
            zone=ZONE,
            private_metadata={},
        )["callback_id"],
        ids.VIEW_EDIT,  # the same builder, opened by on_edit_clicked
        blocks.reschedule_modal(post, "x-main", {})["callback_id"],
        consent_modal(post, {})["callback_id"],
    }

    assert opened == set(listeners.VIEWS)


def test_every_listener_method_exists():
    tables = [listeners.COMMANDS, listeners.SHORTCUTS, listeners.ACTIONS, listeners.VIEWS]
    names = [n for table in [*tables, listeners.EVENTS] for n in table.values()]

    assert all(callable(getattr(listeners.SlackListeners, n, None)) for n in names)


def test_the_scopes_cover_every_web_api_method_the_code_calls_and_no_more():
    called = methods_called()
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])

    assert called - set(METHOD_SCOPES) == set(), "add the new method to METHOD_SCOPES"
    needed = set().union(*(METHOD_SCOPES[m] for m in called))
    assert needed <= scopes
    assert scopes == needed | set(FEATURE_SCOPES)


def test_commands_interactivity_and_events_all_point_at_the_one_request_url():
    settings = MANIFEST["settings"]
    urls = {c["url"] for c in MANIFEST["features"]["slash_commands"]}
    urls |= {settings["interactivity"]["request_url"]}
    urls |= {settings["event_subscriptions"]["request_url"]}

    assert settings["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert {u.rsplit("/", 2)[-2:] == ["slack", "events"] for u in urls} == {True}
