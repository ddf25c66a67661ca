"""Fixtures for the Teams adapter: the connector stand-in, the served app, activities."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.bot_connector import BotConnectorStandIn
from tests.support.teams_activities import Activities
from tests.teams.card_checks import assert_activity_ok
from tests.teams.harness import ServedTeams, served_teams


@pytest.fixture
def connector() -> Iterator[BotConnectorStandIn]:
    """The connector stand-in; afterwards every card the bot sent is checked against its
    declared Adaptive Card schema and every message against the size budget."""
    with BotConnectorStandIn() as standin:
        yield standin
    for call in standin.calls:
        assert_activity_ok(call.body)


@pytest.fixture
def teams_clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def teams(tmp_path, monkeypatch, teams_clock, connector) -> Iterator[ServedTeams]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    with served_teams(tmp_path, clock=teams_clock) as served:
        yield served


@pytest.fixture
def acts(connector: BotConnectorStandIn) -> Activities:
    return Activities(connector.url)
