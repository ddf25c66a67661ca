"""Reddit against a stand-in that follows its documented contract: the token endpoint,
POST /api/submit with `api_type=json` (error arrays in a 200) and GET /api/v1/me."""

from __future__ import annotations

import base64

import pytest

from adapters.publishers.reddit import OUTCOMES, RedditPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

TOKEN = Reply(200, {"access_token": "tok-1", "token_type": "bearer", "expires_in": 86400})
SUBMITTED = Reply(
    200,
    {
        "json": {
            "errors": [],
            "data": {
                "url": "https://www.reddit.com/r/clinic/comments/abc12/flu_shots/",
                "id": "abc12",
                "name": "t3_abc12",
            },
        }
    },
)
REPLIES = {
    **COMMON_REPLIES,
    "200": SUBMITTED,
    "errors": Reply(
        200,
        {"json": {"errors": [["SUBREDDIT_NOTALLOWED", "you aren't allowed to post there.", "sr"]]}},
    ),
    "RATELIMIT": Reply(
        200,
        {
            "json": {
                "ratelimit": 512.2,
                "errors": [["RATELIMIT", "you are doing that too much.", "ratelimit"]],
            }
        },
    ),
    "429": Reply(429, body="Too Many Requests", headers={"X-Ratelimit-Reset": "37"}),
}
SECRETS = {"client_id": "cid", "client_secret": "csecret", "refresh_token": "rtok"}


def _publisher(server: StandIn, secrets: dict[str, str] | None = None) -> RedditPublisher:
    server.script("POST", "/api/v1/access_token", TOKEN)
    config = channel_at(
        server,
        "reddit",
        "reddit-clinic",
        SECRETS if secrets is None else secrets,
        subreddit="clinic",
        auth_url=f"{server.base_url}/api/v1/access_token",
    )
    return RedditPublisher(config)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    standin.script("POST", "/api/submit", REPLIES[row.when])

    result = _publisher(standin).publish(job_for("reddit-clinic"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert "reddit-clinic" in result.message
        assert "tok-1" not in result.message and "Flu shots" not in result.message


def test_a_self_post_takes_its_title_from_the_first_line(standin):
    standin.script("POST", "/api/submit", SUBMITTED)

    result = _publisher(standin).publish(job_for("reddit-clinic", "Flu shots\n\nWalk in Monday."))

    token, submit = standin.requests
    assert token.header("authorization") == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert token.form() == {"grant_type": "refresh_token", "refresh_token": "rtok"}
    assert submit.header("authorization") == "bearer tok-1"
    assert submit.header("user-agent").startswith("python:clearpost:")
    assert submit.form() == {
        "api_type": "json",
        "sr": "clinic",
        "title": "Flu shots",
        "resubmit": "true",
        "kind": "self",
        "text": "Walk in Monday.",
    }
    assert result == Published(
        "t3_abc12", "https://www.reddit.com/r/clinic/comments/abc12/flu_shots/"
    )


def test_a_post_with_a_link_is_a_link_submission(standin):
    standin.script("POST", "/api/submit", SUBMITTED)

    _publisher(standin).publish(job_for("reddit-clinic", link="https://clinic.test/flu"))

    form = standin.to("POST", "/api/submit")[0].form()
    assert form["kind"] == "link" and form["url"] == "https://clinic.test/flu"
    assert "text" not in form


def test_the_posting_rate_limit_in_the_body_carries_reddits_wait(standin):
    standin.script("POST", "/api/submit", REPLIES["RATELIMIT"])

    result = _publisher(standin).publish(job_for("reddit-clinic"))

    assert result == Failed(
        "transient", "Reddit is rate limiting `reddit-clinic`; trying again in 512 s.", 512.2
    )


def test_a_refusal_in_the_error_array_reads_as_reddits_own_reason(standin):
    standin.script("POST", "/api/submit", REPLIES["errors"])

    result = _publisher(standin).publish(job_for("reddit-clinic"))

    assert result == Failed(
        "permanent",
        "Reddit refused the post for `reddit-clinic`: you aren't allowed to post there.",
    )


def test_the_request_rate_limit_waits_the_seconds_in_x_ratelimit_reset(standin):
    standin.script("POST", "/api/submit", REPLIES["429"])

    result = _publisher(standin).publish(job_for("reddit-clinic"))

    assert isinstance(result, Failed) and result.retry_after == 37.0


def test_the_token_is_reused_until_it_expires(standin):
    standin.script("POST", "/api/submit", SUBMITTED)
    publisher = _publisher(standin)

    publisher.publish(job_for("reddit-clinic"))
    publisher.publish(job_for("reddit-clinic"))

    assert len(standin.to("POST", "/api/v1/access_token")) == 1


def test_a_refused_refresh_token_says_to_connect_the_channel_again(standin):
    standin.script("POST", "/api/v1/access_token", Reply(200, {"error": "invalid_grant"}))
    config = channel_at(
        standin,
        "reddit",
        "reddit-clinic",
        SECRETS,
        subreddit="clinic",
        auth_url=f"{standin.base_url}/api/v1/access_token",
    )

    result = RedditPublisher(config).publish(job_for("reddit-clinic"))

    assert result == Failed(
        "permanent",
        "Reddit refused to renew the access token of `reddit-clinic` (invalid_grant, HTTP 200), "
        "so nothing was posted: the account was disconnected or the token revoked. To fix it, "
        "run `clearpost channels connect reddit-clinic`, then Retry.",
    )
    assert standin.to("POST", "/api/submit") == []


def test_a_script_app_signs_in_with_username_and_password(standin):
    standin.script("POST", "/api/submit", SUBMITTED)
    secrets = {"client_id": "cid", "client_secret": "cs", "username": "u", "password": "p"}

    _publisher(standin, secrets).publish(job_for("reddit-clinic"))

    form = standin.to("POST", "/api/v1/access_token")[0].form()
    assert form == {"grant_type": "password", "username": "u", "password": "p"}


def test_missing_credentials_name_the_variable_to_set(standin):
    result = _publisher(standin, {}).publish(job_for("reddit-clinic"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "CLEARPOST_REDDIT_CLINIC_REFRESH_TOKEN" in result.message


def test_check_names_the_account_and_subreddit(standin):
    standin.script("GET", "/api/v1/me", Reply(200, {"name": "clinic_bot"}))

    assert _publisher(standin).check() == "u/clinic_bot posting to r/clinic"


def _content(text: str, **changes: object) -> Content:
    fields: dict = {"text": text, "channels": ("reddit-clinic",), "scheduled_at": WHEN}
    fields.update(changes)
    return Content(**fields)


def test_validate_limits_the_title_line_to_300_characters(standin):
    publisher = _publisher(standin)

    problems = publisher.validate("reddit-clinic", _content("t" * 301 + "\nbody"))

    assert problems == [
        "reddit-clinic: 301 title characters as Reddit counts them, but Reddit allows 300. "
        "Shorten it or add a `reddit-clinic` override."
    ]


def test_validate_warns_that_a_link_post_drops_the_body(standin):
    publisher = _publisher(standin)

    problems = publisher.validate(
        "reddit-clinic", _content("Flu shots\nmore words", link="https://clinic.test")
    )

    assert len(problems) == 1 and "only a title" in problems[0]
