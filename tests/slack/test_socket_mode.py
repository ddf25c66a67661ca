"""With SLACK_APP_TOKEN, Slack reaches Clearpost over Socket Mode: no public URL needed."""

from __future__ import annotations

from bot.domain import State
from tests.slack.harness import GENERAL, SlackWorkspace
from tests.slack.socket_standin import SocketModeStandIn
from tests.support.served import ServedApp


def test_socket_mode_takes_slash_commands_without_a_public_url(tmp_path):
    socket = SocketModeStandIn()
    with ServedApp(socket.app) as socket_server:
        workspace = SlackWorkspace(tmp_path, slack_app_token="xapp-1-A1-test")
        workspace.api.socket_url = socket_server.url.replace("http", "ws") + "/link"
        with workspace as slack:
            ack = socket.push(
                "slash_commands",
                {
                    "command": "/propose",
                    "text": "x tomorrow 9am Flu shots are in!",
                    "user_id": "U_NURSE",
                    "user_name": "nora",
                    "team_id": "T_CLINIC",
                    "channel_id": GENERAL,
                    "response_url": slack.api.response_url("socket"),
                    "trigger_id": "trigger.socket",
                },
            )
            assert slack.runtime.wait_idle(10)

            assert "envelope_id" in ack
            [post] = slack.workflow.calendar(days=30)
            assert post.state is State.IN_REVIEW and post.thread is not None
            assert "Proposed post #1" in slack.last_reply()
            assert slack.http.post("/slack/events", content="{}").status_code == 404
