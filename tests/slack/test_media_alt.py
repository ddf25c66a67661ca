"""A media description (alt text) typed in the Slack propose or edit modal: shown in the thread,
screened like the text, an edit of it needs approval again, and it reaches Mastodon as the
upload's `description`, the field POST /api/v2/media documents for it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from adapters.publishers.base import secret_variable
from adapters.slack import ids
from bot.domain import State
from tests.slack.harness import SlackWorkspace, dispatching, form_values, proposal_values
from tests.standins.multipart import multipart_fields
from tests.standins.networks import Reply, StandIn

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
STATUS = {"id": "1093", "url": "https://mastodon.example/@clinic/1093"}
DESCRIBED = "A nurse holding a flu vaccine vial in our waiting room"


@pytest.fixture
def mastodon(monkeypatch) -> Any:
    monkeypatch.setenv(secret_variable("mastodon-clinic", "access_token"), "M-token")
    with StandIn() as server:
        server.script("GET", "/files/clinic.jpg", Reply(200, body=JPEG))
        server.script("POST", "/api/v2/media", Reply(200, {"id": "22", "type": "image"}))
        server.script("POST", "/api/v1/statuses", Reply(200, STATUS))
        yield server


@pytest.fixture
def workspace(tmp_path, mastodon):
    channels = {
        "mastodon-clinic": {
            "network": "mastodon",
            "base_url": mastodon.base_url,
            "media_poll_seconds": 0,
        },
        "x-main": {"network": "x"},
    }
    with SlackWorkspace(tmp_path, channels=channels) as slack:
        yield slack


def propose(slack: SlackWorkspace, photo: str, alt: str) -> int:
    slack.command("U_NURSE", "")
    values = proposal_values(
        ["mastodon-clinic"], "2026-11-26", "09:00", "Flu shots are in!", media_urls=photo
    )
    values[ids.FIELD_MEDIA_ALT] = {ids.FIELD_MEDIA_ALT: {"type": "plain_text_input", "value": alt}}
    slack.submit("U_NURSE", slack.last_view(), values)
    match = re.search(r"post #(\d+)", slack.last_reply())
    assert match, slack.last_reply()
    return int(match.group(1))


def thread_parent_text(slack: SlackWorkspace, post_id: int) -> str:
    """Everything the thread's parent message shows, as last posted or updated."""
    ts = slack.workflow.get(post_id).thread.ts
    sent = [
        c.params
        for c in slack.api.succeeded("chat.postMessage") + slack.api.succeeded("chat.update")
        if c.params.get("ts") == ts or (c.params.get("channel") and not c.params.get("thread_ts"))
    ]
    return json.dumps(sent[-1].get("blocks"), ensure_ascii=False)


def dispatch(slack: SlackWorkspace) -> None:
    real = {p.channel: p.real for p in slack.served.unscripted}["mastodon-clinic"]
    with dispatching(slack, {"mastodon-clinic": real}) as dispatcher:
        dispatcher.dispatch_due()


def test_an_alt_text_typed_in_slack_reaches_mastodon_as_the_media_description(workspace, mastodon):
    post_id = propose(workspace, f"{mastodon.base_url}/files/clinic.jpg", DESCRIBED)
    assert workspace.workflow.get(post_id).revision.problems == ()

    workspace.click("U_OFFICER", "approve", post_id)
    workspace.clock.advance(hours=21, minutes=1)  # just past Thu 09:00 EST
    dispatch(workspace)

    (upload,) = mastodon.to("POST", "/api/v2/media")
    assert multipart_fields(upload) == {"description": DESCRIBED}
    assert mastodon.to("POST", "/api/v1/statuses")[0].json()["media_ids"] == ["22"]
    assert workspace.workflow.get(post_id).state is State.PUBLISHED


def test_the_thread_shows_the_alt_text_and_a_patients_name_in_it_is_a_finding(workspace, mastodon):
    post_id = propose(
        workspace,
        f"{mastodon.base_url}/files/clinic.jpg",
        "Photo of Maria Lopez after her knee replacement",
    )

    shown = thread_parent_text(workspace, post_id)
    assert 'alt text: \\"Photo of Maria Lopez after her knee replacement\\"' in shown
    assert '\\"Maria Lopez\\" (in the alt text of \\"clinic.jpg\\")' in shown


def test_an_alt_text_changed_in_the_edit_modal_needs_approval_again(workspace, mastodon):
    post_id = propose(workspace, f"{mastodon.base_url}/files/clinic.jpg", DESCRIBED)
    workspace.click("U_OFFICER", "approve", post_id)
    assert workspace.workflow.get(post_id).state is State.APPROVED

    workspace.click("U_NURSE", "edit", post_id)
    values = form_values(workspace.last_view())
    assert values[ids.FIELD_MEDIA_ALT][ids.FIELD_MEDIA_ALT]["value"] == DESCRIBED
    values[ids.FIELD_MEDIA_ALT][ids.FIELD_MEDIA_ALT]["value"] = "A nurse and a flu vaccine vial"
    workspace.submit("U_NURSE", workspace.last_view(), values)

    post = workspace.workflow.get(post_id)
    assert post.state is State.IN_REVIEW
    assert post.content.media_alt == ("A nurse and a flu vaccine vial",)
    replies = workspace.api.thread_replies(post.thread.ts)
    assert any("the media descriptions changed" in r and "voided" in r for r in replies)


def test_an_edit_that_leaves_the_alt_text_alone_keeps_it(workspace, mastodon):
    post_id = propose(workspace, f"{mastodon.base_url}/files/clinic.jpg", DESCRIBED)

    workspace.click("U_NURSE", "edit", post_id)
    values = form_values(workspace.last_view())
    values[ids.FIELD_NOTES][ids.FIELD_NOTES]["value"] = "Photo from the Tuesday clinic"
    workspace.submit("U_NURSE", workspace.last_view(), values)

    assert workspace.workflow.get(post_id).content.media_alt == (DESCRIBED,)


def test_an_alt_text_over_mastodons_limit_is_a_problem_with_the_figure(workspace, mastodon):
    post_id = propose(workspace, f"{mastodon.base_url}/files/clinic.jpg", "A nurse " * 200)

    problems = workspace.workflow.get(post_id).revision.problems
    assert any(
        "alt text of media 1 is 1,599 characters, but Mastodon takes at most 1,500" in p
        for p in problems
    ), problems


def test_more_descriptions_than_media_is_an_error_on_the_descriptions_field(workspace, mastodon):
    workspace.command("U_NURSE", "")
    values = proposal_values(["mastodon-clinic"], "2026-11-26", "09:00", "Flu shots are in!")
    values[ids.FIELD_MEDIA_ALT] = {
        ids.FIELD_MEDIA_ALT: {"type": "plain_text_input", "value": "A nurse"}
    }

    response = workspace.submit("U_NURSE", workspace.last_view(), values)

    errors = response.json()["errors"]
    assert "one description per item" in errors[ids.FIELD_MEDIA_ALT]
