"""Channel name -> publisher, and the rules the workflow checks proposals with."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.publishers.registry import PublisherChannelRules, build_publishers
from adapters.settings import ChannelSettings
from bot.domain import Content
from bot.ports import Failed
from tests.contracts.conftest import job_for
from tests.standins.networks import StandIn

WHEN = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def _channels(base_url: str) -> dict[str, ChannelSettings]:
    return {
        "x-main": ChannelSettings(network="x", base_url=base_url, timeout_seconds=0.5),
        "plurk-clinic": ChannelSettings(network="plurk"),
    }


def test_a_channel_without_its_secret_fails_permanently_naming_the_variable_and_sends_nothing(
    standin: StandIn,
):
    publishers = build_publishers(_channels(standin.base_url), environ={})

    result = publishers["x-main"].publish(job_for("x-main"))

    assert result == Failed(
        "permanent",
        "`x-main` has no access token: set CLEARPOST_X_MAIN_ACCESS_TOKEN and restart Clearpost.",
    )
    assert standin.requests == []


def test_proposals_are_checked_by_the_publisher_where_there_is_one_else_by_the_simple_table():
    channels = {
        "x-main": ChannelSettings(network="x"),
        "threads-clinic": ChannelSettings(network="threads"),
    }
    rules = PublisherChannelRules(
        {k: v.network for k, v in channels.items()}, build_publishers(channels, environ={})
    )
    content = Content("予" * 150 + "a" * 301, ("x-main", "threads-clinic"), WHEN)

    assert rules.names() == ["threads-clinic", "x-main"]
    assert "weighted characters" in rules.problems("x-main", content)[0]
    assert rules.problems("threads-clinic", content) == []


def test_a_bug_inside_a_publisher_is_reported_as_may_have_posted_not_raised(standin: StandIn):
    publishers = build_publishers(
        _channels(standin.base_url), environ={"CLEARPOST_X_MAIN_ACCESS_TOKEN": "t"}
    )

    result = publishers["x-main"].publish(job_for("x-main", media=(None,)))  # type: ignore[arg-type]

    assert result.kind == "unknown"
    assert "error of its own" in result.message
