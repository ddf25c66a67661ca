"""`[audit]` settings as `config check` shows them: the key hidden, a weak key refused."""

from __future__ import annotations

import pytest

from adapters.config_report import config_report
from adapters.settings import Settings

pytestmark = pytest.mark.usefixtures("clean_env")


def test_the_audit_key_is_a_known_setting_and_never_shown(monkeypatch):
    monkeypatch.setenv("CLEARPOST_AUDIT_KEY", "a-long-audit-key-nobody-guesses")
    monkeypatch.setenv("CLEARPOST_AUDIT_RETENTION_YEARS", "7")

    ok, report = config_report()

    assert ok and Settings().audit.retention_years == 7
    assert "a-long-audit-key-nobody-guesses" not in report
    assert "CLEARPOST_AUDIT_KEY is not a Clearpost setting" not in report


def test_the_retention_defaults_to_hipaas_six_years():
    assert Settings().audit.retention_years == 6


def test_a_short_audit_key_is_refused_with_how_to_make_one(monkeypatch):
    monkeypatch.setenv("CLEARPOST_AUDIT_KEY", "short")

    ok, report = config_report()

    assert not ok
    assert "must be at least 16 bytes; make one with" in report
