"""Starting `clearpost serve`: it answers /healthz, or it refuses bad settings with a sentence."""

from __future__ import annotations

import socket

import pytest

from tests.blackbox.serve import ServeProcess, free_port
from tests.blackbox.slack_people import slack_env


def test_a_started_server_answers_the_health_check_with_nothing_in_hand(serve):
    server = serve({})

    response = server.http.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"ok": True, "busy": 0}


def test_teams_without_an_app_id_says_loudly_that_it_is_unauthenticated(serve):
    server = serve({"CLEARPOST_TEAMS_ENABLED": "1"})

    assert "WITHOUT AUTHENTICATION" in server.output()
    assert server.http.get("/healthz").status_code == 200


BAD_SETTINGS = {
    "an unknown time zone": ({"CLEARPOST_TIMEZONE": "Mars/Olympus"}, "CLEARPOST_TIMEZONE"),
    "channels written wrongly": ({"CLEARPOST_CHANNELS": "x-main"}, "CLEARPOST_CHANNELS"),
    "an unknown network": ({"CLEARPOST_CHANNELS": "x-main=myspace"}, "myspace"),
    "approvers without a platform": ({"CLEARPOST_APPROVERS": "U024BE7LH"}, "platform:user_id"),
    "a port out of range": ({"CLEARPOST_HTTP_PORT": "70000"}, "CLEARPOST_HTTP_PORT"),
}


@pytest.mark.parametrize("env,named", BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_bad_settings_stop_serve_with_a_sentence_naming_them(tmp_path, env, named):
    server = ServeProcess(tmp_path, env)

    status = server.run_to_exit()

    assert status != 0
    assert named in server.output()
    assert "Traceback" not in server.output()


def test_slack_without_an_approval_channel_is_refused_with_what_to_set(tmp_path, slack_api):
    env = slack_env(slack_api)
    env.pop("SLACK_APPROVAL_CHANNEL")
    server = ServeProcess(tmp_path, env)

    status = server.run_to_exit()

    assert status != 0
    assert "SLACK_APPROVAL_CHANNEL is not set" in server.output()
    assert "Traceback" not in server.output()


def test_slack_without_a_signing_secret_is_refused_with_what_to_set(tmp_path, slack_api):
    env = slack_env(slack_api)
    env.pop("SLACK_SIGNING_SECRET")
    server = ServeProcess(tmp_path, env)

    status = server.run_to_exit()

    assert status != 0
    assert "SLACK_SIGNING_SECRET is not set" in server.output()
    assert "Traceback" not in server.output()


def test_an_unreachable_slack_api_is_refused_naming_slack_api_url(tmp_path, slack_api):
    env = {**slack_env(slack_api), "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/"}
    server = ServeProcess(tmp_path, env)

    status = server.run_to_exit()

    assert status != 0
    assert "SLACK_API_URL" in server.output()
    assert "Traceback" not in server.output()


def test_a_bot_token_slack_refuses_is_refused_naming_the_token(tmp_path, slack_api):
    env = {**slack_env(slack_api), "SLACK_BOT_TOKEN": "xoxb-revoked"}
    server = ServeProcess(tmp_path, env)

    status = server.run_to_exit()

    assert status != 0
    assert "SLACK_BOT_TOKEN" in server.output()
    assert "Traceback" not in server.output()


def test_a_port_already_taken_is_refused_with_a_sentence(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = ServeProcess(tmp_path, {"CLEARPOST_HTTP_PORT": str(port)})

        status = server.run_to_exit()

    assert status != 0
    assert "address already in use" in server.output().lower()
    assert "Traceback" not in server.output()
