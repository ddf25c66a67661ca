"""Black-box tests: `clearpost serve` as a subprocess, spoken to only over HTTP.

Markers: every test here is `blackbox` (each starts a real process, a second or two apiece);
those that wait for the scheduler's real clock (a minute or more) are also `slow`, so
`-m "not slow"` gives a quick run. Stand-ins run in the test process on 127.0.0.1 port 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests.blackbox.serve import ServeProcess
from tests.blackbox.slack_people import SlackApi, SlackPeople, slack_env
from tests.standins.bot_connector import BotConnectorStandIn
from tests.standins.networks import StandIn

Serve = Callable[..., ServeProcess]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "blackbox: starts `clearpost serve` as a subprocess")
    config.addinivalue_line("markers", "slow: waits for the scheduler's real clock (minutes)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.blackbox)


@pytest.fixture
def slack_api() -> Iterator[SlackApi]:
    with SlackApi(token="xoxb-blackbox-token") as api:
        yield api


@pytest.fixture
def connector() -> Iterator[BotConnectorStandIn]:
    with BotConnectorStandIn() as standin:
        yield standin


@pytest.fixture
def network() -> Iterator[StandIn]:
    """A stand-in social network (scripted per test); long-lived enough for the slow tests."""
    with StandIn(max_requests=100, lifetime=900) as server:
        yield server


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start `clearpost serve` with these variables; every process is stopped at the end."""
    started: list[ServeProcess] = []

    def start(env: Mapping[str, str], *, wait: bool = True) -> ServeProcess:
        process = ServeProcess(tmp_path, env)
        started.append(process)
        return process.start() if wait else process

    yield start
    for process in started:
        process.close()


@pytest.fixture
def slack_serve(
    serve: Serve, slack_api: SlackApi
) -> Callable[..., tuple[ServeProcess, SlackPeople]]:
    """serve with Slack pointed at the Web API stand-in, plus people to act in Slack."""
    people: list[SlackPeople] = []

    def start(**extra: str) -> tuple[ServeProcess, SlackPeople]:
        process = serve({**slack_env(slack_api), **extra})
        person = SlackPeople(process.url, slack_api)
        people.append(person)
        return process, person

    yield start
    for person in people:
        person.close()
