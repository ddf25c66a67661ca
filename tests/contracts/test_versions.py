"""The pinned API versions and their sunsets (adapters/publishers/versions.py).

The rule is checked on made-up rows against a "today" the test chooses, and the real table
against the suite's fixed NOW and the day each row was read from the network's docs. One test,
the last, reads the real date on purpose: the reminder to move a pin before its sunset.
"""

from __future__ import annotations

from datetime import date

import pytest

from adapters.publishers.base import ChannelConfig, failed_for_status, http_client, send
from adapters.publishers.versions import PINNED, SUNSET_MARGIN, PinnedVersion, near_sunset
from bot.ports import Failed
from tests.conftest import NOW
from tests.contracts.conftest import channel_at
from tests.standins.networks import Reply

TODAY = date(2026, 11, 29)  # a "today" of this test's own, not the wall clock


def _row(sunset: date) -> PinnedVersion:
    return PinnedVersion("linkedin", "209901", sunset, "made up for this test", TODAY)


def test_a_version_thirty_days_or_less_from_its_sunset_is_flagged():
    assert SUNSET_MARGIN.days == 30
    rows = [_row(date(2026, 12, 29)), _row(date(2026, 12, 28)), _row(date(2026, 11, 1))]

    assert near_sunset(TODAY, rows) == rows  # 30 days, 29 days, already past


def test_a_version_thirty_one_days_from_its_sunset_is_not_flagged():
    assert near_sunset(TODAY, [_row(date(2026, 12, 30))]) == []


def test_the_retired_linkedin_version_would_have_been_flagged():
    """202510, pinned until this change, ended on 15 Oct 2026 (the issue's finding)."""
    retired = PinnedVersion(
        "linkedin", "202510", date(2026, 10, 15), "the migrations page", date(2026, 11, 29)
    )

    assert near_sunset(TODAY, [retired]) == [retired]


@pytest.mark.parametrize("row", PINNED, ids=[f"{row.network} {row.version}" for row in PINNED])
def test_every_pinned_version_has_more_than_thirty_days_left_on_the_suites_today(row):
    """Against the suite's fixed NOW (2026-11-25) and the day the row was read from the docs.
    When this fails, move the pin: read the network's migration guide, then update the row."""
    for today in (NOW.date(), row.checked):
        assert near_sunset(today, [row]) == [], (
            f"{row.network} {row.version} ends {row.sunset} ({row.source}); "
            f"on {today} that is within {SUNSET_MARGIN.days} days"
        )


def test_every_row_says_where_its_date_comes_from_and_when_it_was_read():
    for row in PINNED:
        assert row.source and row.checked <= row.sunset


def _answer(config: ChannelConfig) -> Failed:
    with http_client(config, "https://unused.invalid") as http:
        answer = send(config, lambda: http.post("/post", json={}))
    return answer if isinstance(answer, Failed) else failed_for_status(config, answer)


@pytest.mark.parametrize("status", [426, 410])
def test_a_retired_api_version_asks_for_an_update_instead_of_blaming_the_post(standin, status):
    standin.script("POST", "/post", Reply(status, {"message": "Upgrade Required"}))
    config = channel_at(standin, "wordpress", "blog")

    result = _answer(config)

    assert result.kind == "permanent"
    assert "Clearpost needs an update" in result.message
    assert "refused the post" not in result.message and "`blog`" in result.message


@pytest.mark.parametrize("row", PINNED, ids=[f"{row.network} {row.version}" for row in PINNED])
def test_no_pinned_version_is_within_thirty_days_of_its_sunset_today(row):
    """The one test that reads the real date, on purpose: it is the reminder that goes red in CI
    30 days before a network retires the version we send, while there is time to move the pin.
    It is not among the `clock` tests, so the shifted-clock runs do not see it."""
    today = date.today()
    assert near_sunset(today, [row]) == [], (
        f"{row.network} {row.version} ends {row.sunset} ({row.source}): move the pin now"
    )
