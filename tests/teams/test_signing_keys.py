"""The keys that sign Teams' requests are fetched with a time limit, off the event loop: when the
metadata host never answers (or cannot be reached), a request to /api/messages is answered 503
within the limit while everything else keeps being served, and once the host answers again the
next request is accepted. Before, botbuilder's blocking fetch had no timeout and stopped the
whole server."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.teams.signing_keys import REFRESH_SECONDS, BoundedOpenIdMetadata
from tests.standins.entra import ISSUER, KID, EntraStandIn
from tests.support.teams_activities import NURSE, Activities
from tests.teams.harness import served_teams

APP_ID = "00000000-0000-0000-0000-0000000000ee"
LIMIT = 1.0  # [teams_cloud] timeout_seconds


@pytest.fixture
def entra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EntraStandIn]:
    with EntraStandIn(tmp_path, APP_ID, secret="secret") as standin:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(standin.ca_file))
        yield standin


def serve(tmp_path: Path, metadata_url: str) -> Any:
    cloud = {"openid_metadata_url": metadata_url, "token_issuer": ISSUER, "timeout_seconds": LIMIT}
    return served_teams(
        tmp_path,
        teams_app_id=APP_ID,
        teams_app_password="secret",
        teams_app_type="MultiTenant",
        teams_cloud=cloud,
    )


def joined(entra: EntraStandIn) -> tuple[dict[str, Any], dict[str, str]]:
    """Someone else joined a personal chat: signed, and needing no answer."""
    service_url = "http://127.0.0.1:9/"
    activity = Activities(service_url).message(NURSE, "")
    activity.update(type="conversationUpdate", membersAdded=[{"id": "29:someone-else"}])
    return activity, {"Authorization": f"Bearer {entra.sign(service_url)}"}


def test_a_metadata_host_that_never_answers_is_a_503_in_bounded_time_and_blocks_nobody(
    tmp_path, entra
):
    entra.hang_metadata = True
    activity, headers = joined(entra)
    with serve(tmp_path, entra.metadata_url) as teams, httpx.Client(timeout=10) as http:
        health = teams.url.replace("/api/messages", "/healthz")
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            started = time.monotonic()
            waiting = pool.submit(http.post, teams.url, json=activity, headers=headers)
            meanwhile = []
            while not waiting.done() and len(meanwhile) < 100:
                asked = time.monotonic()
                answer = httpx.get(health, timeout=5)
                meanwhile.append((answer.status_code, time.monotonic() - asked))
                time.sleep(0.05)
            refused = waiting.result()
            took = time.monotonic() - started
        entra.hang_metadata = False
        accepted = http.post(teams.url, json=activity, headers=headers)

    assert refused.status_code == 503
    assert took < 2 * LIMIT + 2
    assert len(meanwhile) >= 3
    assert all(status == 200 and seconds < LIMIT for status, seconds in meanwhile), meanwhile
    assert accepted.status_code == 202


def test_a_metadata_host_that_cannot_be_reached_is_a_503(tmp_path, entra):
    activity, headers = joined(entra)
    unreachable = "https://127.0.0.1:9/openid"  # the discard port: connection refused

    with serve(tmp_path, unreachable) as teams:
        response = httpx.post(teams.url, json=activity, headers=headers, timeout=10)

    assert response.status_code == 503


def test_keys_a_day_old_are_kept_when_their_refresh_never_answers(entra):
    metadata = BoundedOpenIdMetadata(entra.metadata_url, timeout=LIMIT)
    first = asyncio.run(metadata.get(KID))
    assert metadata.fetched_at is not None
    metadata.fetched_at -= REFRESH_SECONDS + 1  # as if fetched over a day ago
    entra.hang_metadata = True

    started = time.monotonic()
    kept = asyncio.run(metadata.get(KID))

    assert first is not None and kept is not None
    assert kept.endorsements == ["msteams"]
    assert time.monotonic() - started < 2 * LIMIT + 2
