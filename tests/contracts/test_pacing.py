"""Proactive rate limits: each channel spends its network's documented budget in-process, and a
spent budget answers "transient, try again in N s" without calling the network."""

from __future__ import annotations

import importlib

import pytest

from adapters.publishers.base import Pacer, RateLimit, secret_variable
from adapters.publishers.registry import NETWORK_PUBLISHERS, build_publishers
from adapters.settings import ChannelSettings
from bot.ports import Failed, Published
from tests.contracts.conftest import job_for
from tests.standins.networks import Reply, StandIn

HOOK = "/workflows/abc/triggers/manual/paths/invoke"


class Clock:
    """Seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_budget_lets_its_calls_through_then_says_how_long_until_the_oldest_ages_out():
    clock = Clock()
    pacer = Pacer([RateLimit(3, 60, "test")], clock)

    answers = []
    for step in (0, 10, 10):
        clock.now += step
        answers.append(pacer.take())
    clock.now += 5
    refused = pacer.take()

    assert answers == [None, None, None]
    assert refused == pytest.approx(35.0)  # the first call (at +0) leaves the window at +60


def test_a_refused_take_spends_nothing_and_the_slot_returns_when_the_window_moves_on():
    clock = Clock()
    pacer = Pacer([RateLimit(1, 1, "test")], clock)

    assert pacer.take() is None
    assert pacer.take() is not None
    assert pacer.take() is not None
    clock.now += 1.0

    assert pacer.take() is None


def test_every_budget_counts_and_the_longest_wait_wins():
    clock = Clock()
    pacer = Pacer([RateLimit(10, 1, "burst"), RateLimit(2, 3600, "hourly")], clock)

    pacer.take()
    clock.now += 5
    pacer.take()
    clock.now += 5

    assert pacer.take() == pytest.approx(3590.0)


def test_a_network_without_documented_figures_is_never_paced():
    pacer = Pacer([], Clock())

    assert all(pacer.take() is None for _ in range(1000))


def _teams_channel(server: StandIn, clock: Clock):
    channels = {"staff-teams": ChannelSettings(network="teams", timeout_seconds=0.5)}
    environ = {secret_variable("staff-teams", "webhook_url"): f"{server.base_url}{HOOK}"}
    return build_publishers(channels, environ=environ, clock=clock)["staff-teams"]


def test_a_spent_budget_fails_transient_with_the_wait_and_sends_nothing(standin):
    standin.script("POST", HOOK, Reply(202))
    clock = Clock()
    teams = _teams_channel(standin, clock)  # Teams documents 4 per second per webhook

    results = [teams.publish(job_for("staff-teams", post_id=n)) for n in range(5)]

    assert all(isinstance(r, Published) for r in results[:4])
    assert results[4] == Failed(
        "transient",
        "Clearpost is pacing `staff-teams` to stay within the rate limit Teams documents; "
        "trying again in 1 s.",
        1.0,
        sent=False,
    )
    assert len(standin.requests) == 4


def test_a_paced_channel_publishes_again_once_its_window_has_moved_on(standin):
    standin.script("POST", HOOK, Reply(202))
    clock = Clock()
    teams = _teams_channel(standin, clock)
    for n in range(5):
        teams.publish(job_for("staff-teams", post_id=n))

    clock.now += 1.0
    result = teams.publish(job_for("staff-teams", post_id=9))

    assert isinstance(result, Published)
    assert len(standin.requests) == 5


def test_channels_are_paced_apart_so_one_busy_channel_does_not_hold_back_another(standin):
    standin.script("POST", HOOK, Reply(202))
    clock = Clock()
    channels = {name: ChannelSettings(network="teams", timeout_seconds=0.5) for name in ("a", "b")}
    environ = {secret_variable(n, "webhook_url"): f"{standin.base_url}{HOOK}" for n in "ab"}
    publishers = build_publishers(channels, environ=environ, clock=clock)

    for n in range(4):
        publishers["a"].publish(job_for("a", post_id=n))

    assert isinstance(publishers["b"].publish(job_for("b")), Published)
    assert publishers["a"].publish(job_for("a", post_id=5)).kind == "transient"


@pytest.mark.parametrize("network", sorted(NETWORK_PUBLISHERS))
def test_each_documented_figure_names_its_source(network):
    module_name, _, class_name = NETWORK_PUBLISHERS[network].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)

    for limit in getattr(cls, "rate_limits", ()):
        assert limit.calls > 0 and limit.per_seconds > 0
        assert limit.source.strip()
