"""Fixtures for the settings tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Variables of the developer's or CI's environment that would change what Settings reads.
_OWN_PREFIXES = ("CLEARPOST_", "SLACK_", "Microsoft", "TEAMS_")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No Clearpost, Slack or Teams variable set, and no clearpost.toml in the working folder."""
    for name in list(os.environ):
        if name.startswith(_OWN_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
