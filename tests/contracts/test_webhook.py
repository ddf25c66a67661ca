"""The generic webhook against a receiver that checks signatures as the module documents."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from adapters.publishers.base import CheckFailed
from adapters.publishers.webhook import OUTCOMES, WebhookPublisher
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Recorded, Reply

SECRET = "whsec-SECRET-value"
REPLIES = {
    **COMMON_REPLIES,
    "200": Reply(200, {"id": "evt_1", "url": "https://intranet.example/news/1"}),
    "400": Reply(400, {"error": "unknown channel"}),
}


def verifying_receiver(request: Recorded) -> Reply:
    """What a receiver following the module's contract does."""
    stamp = request.header("x-clearpost-timestamp") or ""
    mac = hmac.new(SECRET.encode(), stamp.encode() + b"." + request.body, hashlib.sha256)
    good = hmac.compare_digest(
        request.header("x-clearpost-signature") or "", "sha256=" + mac.hexdigest()
    )
    fresh = abs(time.time() - int(stamp or 0)) < 300
    return Reply(200, {"id": "evt_9"}) if good and fresh else Reply(401, {"error": "bad signature"})


def _hook(standin, secret: str = SECRET, **options) -> WebhookPublisher:
    return WebhookPublisher(
        channel_at(
            standin,
            "webhook",
            "hook",
            {"signing_secret": secret},
            url=f"{standin.base_url}/in",
            **options,
        )
    )


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_from_the_receiver_becomes_the_outcome_in_the_table(standin, row):
    standin.script("POST", "/in", REPLIES[row.when])

    result = _hook(standin).publish(job_for("hook"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert SECRET not in result.message and "Flu shots" not in result.message


def test_a_receiver_that_checks_the_signature_accepts_the_delivery(standin):
    standin.respond("POST", "/in", verifying_receiver)

    result = _hook(standin).publish(job_for("hook", link="https://c.example"))

    (request,) = standin.requests
    assert request.header("idempotency-key") == "clearpost-7-hook-abababab"
    assert request.json() == {
        "event": "post.publish",
        "post_id": 7,
        "channel": "hook",
        "text": "Flu shots from Monday",
        "media": [],
        "media_alt": [],
        "link": "https://c.example",
        "revision_hash": "ab" * 32,
        "idempotency_key": "clearpost-7-hook-abababab",
        "scheduled_at": "2026-11-26T14:00:00Z",
    }
    assert result == Published("evt_9", None)


def test_the_receiver_gets_each_media_items_alt_text_in_step_with_the_media(standin):
    standin.respond("POST", "/in", verifying_receiver)
    media = ("https://c.example/a.jpg", "https://c.example/b.jpg")

    _hook(standin).publish(job_for("hook", media=media, media_alt=("", "Opening hours")))

    body = standin.requests[0].json()
    assert (body["media"], body["media_alt"]) == (list(media), ["", "Opening hours"])


def test_a_different_secret_is_refused_and_check_says_to_compare_secrets(standin):
    standin.respond("POST", "/in", verifying_receiver)
    hook = _hook(standin, secret="not-the-same")

    assert hook.publish(job_for("hook")).kind == "permanent"
    with pytest.raises(CheckFailed, match="same signing secret"):
        hook.check()


def test_a_receiver_that_dedupes_makes_a_lost_answer_safe_to_resend(standin):
    standin.script("POST", "/in", Reply(drop=True))

    result = _hook(standin, receiver_dedupes="true").publish(job_for("hook"))

    assert result.kind == "transient"


def test_check_sends_a_signed_ping_that_publishes_nothing(standin):
    standin.respond("POST", "/in", verifying_receiver)

    assert _hook(standin).check() == "receiver at 127.0.0.1 accepted a signed ping"
    assert standin.requests[0].json() == {"event": "ping"}
