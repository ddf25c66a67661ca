"""Fixtures for the dispatcher: a workflow on a real database, fake publishers per channel."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.commands import ProposeRequest
from bot.dispatch import Dispatcher, DispatchPolicy
from bot.domain import Person, Post
from bot.schedule_rules import ScheduleRules
from bot.workflow import Workflow
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory
from tests.conftest import NOW, ZONE
from tests.fakes import FakeNotifier, FakePublisher, FixedClock

DUE = NOW + timedelta(minutes=30)


@pytest.fixture
def x() -> FakePublisher:
    return FakePublisher("x")


@pytest.fixture
def facebook() -> FakePublisher:
    return FakePublisher("facebook")


@pytest.fixture
def publishers(x: FakePublisher, facebook: FakePublisher) -> dict[str, FakePublisher]:
    return {"x-main": x, "facebook-clinic": facebook}


MakeDispatcher = Callable[..., Dispatcher]


@pytest.fixture
def make_dispatcher(
    engine: Engine, clock: FixedClock, workflow: Workflow, publishers: dict[str, FakePublisher]
) -> Iterator[MakeDispatcher]:
    made: list[Dispatcher] = []

    def make(rules: ScheduleRules | None = None, **policy: object) -> Dispatcher:
        dispatcher = Dispatcher(
            uow=SqlDispatchUnitOfWorkFactory(engine),
            publishers=publishers,
            clock=clock,
            tell=workflow.tell,
            zone=ZONE,
            policy=DispatchPolicy(**policy),  # type: ignore[arg-type]
            rules=rules or ScheduleRules(),
        )
        made.append(dispatcher)
        return dispatcher

    yield make
    for dispatcher in made:
        dispatcher.shutdown(timeout=5)


@pytest.fixture
def dispatcher(make_dispatcher: MakeDispatcher) -> Dispatcher:
    return make_dispatcher()


@pytest.fixture
def approved(workflow: Workflow, nurse: Person, officer: Person) -> Callable[..., Post]:
    """Propose and approve a post due at `at` (default DUE) on `channels`."""

    def make(
        at: datetime = DUE,
        channels: tuple[str, ...] = ("x-main", "facebook-clinic"),
        text: str = "Flu shots are in! Walk-ins welcome.",
    ) -> Post:
        post = workflow.propose(ProposeRequest(channels=channels, when=at, text=text), by=nurse)
        return workflow.approve(post.id, officer)

    return make


def thread(notifier: FakeNotifier, post_id: int) -> list[str]:
    return notifier.thread_replies(post_id)
