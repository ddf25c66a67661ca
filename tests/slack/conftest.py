"""A Slack workspace around a served Clearpost, one per test (fresh SQLite file, fresh stand-in)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.slack.harness import SlackWorkspace


@pytest.fixture
def slack(tmp_path: Path) -> Iterator[SlackWorkspace]:
    with SlackWorkspace(tmp_path) as workspace:
        yield workspace
