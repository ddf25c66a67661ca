"""Edits never lose text: a post longer than one Slack input is edited in parts or kept as it
is, and a field sent back as the form showed it is never rewritten."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import ProposeRequest
from bot.domain import Person
from tests.conftest import NOW
from tests.slack.harness import SlackWorkspace, form_values
from tests.support import worst_case

NURSE = Person("slack", "U_NURSE", "nora")


def propose(slack: SlackWorkspace, text: str, notes: str | None = None) -> int:
    request = ProposeRequest(
        channels=("x-main",), when=NOW + timedelta(days=2), text=text, notes=notes
    )
    post = slack.workflow.propose(request, by=NURSE)
    assert slack.workflow.get(post.id).thread is not None  # the thread was opened in Slack
    return post.id


def open_edit_form(slack: SlackWorkspace, post_id: int) -> dict:
    slack.click("U_NURSE", "edit", post_id)
    return slack.last_view()


def test_a_4999_character_post_whose_time_alone_changed_keeps_all_4999_characters(slack):
    post_id = propose(slack, worst_case.TEXT_4999)
    before = slack.workflow.get(post_id)
    assert len(before.content.text) == 4_999
    view = open_edit_form(slack, post_id)
    values = form_values(view)
    values["time"]["time"]["selected_time"] = "15:30"

    response = slack.submit("U_NURSE", view, values)

    assert response.status_code == 200 and response.text in ("", "null")
    after = slack.workflow.get(post_id)
    assert after.revision.number == 2
    assert after.content.text == before.content.text
    assert after.content.scheduled_at != before.content.scheduled_at


def test_a_60000_character_post_is_not_put_in_the_form_and_an_edit_keeps_it_whole(slack):
    post_id = propose(slack, worst_case.TEXT_60000)
    before = slack.workflow.get(post_id)
    view = open_edit_form(slack, post_id)
    values = form_values(view)
    values["time"]["time"]["selected_time"] = "15:30"

    slack.submit("U_NURSE", view, values)

    assert "60,000 characters, more than a Slack form can hold" in str(view["blocks"])
    after = slack.workflow.get(post_id)
    assert after.revision.number == 2
    assert after.content.text == before.content.text


def test_editing_the_second_part_of_a_long_text_changes_exactly_that_part(slack):
    post_id = propose(slack, worst_case.TEXT_4999)
    before = slack.workflow.get(post_id).content.text
    view = open_edit_form(slack, post_id)
    values = form_values(view)
    second = values["text_2"]["text_2"]["value"]
    values["text_2"]["text_2"]["value"] = second + " Walk-ins welcome."

    slack.submit("U_NURSE", view, values)

    assert slack.workflow.get(post_id).content.text == before + " Walk-ins welcome."


def test_a_field_the_form_sent_back_unchanged_does_not_undo_a_newer_revision(slack):
    post_id = propose(slack, "Flu shots on Monday", notes="Checked with the front desk")
    view = open_edit_form(slack, post_id)
    # Meanwhile the proposer changes the notes another way (another tab, the console).
    slack.workflow.revise(post_id, NURSE, notes="Dates confirmed by Dr. Lee")
    values = form_values(view)
    values["text"]["text"]["value"] = "Flu shots on Tuesday"

    slack.submit("U_NURSE", view, values)

    after = slack.workflow.get(post_id).content
    assert after.text == "Flu shots on Tuesday"
    assert after.notes == "Dates confirmed by Dr. Lee"


def shortcut(slack: SlackWorkspace, text: str) -> None:
    slack.interaction(
        {
            "type": "message_action",
            "callback_id": "propose_from_message",
            "trigger_id": slack.next_id("trigger."),
            "response_url": slack.api.response_url(slack.next_id("shortcut")),
            "team": {"id": "T_CLINIC", "domain": "clinic"},
            "channel": {"id": "C_GENERAL", "name": "general"},
            "user": {"id": "U_NURSE", "username": "nora", "name": "nora"},
            "message": {"type": "message", "user": "U_NURSE", "ts": "1.2", "text": text},
            "message_ts": "1.2",
        }
    )


def test_a_5000_character_message_is_proposed_from_the_shortcut_whole(slack):
    text = worst_case.long_text(5_000, "Open Saturday 9-1 🩺 walk-ins welcome. ")
    shortcut(slack, text)
    view = slack.last_view()
    values = form_values(view)
    values["channels"]["channels"]["selected_options"] = [
        {"text": {"type": "plain_text", "text": "x-main"}, "value": "x-main"}
    ]
    values["date"]["date"]["selected_date"] = "2026-11-27"
    values["time"]["time"]["selected_time"] = "09:00"

    slack.submit("U_NURSE", view, values)

    posts = slack.workflow.my_posts(NURSE)
    assert len(posts) == 1 and posts[0].content.text == text


def test_a_message_longer_than_the_form_is_refused_with_a_sentence_not_cut(slack):
    shortcut(slack, worst_case.long_text(20_000))

    assert slack.api.called("views.open") == []
    assert "20,000 characters, more than a Slack form can hold" in slack.last_reply()
