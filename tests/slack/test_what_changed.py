"""An edit's thread reply in Slack says what changed, so the reviewer need not re-read the post."""

from __future__ import annotations

from tests.slack.harness import proposal_values, reason_values


def test_an_edit_shows_the_words_and_time_that_changed_in_the_thread(slack):
    post_id = slack.propose(
        "U_NURSE", "x,facebook tomorrow 9am Flu shots are in! Walk-ins welcome."
    )
    thread = slack.workflow.get(post_id).thread
    slack.click("U_OFFICER", "request_changes", post_id)
    slack.submit("U_OFFICER", slack.last_view(), reason_values("Name the clinic"))

    slack.click("U_NURSE", "edit", post_id)
    slack.submit(
        "U_NURSE",
        slack.last_view(),
        proposal_values(
            ["x-main"], "2026-11-26", "10:00", "Flu shots are in at Elm St! Walk-ins welcome."
        ),
    )

    reply = [
        c.params
        for c in slack.api.succeeded("chat.postMessage")
        if c.params.get("thread_ts") == thread.ts
    ][-1]
    diff = reply["blocks"][1]["text"]
    assert diff["type"] == "plain_text"  # the post's words, never read as mrkdwn
    assert diff["text"].splitlines() == [
        "Text: 4 word(s) added, 1 removed",
        '  "in!" → "in at Elm St!"',
        "Time: Thu 26 Nov 2026 09:00 EST → Thu 26 Nov 2026 10:00 EST",
        "Channels: − facebook-clinic",
    ]
