"""Plurk against a stand-in that follows APP/Timeline/plurkAdd and checks the OAuth 1.0a
signature over the form body."""

from __future__ import annotations

import pytest

from adapters.publishers.plurk import OUTCOMES, PlurkPublisher, base36
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn
from tests.standins.oauth1 import oauth_params, signed_correctly

ADD = "/APP/Timeline/plurkAdd"
ADDED = Reply(200, {"plurk_id": 1234567890, "qualifier": ":", "content_raw": "x"})
REPLIES = {
    **COMMON_REPLIES,
    "200": ADDED,
    "400": Reply(400, {"error_text": "anti-flood-same-content"}),
    "40106": Reply(400, {"error_text": "40106:invalid access token"}),
    "flood": Reply(400, {"error_text": "anti-flood-too-many-new"}),
}
SECRETS = {"app_key": "ak", "app_secret": "as", "token": "tk", "token_secret": "tsec"}


def _publisher(server: StandIn, secrets: dict[str, str] | None = None) -> PlurkPublisher:
    config = channel_at(
        server, "plurk", "plurk-clinic", SECRETS if secrets is None else secrets, lang="en"
    )
    return PlurkPublisher(config)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    standin.script("POST", ADD, REPLIES[row.when])

    result = _publisher(standin).publish(job_for("plurk-clinic"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert "plurk-clinic" in result.message
        assert "tk" not in result.message.split() and "Flu shots" not in result.message


def test_a_plurk_is_a_signed_form_with_the_link_appended(standin):
    standin.script("POST", ADD, ADDED)

    result = _publisher(standin).publish(job_for("plurk-clinic", link="https://clinic.test/flu"))

    request = standin.requests[0]
    assert request.form() == {
        "content": "Flu shots from Monday https://clinic.test/flu",
        "qualifier": ":",
        "lang": "en",
    }
    assert oauth_params(request)["oauth_token"] == "tk"
    assert signed_correctly(request, standin.base_url, "as", "tsec")
    assert result == Published("1234567890", f"https://www.plurk.com/p/{base36(1234567890)}")


def test_a_refused_token_says_to_run_channels_check(standin):
    standin.script("POST", ADD, REPLIES["40106"])

    result = _publisher(standin).publish(job_for("plurk-clinic"))

    assert result.message == (
        "Plurk refused the credentials for `plurk-clinic` (HTTP 400). "
        "Run `clearpost channels check`; to sign in again, "
        "`clearpost channels connect plurk-clinic`."
    )


def test_the_same_text_twice_is_refused_with_plurks_reason(standin):
    standin.script("POST", ADD, REPLIES["400"])

    result = _publisher(standin).publish(job_for("plurk-clinic"))

    assert result == Failed(
        "permanent", "Plurk refused the post for `plurk-clinic` (HTTP 400): anti-flood-same-content"
    )


def test_missing_keys_name_the_variable_to_set(standin):
    result = _publisher(standin, {}).publish(job_for("plurk-clinic"))

    assert isinstance(result, Failed) and "CLEARPOST_PLURK_CLINIC_APP_KEY" in result.message


def test_check_names_the_account(standin):
    standin.script(
        "POST", "/APP/Users/me", Reply(200, {"nick_name": "clinic", "display_name": "Clinic"})
    )

    assert _publisher(standin).check() == "Clinic (@clinic)"


def test_permalinks_use_base36_ids():
    assert base36(0) == "0"
    assert base36(35) == "z"
    assert base36(36) == "10"


def test_validate_counts_the_appended_link_against_360_characters(standin):
    content = Content(
        text="a" * 340, channels=("plurk-clinic",), scheduled_at=WHEN, link="https://clinic.test/x"
    )

    problems = _publisher(standin).validate("plurk-clinic", content)

    assert problems == [
        "plurk-clinic: 362 characters as Plurk counts them, but Plurk allows 360. "
        "Shorten it or add a `plurk-clinic` override."
    ]
