"""Fixtures shared by every test: databases (SQLite and a real PostgreSQL), people, a workflow."""

from __future__ import annotations

import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from bot.channels import ChannelTable
from bot.domain import Person
from bot.policies import ApprovalPolicy
from bot.workflow import Workflow
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sqlmodel_repo import SqlUnitOfWorkFactory
from tests.fakes import FakeNotifier, FixedClock
from tests.pg_server import PostgresServer, create_database, wait_until_ready

ZONE = ZoneInfo("America/New_York")
# A Wednesday afternoon in New York, before the November DST change is long past.
NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
CHANNELS = {
    "x-main": "x",
    "facebook-clinic": "facebook",
    "instagram-clinic": "instagram",
    "linkedin-clinic": "linkedin",
    "blog": "wordpress",
}

# Every table the migrations made (consent, …), read from the database so none is forgotten.
_USER_TABLES = text(
    "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
    "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
)

# Tests that read or wait on time (the `clock` marker): scripts/test.sh runs them again with the
# wall clock a year ahead and across both US daylight-saving changes.
_HERE = Path(__file__).parent
CLOCK_SENSITIVE = [
    _HERE / "unit" / "test_timeparse.py",
    _HERE / "workflow",
    _HERE / "scheduling",
    _HERE / "slack",
    _HERE / "teams",
    _HERE / "console",
    _HERE / "e2e",
    _HERE / "blackbox",
    _HERE / "export" / "test_ics_feed.py",
    _HERE / "export" / "test_cli_export.py",
    _HERE / "contracts" / "test_cli_channels.py",
    _HERE / "credentials",
]


def pytest_configure(config: pytest.Config) -> None:
    """A shifted run whose clock is not shifted would pass while proving nothing: stop it."""
    shift = os.environ.get("TEST_CLOCK_SHIFT_SECONDS")
    if not shift:
        return
    with tempfile.NamedTemporaryFile() as probe:
        kernel_now = os.stat(probe.name).st_mtime  # the file system's clock is never shifted
    if abs(time.time() - kernel_now - float(shift)) > 60:
        raise pytest.UsageError(
            "TEST_CLOCK_SHIFT_SECONDS is set but the clock did not move: put tests/clock_shift "
            "on PYTHONPATH (scripts/test.sh does)."
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = Path(str(item.fspath))
        if any(where == p or p in where.parents for p in CLOCK_SENSITIVE):
            item.add_marker(pytest.mark.clock)


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """An entry point run in-process (`main([...])`) configures logging for the whole process:
    undo it, so a later test does not log to a stream pytest has already closed."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in levels.items():
        logging.getLogger(name).setLevel(was)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    given = os.environ.get("CLEARPOST_TEST_POSTGRES_URL")
    if given:
        wait_until_ready(given)
        yield given
        return
    server = PostgresServer()
    try:
        url = server.start()
        wait_until_ready(url)
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_engine(postgres_server_url: str) -> Iterator[Engine]:
    url = create_database(postgres_server_url, f"clearpost_test_{uuid.uuid4().hex[:8]}")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated, empty database: a fresh SQLite file, or the shared PostgreSQL emptied."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'clearpost.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    engine = request.getfixturevalue("postgres_engine")
    with engine.begin() as conn:
        tables = conn.execute(_USER_TABLES).scalar_one()
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def nurse() -> Person:
    return Person("console", "nurse", "Nora Nurse")


@pytest.fixture
def officer() -> Person:
    return Person("console", "officer", "Olga Officer")


@pytest.fixture
def second_officer() -> Person:
    return Person("console", "officer2", "Oscar Officer")


@pytest.fixture
def stranger() -> Person:
    return Person("console", "stranger", "Sam Stranger")


def make_workflow(
    engine: Engine, clock: FixedClock, notifier: FakeNotifier, required: int = 1
) -> Workflow:
    return Workflow(
        uow=SqlUnitOfWorkFactory(engine),
        policy=ApprovalPolicy.of(["console:officer", "console:officer2"], required),
        channels=ChannelTable(CHANNELS),
        clock=clock,
        zone=ZONE,
        notifiers={"console": notifier},
    )


@pytest.fixture
def workflow(engine: Engine, clock: FixedClock, notifier: FakeNotifier) -> Workflow:
    return make_workflow(engine, clock, notifier)
