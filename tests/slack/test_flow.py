"""Proposing, reviewing and deciding in Slack, driven by signed requests as Slack sends them."""

from __future__ import annotations

from bot.domain import State
from tests.slack.harness import APPROVALS, SlackWorkspace, proposal_values, reason_values


def parent_updates(slack: SlackWorkspace) -> list[dict]:
    return [c.params for c in slack.api.succeeded("chat.update")]


def action_ids(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_one_line_proposal_opens_an_approval_thread_and_confirms_with_its_link(slack):
    post_id = slack.propose("U_NURSE", "x,facebook tomorrow 9am Flu shots are in!")

    parent = slack.api.succeeded("chat.postMessage")[0].params
    assert parent["channel"] == APPROVALS
    assert action_ids(parent["blocks"]) == [
        "approve",
        "request_changes",
        "reject",
        "edit",
        "withdraw",
    ]
    shown = str(parent["blocks"])
    assert "Flu shots are in!" in shown and "<@U_NURSE>" in shown
    assert "<!date^1795701600^" in shown  # Thu 26 Nov 09:00 EST, in each reader's own zone
    assert "https://clinic.slack.com/archives/C_APPROVALS/" in slack.last_reply()
    post = slack.workflow.get(post_id)
    assert post.state is State.IN_REVIEW and post.channels == ("x-main", "facebook-clinic")


def test_approving_updates_the_parent_replies_in_the_thread_and_tells_the_proposer(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    thread = slack.workflow.get(post_id).thread

    slack.click("U_OFFICER", "approve", post_id)

    assert slack.workflow.get(post_id).state is State.APPROVED
    update = parent_updates(slack)[-1]
    assert update["ts"] == thread.ts and "Approved" in str(update["blocks"])
    assert "approve" not in action_ids(update["blocks"])
    assert slack.api.thread_replies(thread.ts) == [
        "Approved by olga. It will publish Thu 26 Nov 2026 09:00 EST."
    ]
    dm = slack.api.direct_messages("U_NURSE")[-1]
    assert "Approved by olga" in dm and thread.url in dm


def test_request_changes_then_edit_then_approval_again(slack):
    post_id = slack.propose("U_NURSE", "x,facebook tomorrow 9am Flu shots are in!")
    thread = slack.workflow.get(post_id).thread

    slack.click("U_OFFICER", "request_changes", post_id)
    slack.submit("U_OFFICER", slack.last_view(), reason_values("Name the clinics"))

    assert slack.workflow.get(post_id).state is State.CHANGES_REQUESTED
    assert slack.api.thread_replies(thread.ts)[-1] == "olga asked for changes: Name the clinics"
    assert "Name the clinics" in slack.api.direct_messages("U_NURSE")[-1]

    slack.click("U_NURSE", "edit", post_id)
    edit_view = slack.last_view()
    prefilled = str(edit_view["blocks"])
    assert "Flu shots are in!" in prefilled and "2026-11-26" in prefilled and "09:00" in prefilled
    slack.submit(
        "U_NURSE",
        edit_view,
        proposal_values(
            ["x-main", "facebook-clinic"], "2026-11-26", "09:00", "Flu shots at Elm St and Oak Ave"
        ),
    )

    post = slack.workflow.get(post_id)
    assert post.state is State.IN_REVIEW and post.revision.number == 2
    assert post.content.text == "Flu shots at Elm St and Oak Ave"
    assert (
        "edited the post (revision 2): the text changed" in slack.api.thread_replies(thread.ts)[-1]
    )
    assert "Revision 2 of post" in slack.last_reply()

    slack.click("U_OFFICER", "approve", post_id)

    assert slack.workflow.get(post_id).state is State.APPROVED


def test_an_edit_after_approval_voids_it_and_says_so_in_the_thread(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.click("U_OFFICER", "approve", post_id)
    slack.click("U_NURSE", "edit", post_id)

    slack.submit(
        "U_NURSE",
        slack.last_view(),
        proposal_values(["x-main"], "2026-11-27", "10:00", "Flu shots are in!"),
    )

    post = slack.workflow.get(post_id)
    assert post.state is State.IN_REVIEW and post.live_approvals() == []
    reply = slack.api.thread_replies(post.thread.ts)[-1]
    assert "the time changed" in reply and "approval was voided" in reply


def test_propose_with_no_text_opens_the_modal_and_submitting_it_proposes(slack):
    slack.command("U_NURSE", "")
    view = slack.last_view()
    assert view["callback_id"] == "propose_modal"
    offered = str(view["blocks"])
    assert "x-main" in offered and "facebook-clinic" in offered and "datepicker" in offered

    response = slack.submit(
        "U_NURSE",
        view,
        proposal_values(
            ["blog"], "2026-11-30", "08:30", "Holiday hours", notes="Check dates", urgent=True
        ),
    )

    assert response.status_code == 200 and response.text == ""  # the modal closes
    [post] = slack.workflow.my_posts(slack.workflow.get(1).proposer)
    assert post.channels == ("blog",) and post.urgent and post.content.notes == "Check dates"
    assert "Proposed post #1 for Mon 30 Nov 2026 08:30 EST" in slack.last_reply()


def test_modal_mistakes_come_back_on_their_field_and_nothing_is_saved(slack):
    slack.command("U_NURSE", "")
    view = slack.last_view()

    past = slack.submit("U_NURSE", view, proposal_values(["x-main"], "2026-11-20", "09:00", "Hi"))
    empty = slack.submit("U_NURSE", view, proposal_values([], None, "09:00", "Hi"))

    assert past.json()["response_action"] == "errors"
    assert "past" in past.json()["errors"]["date"]
    assert set(empty.json()["errors"]) == {"channels", "date"}
    assert slack.workflow.calendar(days=30) == []


def test_a_one_line_mistake_says_what_was_wrong_and_shows_an_example(slack):
    slack.command("U_NURSE", "tiktok tomorrow 9am Flu shots")
    unknown = slack.last_reply()
    slack.command("U_NURSE", "x whenever Flu shots")
    no_time = slack.last_reply()

    assert "Unknown channel `tiktok`" in unknown and "x-main" in unknown
    assert "publish time" in no_time and "Example: /propose" in no_time
    assert slack.api.called("chat.postMessage") == []


def test_a_text_too_long_for_a_network_is_shown_to_the_proposer_and_the_reviewers(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am " + "Flu shots are in! " * 20)

    problems = slack.workflow.get(post_id).revision.problems
    assert problems and "280" in problems[0]
    assert "Reviewers will see:" in slack.last_reply()
    assert "280" in str(slack.api.succeeded("chat.postMessage")[0].params["blocks"])


def test_the_message_shortcut_opens_a_modal_prefilled_with_the_message(slack):
    slack.message_shortcut(
        "U_NURSE", {"type": "message", "user": "U_NURSE", "ts": "1.2", "text": "Open Saturday"}
    )

    view = slack.last_view()
    assert view["callback_id"] == "propose_modal"
    assert "Open Saturday" in str(view["blocks"])


def test_replies_in_the_approval_thread_become_review_comments(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    thread = slack.workflow.get(post_id).thread

    slack.thread_reply("U_OFFICER", post_id, "Which clinics?")
    slack.event(  # the bot's own reply and a top-level message are not comments
        {
            "type": "message",
            "channel": thread.channel,
            "user": "U_OFFICER",
            "text": "hello",
            "ts": "1764600000.000100",
        }
    )
    slack.event(
        {
            "type": "message",
            "channel": thread.channel,
            "bot_id": "B_BOT",
            "user": "U_BOT",
            "text": "Approved",
            "ts": "1764600001.000100",
            "thread_ts": thread.ts,
        }
    )

    comments = [e for e in slack.workflow.audit_trail(post_id) if e.action == "commented"]
    assert [(c.actor.ref, c.reason) for c in comments] == [("slack:U_OFFICER", "Which clinics?")]


def test_a_rejection_is_final_and_removes_the_buttons(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", "reject", post_id)
    slack.submit("U_OFFICER", slack.last_view(), reason_values("Mentions a patient"))

    assert slack.workflow.get(post_id).state is State.REJECTED
    assert action_ids(parent_updates(slack)[-1]["blocks"]) == []
    assert "Rejected by olga: Mentions a patient" in slack.api.direct_messages("U_NURSE")[-1]


def test_a_reason_is_required_on_the_modal(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.click("U_OFFICER", "reject", post_id)

    response = slack.submit("U_OFFICER", slack.last_view(), reason_values("  "))

    assert response.json()["errors"] == {"reason": "Say why, for the proposer."}
    assert slack.workflow.get(post_id).state is State.IN_REVIEW


def test_app_home_shows_my_proposals_the_next_days_and_the_approver_queue(slack):
    slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.propose("U_NURSE", "facebook friday 10am Holiday hours")

    slack.event({"type": "app_home_opened", "user": "U_OFFICER", "tab": "home", "channel": "D1"})
    slack.event({"type": "app_home_opened", "user": "U_NURSE", "tab": "home", "channel": "D2"})

    officer_home, nurse_home = (c.params for c in slack.api.called("views.publish"))
    assert officer_home["user_id"] == "U_OFFICER"
    assert "Waiting for your review* (2, oldest first)" in str(officer_home["view"])
    assert "Waiting for your review" not in str(nurse_home["view"])
    assert "*#1*" in str(nurse_home["view"]) and "*#2*" in str(nurse_home["view"])
    assert "The next 14 days* (2 posts)" in str(nurse_home["view"])


def test_calendar_shows_the_next_14_days_to_the_person_only(slack):
    slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.propose("U_NURSE", "x 2026-12-20 09:00 Too far ahead")

    slack.command("U_STRANGER", "", command="/calendar")

    shown = slack.api.called("response_url")[-1].params
    assert shown["response_type"] == "ephemeral"
    assert "Flu shots" in str(shown["blocks"]) and "Too far ahead" not in str(shown["blocks"])


def test_calendar_export_sends_the_workbook_to_the_persons_dm(slack):
    slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.command("U_OFFICER", "export", command="/calendar")

    assert slack.api.called("conversations.open")[-1].params["users"] == "U_OFFICER"
    [upload] = slack.api.called("upload")
    assert upload.params["bytes"] > 1000  # an .xlsx, not an error page
    [complete] = slack.api.called("files.completeUploadExternal")
    assert complete.params["channel_id"] == "D_OFFICER"
    assert complete.params["files"][0]["title"].startswith("Clearpost calendar 2026-11-01")
    assert "Sent the calendar (1 post, 2026-11-01 to 2026-12-31" in slack.last_reply()


def test_calendar_with_anything_else_explains_itself(slack):
    slack.command("U_NURSE", "tomorrow", command="/calendar")

    assert "`/calendar` takes nothing or `export` and a period" in slack.last_reply()
    assert "Example: /calendar export 2026-12 2027-01" in slack.last_reply()


def test_a_bad_export_period_says_how_to_write_one(slack):
    slack.command("U_NURSE", "export someday", command="/calendar")

    assert "“someday” is not a start date I can use." in slack.last_reply()
    assert slack.api.called("files.completeUploadExternal") == []
