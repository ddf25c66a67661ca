"""Connecting accounts against stand-in authorization servers, with the callback served by
Clearpost's real web app on 127.0.0.1 and a "browser" (httpx) following the redirects."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from adapters.bootstrap import build_core
from adapters.connect.connector import Connector
from adapters.credentials.keys import new_key
from adapters.settings import Settings
from storage.credentials import SqlCredentialStore
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.networks import StandIn
from tests.support.served import ServedCore


@dataclass
class Install:
    """One Clearpost: its database file, `serve` on 127.0.0.1, and the CLI's connector."""

    settings: Settings
    served: ServedCore
    clock: FixedClock
    db_path: Any
    said: list[str] = field(default_factory=list)

    @property
    def store(self) -> SqlCredentialStore:
        assert self.served.core.credentials is not None
        return self.served.core.credentials

    def connector(self, *, public: bool = True) -> Connector:
        settings = self.settings.model_copy(
            update={"public_base_url": self.served.url if public else None}
        )
        return Connector(settings, self.store, self.clock)


def browser_follows(url: str) -> httpx.Response:
    """The person's browser: opens the authorization URL and follows every redirect."""
    with httpx.Client(follow_redirects=True, timeout=10.0, max_redirects=5) as browser:
        return browser.get(url)


def browser_lands_on(url: str) -> str:
    """The browser of a console-only install: the address it is sent back to (not loaded)."""
    with httpx.Client(follow_redirects=False, timeout=10.0) as browser:
        answer = browser.get(url)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


class ApprovingBrowser:
    """A `say` for run_connect: when it prints the authorization URL, a browser (in a thread,
    as the CLI waits) follows it; `page()` is where it ended, once it has."""

    def __init__(self, said: list[str]) -> None:
        self.said = said
        self.pages: list[httpx.Response] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, line: str) -> None:
        self.said.append(line)
        if line.startswith("  http"):
            url = line.strip()
            thread = threading.Thread(
                target=lambda: self.pages.append(browser_follows(url)), daemon=True
            )
            self.threads.append(thread)
            thread.start()

    def page(self) -> httpx.Response:
        for thread in self.threads:
            thread.join(15)
        return self.pages[0]


@pytest.fixture
def server() -> Iterator[StandIn]:
    with StandIn() as standin:
        yield standin


@pytest.fixture
def install_for(tmp_path) -> Iterator[Callable[..., Install]]:
    made: list[ServedCore] = []

    def make(channels: dict[str, dict[str, Any]]) -> Install:
        db = tmp_path / "clearpost.db"
        settings = Settings(database_url=f"sqlite:///{db}", secret_key=new_key(), channels=channels)
        clock = FixedClock(NOW)
        served = ServedCore(build_core(settings, clock=clock)).__enter__()
        made.append(served)
        return Install(settings, served, clock, db)

    yield make
    for served in made:
        served.__exit__(None, None, None)
