"""The calendar feed's token is its only protection: a short one (a single character was
accepted, and then masked in every log line) or one outside the URL-safe alphabet is a
configuration error that `config check` and start-up name."""

from __future__ import annotations

import pytest

from adapters.cli import load_settings
from adapters.config_report import config_report
from adapters.settings import Settings

pytestmark = pytest.mark.usefixtures("clean_env")


@pytest.mark.parametrize("token", ["a", "short-token", "has spaces in it ok", "ü" * 20, "x" * 129])
def test_a_guessable_or_malformed_feed_token_is_refused(monkeypatch, token):
    monkeypatch.setenv("CLEARPOST_ICS_TOKEN", token)

    valid, report = config_report()

    assert not valid
    assert "✗ CLEARPOST_ICS_TOKEN: must be 16–128 letters, digits, - or _" in report
    if len(token) > 1:
        assert token not in report  # the secret is not echoed
    with pytest.raises(SystemExit, match="CLEARPOST_ICS_TOKEN"):
        load_settings()


def test_a_long_random_token_is_accepted(monkeypatch):
    monkeypatch.setenv("CLEARPOST_ICS_TOKEN", "Zq3-_x" * 4)

    assert Settings().ics_token is not None
