"""No publisher logs a post's text or a credential, whatever the network answers."""

from __future__ import annotations

import logging
import re

import pytest

from adapters.publishers.registry import build_publishers
from adapters.settings import ChannelSettings
from tests.contracts.conftest import job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

MARKER = "MARKER-PATIENT-PHRASE"
SECRET = "MARKER-SECRET-TOKEN"
CHANNELS = {
    "x-main": {"network": "x"},
    "mastodon-clinic": {"network": "mastodon"},
    "facebook-clinic": {"network": "facebook", "page_id": "1042"},
    "instagram-clinic": {"network": "instagram", "ig_user_id": "1784"},
    "linkedin-clinic": {"network": "linkedin", "organization_id": "1"},
    "blog": {"network": "wordpress", "username": "u"},
    "hook": {"network": "webhook"},
}
SECRETS = {
    "CLEARPOST_X_MAIN_ACCESS_TOKEN": SECRET,
    "CLEARPOST_MASTODON_CLINIC_ACCESS_TOKEN": SECRET,
    "CLEARPOST_FACEBOOK_CLINIC_PAGE_ACCESS_TOKEN": SECRET,
    "CLEARPOST_INSTAGRAM_CLINIC_ACCESS_TOKEN": SECRET,
    "CLEARPOST_LINKEDIN_CLINIC_ACCESS_TOKEN": SECRET,
    "CLEARPOST_BLOG_APPLICATION_PASSWORD": SECRET,
    "CLEARPOST_HOOK_SIGNING_SECRET": SECRET,
}


@pytest.mark.parametrize("when", ["401", "429", "5xx", "lost", "malformed"])
def test_publishing_never_logs_post_text_or_tokens(standin: StandIn, caplog, when):
    standin.respond("POST", re.compile(".*"), lambda _r: COMMON_REPLIES[when])
    standin.script("GET", "/a.jpg", Reply(200, body=b"jpeg"))
    image = f"{standin.base_url}/a.jpg"
    channels = {
        name: ChannelSettings(
            **options, base_url=standin.base_url, url=f"{standin.base_url}/in", timeout_seconds=0.5
        )
        for name, options in CHANNELS.items()
    }
    publishers = build_publishers(channels, environ=SECRETS)
    caplog.set_level(logging.DEBUG)

    results = [
        publishers[name].publish(job_for(name, text=MARKER, media=(image,)))
        for name in sorted(CHANNELS)
        if name not in ("instagram-clinic",)
    ] + [publishers["instagram-clinic"].publish(job_for("instagram-clinic", text=MARKER))]

    logged = caplog.text + " ".join(str(r) for r in results)
    assert MARKER not in logged
    assert SECRET not in logged
