"""Two `clearpost serve` replicas on one PostgreSQL database, seen only from the outside.

Each replica runs its own scheduler and sweeps; approvals arrive at both at once, and every
wake-up claims everything due, so the two dispatchers really do compete for the same deliveries.
The stand-in Mastodon holds each call a moment (a claim in flight) and records every request it
receives before answering, so a double publish shows as a second POST even though Mastodon's
Idempotency-Key would have hidden it from readers.

Migrations: replicas starting together on an empty database take turns under an advisory lock;
the schema reaches head once and both come up.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlmodel import SQLModel

import storage.tables  # noqa: F401 - the models register their tables in SQLModel.metadata
from storage.migrate import _LOCK_ID, head_revision
from tests.blackbox.idle import wait_idle
from tests.blackbox.network import STATUSES, Statuses, mastodon_env
from tests.blackbox.serve import ServeProcess, eventually
from tests.blackbox.slack_people import NURSE, OFFICER, SlackApi, SlackPeople, slack_env
from tests.pg_server import create_database
from tests.standins.networks import StandIn

pytestmark = pytest.mark.postgres

POSTS = 8
# Every table the models declare: a migration that forgot one (or a new one) shows here.
TABLES = set(SQLModel.metadata.tables)

Replica = Callable[[str, dict[str, str]], ServeProcess]


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def database_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database of its own on the test PostgreSQL server; dropped afterwards."""
    name = f"clearpost_replicas_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_server_url, name)
    yield url
    with psycopg.connect(_plain(postgres_server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def replica(tmp_path: Path, database_url: str) -> Iterator[Replica]:
    """A serve process (not started yet) on the shared database, with its own directory and log."""
    made: list[ServeProcess] = []

    def make(name: str, env: dict[str, str]) -> ServeProcess:
        workdir = tmp_path / name
        workdir.mkdir()
        process = ServeProcess(workdir, env, database_url=database_url)
        made.append(process)
        return process

    yield make
    for process in made:
        process.close()


def start_together(servers: list[ServeProcess]) -> None:
    """Launch every server at the same moment and wait until each answers /healthz."""
    with ThreadPoolExecutor(len(servers)) as pool:
        list(pool.map(lambda server: server.start(timeout=45), servers))


def assert_clean(servers: list[ServeProcess]) -> None:
    for server in servers:
        output = server.output()
        assert "Traceback" not in output, output
        assert " ERROR " not in output and "not recorded" not in output, output


@pytest.mark.timeout(120)
def test_two_replicas_publish_each_approved_delivery_exactly_once(
    replica: Replica, slack_api: SlackApi, network: StandIn
) -> None:
    statuses = Statuses(delay=0.4)  # each call stays in flight a moment
    network.respond("POST", STATUSES, statuses)
    env = {**slack_env(slack_api), **mastodon_env(network)}
    servers = [replica("a", env), replica("b", env)]
    start_together(servers)
    people = [SlackPeople(server.url, slack_api) for server in servers]
    try:
        parents = []
        for n in range(POSTS):  # proposed on alternating replicas
            line = f"mastodon-clinic now Replica post {n}: flu shots are in, walk-ins welcome."
            assert people[n % 2].propose(NURSE, line).status_code == 200
            parents.append(people[n % 2].wait_parent(count=n + 1))

        # Approved all at once, on both replicas: each approval wakes its replica, and each
        # wake-up claims everything due on the shared database, so both dispatchers go for
        # every delivery. Each is published within seconds (no wake-up waits for the sweep).
        def approve(n: int) -> int:
            person = people[(n + n // 2) % 2]  # A/B, then B/A: approved where proposed or not
            return person.press(OFFICER, parents[n], "approve").status_code

        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(approve, range(POSTS))) == [200] * POSTS
        for parent in parents:
            people[0].wait_thread(parent, r"Published on mastodon-clinic", timeout=20)
        wait_idle(*servers, timeout=30)

        states = servers[1].query("SELECT state, count(*) FROM delivery GROUP BY state")
        assert states == [("published", POSTS)]
        sent = network.to("POST", STATUSES)
        assert len(sent) == POSTS, [r.header("Idempotency-Key") for r in sent]
        assert len({r.header("Idempotency-Key") for r in sent}) == POSTS
        assert len(statuses.created) == POSTS
        texts = sorted(r.json()["status"].split(":")[0] for r in sent)
        assert texts == sorted(f"Replica post {n}" for n in range(POSTS))

        for parent in parents:
            published = [t for t in people[0].thread(parent) if "Published on" in t]
            assert len(published) == 1, published
        assert_clean(servers)
    finally:
        for person in people:
            person.close()


@pytest.mark.timeout(120)
def test_two_replicas_starting_at_once_on_an_empty_database_migrate_it_once(
    replica: Replica, slack_api: SlackApi
) -> None:
    env = slack_env(slack_api)
    servers = [replica("a", env), replica("b", env)]

    start_together(servers)

    assert servers[0].query("SELECT version_num FROM alembic_version") == [(head_revision(),)]
    tables = servers[1].query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    )
    assert {name for (name,) in tables} == TABLES | {"alembic_version"}
    people = [SlackPeople(server.url, slack_api) for server in servers]
    try:  # the schema works for both: a proposal through each
        for n, person in enumerate(people):
            assert person.propose(NURSE, f"x-main tomorrow 9am Post {n}").status_code == 200
            person.wait_parent(count=n + 1)
    finally:
        for person in people:
            person.close()
    assert servers[0].rows("post") == 2
    assert_clean(servers)


@pytest.mark.timeout(120)
def test_two_db_upgrades_wait_for_the_migration_lock_then_apply_head_once(
    tmp_path: Path, database_url: str
) -> None:
    """Deterministic: while someone else holds the migration lock, neither process touches the
    schema; released, both finish and the schema is at head once."""
    # Never started: lends its environment (none of the parent's CLEARPOST_*) and its queries.
    operator = ServeProcess(tmp_path, {}, database_url=database_url)
    operator.http.close()
    plain = _plain(database_url)
    name = database_url.rsplit("/", 1)[1]
    upgrade = [sys.executable, "-m", "adapters.cli", "db", "upgrade"]

    def waiting() -> bool:
        with psycopg.connect(plain) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = %s",
                (name,),
            ).fetchone()
        return row is not None and row[0] == 2

    processes: list[subprocess.Popen[str]] = []
    try:
        with psycopg.connect(plain) as holder:  # a transaction: the lock lasts until it ends
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            for _ in range(2):
                processes.append(
                    subprocess.Popen(  # noqa: S603
                        upgrade,
                        cwd=tmp_path,
                        env=operator.env,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                        text=True,
                    )
                )
            eventually(waiting, 30, "both upgrades to wait for the migration lock", every=0.1)
            assert [p.poll() for p in processes] == [None, None]
            assert operator.query("SELECT to_regclass('public.alembic_version')") == [(None,)]
            holder.rollback()  # lets go of the lock
        outputs = [p.communicate(timeout=60)[0] for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)

    assert [p.returncode for p in processes] == [0, 0], outputs
    head = head_revision()
    for output in outputs:
        assert f"Database is at migration {head}." in output
        assert "Traceback" not in output
    assert operator.query("SELECT version_num FROM alembic_version") == [(head,)]
