"""What people write and Clearpost posts in the approval thread (a reason, a comment) is escaped:
`<!channel>`, `<!here>` or `<@U…>` in a reason pings nobody. Before, the reason went raw into the
thread reply's text, and the whole channel was pinged."""

from __future__ import annotations

from bot.domain import State
from tests.slack.harness import reason_values

PINGS = "<!channel> <!here> <@U_NURSE> <https://evil.example|the form>"


def test_a_reason_with_mentions_and_links_is_posted_escaped(slack):
    post_id = slack.propose("U_NURSE", "x,facebook tomorrow 9am Flu shots are in!")
    thread = slack.workflow.get(post_id).thread
    assert thread is not None

    slack.click("U_OFFICER", "request_changes", post_id)
    slack.submit("U_OFFICER", slack.last_view(), reason_values(PINGS))

    assert slack.workflow.get(post_id).state is State.CHANGES_REQUESTED
    replies = [
        c.params
        for c in slack.api.succeeded("chat.postMessage")
        if c.params.get("thread_ts") == thread.ts
    ]
    said = replies[-1]
    everything = str(said.get("text")) + str(said.get("blocks"))
    assert "&lt;!channel&gt;" in said["text"]
    for raw in ("<!channel>", "<!here>", "<@U_NURSE>", "<https://evil.example|"):
        assert raw not in everything
    dms = slack.api.direct_messages("U_NURSE")
    assert "<!channel>" not in dms[-1] and "&lt;!channel&gt;" in dms[-1]
