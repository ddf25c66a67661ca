"""The shared outcome mapping, against a real stand-in: what each kind of answer becomes."""

from __future__ import annotations

import email.utils

import pytest

from adapters.publishers.base import (
    ChannelConfig,
    MissingCredential,
    failed_for_status,
    http_client,
    media_problems,
    retry_after_seconds,
    secret_variable,
    send,
)
from bot.ports import Failed
from tests.contracts.conftest import channel_at
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

EXPECTED_KIND = {
    "401": "permanent",
    "403": "permanent",
    "429": "transient",
    "5xx": "transient",
    "timeout": "unknown",
    "lost": "unknown",
}


def _attempt(server: StandIn, config: ChannelConfig, idempotent: bool = False) -> object:
    with http_client(config, "https://unused.invalid") as http:
        answer = send(config, lambda: http.post("/post", json={"x": 1}), idempotent=idempotent)
    if isinstance(answer, Failed):
        return answer
    return failed_for_status(config, answer)


@pytest.mark.parametrize(("when", "kind"), sorted(EXPECTED_KIND.items()))
def test_each_common_answer_becomes_its_kind_of_failure(standin, when, kind):
    standin.script("POST", "/post", COMMON_REPLIES[when])
    config = channel_at(standin, "mastodon", "mastodon-clinic")

    result = _attempt(standin, config)

    assert isinstance(result, Failed)
    assert result.kind == kind
    assert "mastodon-clinic" in result.message


def test_a_refused_token_tells_people_to_run_channels_check(standin):
    standin.script("POST", "/post", COMMON_REPLIES["401"])

    result = _attempt(standin, channel_at(standin, "x", "x-main"))

    assert result.message == (
        "X refused the credentials for `x-main` (HTTP 401). Run `clearpost channels check`; "
        "to sign in again, `clearpost channels connect x-main`."
    )


def test_a_rate_limit_carries_the_wait_the_network_asked_for(standin):
    standin.script("POST", "/post", COMMON_REPLIES["429"])

    result = _attempt(standin, channel_at(standin, "x", "x-main"))

    assert result.retry_after == 42
    assert "in 42 s" in result.message


def test_a_lost_connection_is_safe_to_retry_when_the_network_honours_an_idempotency_key(
    standin,
):
    standin.script("POST", "/post", COMMON_REPLIES["lost"])

    result = _attempt(standin, channel_at(standin, "mastodon", "m"), idempotent=True)

    assert result.kind == "transient"


def test_nothing_listening_is_transient_because_nothing_was_sent():
    server = StandIn().start()
    config = channel_at(server, "x", "x-main")
    server.stop()

    result = _attempt(server, config)

    assert result.kind == "transient"


def test_retry_after_reads_seconds_http_dates_and_x_reset_epochs():
    now = 1_800_000_000.0
    date = email.utils.formatdate(now + 90, usegmt=True)

    assert retry_after_seconds({"retry-after": "12"}, now) == 12
    assert retry_after_seconds({"retry-after": date}, now) == pytest.approx(90)
    assert retry_after_seconds({"x-rate-limit-reset": str(int(now) + 300)}, now) == 300
    assert retry_after_seconds({}, now) is None


def test_a_missing_secret_names_the_variable_to_set():
    config = ChannelConfig("x-main", "x", {}, {})

    with pytest.raises(MissingCredential) as raised:
        config.secret("access_token", "access token")

    assert "CLEARPOST_X_MAIN_ACCESS_TOKEN" in str(raised.value)
    assert secret_variable("x-main", "access_token") == "CLEARPOST_X_MAIN_ACCESS_TOKEN"


def test_media_checks_say_what_is_missing_and_what_is_the_wrong_type():
    config = ChannelConfig("instagram-clinic", "instagram", {}, {})

    assert media_problems(config, [], required="an image or a video") == [
        "instagram-clinic: Instagram needs an image or a video; none is attached."
    ]
    assert (
        "media 1 is an unknown file type"
        in media_problems(config, ["https://cdn.example/flyer.pdf"])[0]
    )
    assert media_problems(config, ["https://cdn.example/flyer.JPG?v=2"]) == []


def test_the_stand_in_records_exactly_what_was_sent(standin):
    standin.script("POST", "/post", Reply(201, {"id": "9"}))
    config = channel_at(standin, "webhook", "hook")

    with http_client(config, "https://unused.invalid") as http:
        http.post("/post?a=1", json={"text": "hi"}, headers={"X-Test": "yes"})

    (request,) = standin.requests
    assert (request.method, request.path, request.query) == ("POST", "/post", {"a": ["1"]})
    assert request.header("x-test") == "yes"
    assert request.json() == {"text": "hi"}
