"""`clearpost audit verify`, `export` and `purge` as an operator types them, on a SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.cli import main
from bot.commands import ProposeRequest
from bot.domain import Person
from bot.ports import SystemClock
from bot.workflow import Workflow
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.conftest import make_workflow
from tests.fakes import FakeNotifier

KEY = "k" * 32
NURSE = Person("console", "nurse", "Nora Nurse")
OFFICER = Person("console", "officer", "Olga Officer")


@pytest.fixture
def env(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARPOST_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CLEARPOST_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("CLEARPOST_AUDIT_CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    monkeypatch.setenv("CLEARPOST_AUDIT_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def workflow(env):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{env / 'cli.db'}")
    upgrade(engine)
    yield make_workflow(engine, SystemClock(), FakeNotifier())  # type: ignore[arg-type]
    engine.dispose()


def copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the WAL holds recent commits."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def propose(workflow: Workflow, words: str = "Flu shots are in!") -> int:
    request = ProposeRequest(channels=("x-main",), when="tomorrow 9am", text=words)
    return workflow.propose(request, by=NURSE).id


def test_an_intact_trail_is_one_line_and_a_signed_checkpoint(env, workflow, capsys):
    post = propose(workflow)
    workflow.approve(post, OFFICER)

    code = main(["audit", "verify"])

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Audit trail intact: 2 chain entries, 2 events, 1 posts;")
    assert len(out.strip().splitlines()) == 1
    assert (env / "checkpoints.jsonl").read_text().count('"mac"') == 1


def test_a_deleted_event_is_named_and_exits_1(env, workflow, capsys):
    post = propose(workflow)
    workflow.approve(post, OFFICER)
    with workflow.service.uow() as uow:  # type: ignore[attr-defined]
        uow.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
        uow.session.commit()

    code = main(["audit", "verify"])

    out = capsys.readouterr().out
    assert code == 1
    assert "  - post #1 event 2 (chain entry 2) was deleted" in out
    assert not (env / "checkpoints.jsonl").exists()  # a tampered chain is never signed


def test_a_database_restored_from_an_older_copy_is_caught(env, workflow, capsys):
    propose(workflow)
    assert main(["audit", "verify"]) == 0
    copy_database(env / "cli.db", env / "older.db")
    propose(workflow, "Closed Friday for training.")
    assert main(["audit", "verify"]) == 0
    capsys.readouterr()

    copy_database(env / "older.db", env / "cli.db")  # the restore
    code = main(["audit", "verify"])

    out = capsys.readouterr().out
    assert code == 1
    assert "the database ends at chain entry 1 but the checkpoint of" in out
    assert "saw entry 2: the database was rolled back" in out


def test_an_edited_checkpoint_line_is_named(env, workflow, capsys):
    propose(workflow)
    assert main(["audit", "verify"]) == 0
    line = (env / "checkpoints.jsonl").read_text()
    (env / "checkpoints.jsonl").write_text(line.replace('"seq": 1', '"seq": 0'))

    code = main(["audit", "verify"])

    assert code == 1
    assert "checkpoints.jsonl line 1 is not signed with this key" in capsys.readouterr().out


def test_a_checkpoint_file_without_a_key_is_a_sentence_and_exit_2(env, monkeypatch, capsys):
    monkeypatch.delenv("CLEARPOST_AUDIT_KEY")

    code = main(["audit", "verify"])

    assert code == 2
    assert "CLEARPOST_AUDIT_KEY is not" in capsys.readouterr().err


class SevenYearsAgo:
    """The wall clock seven years back: old enough for a purge, still the one clock."""

    def now(self) -> datetime:
        return datetime.now(UTC) - timedelta(days=7 * 365)


def test_a_purge_needs_the_confirmation_flag(env, capsys):
    code = main(["audit", "purge", "--before", "2019-01-01"])

    assert code == 2
    assert "say so with --confirm-purge-past-retention" in capsys.readouterr().err


def test_a_purge_inside_retention_is_refused(env, workflow, capsys):
    post = propose(workflow)
    workflow.withdraw(post, NURSE)
    last_year = (datetime.now(UTC) - timedelta(days=365)).date().isoformat()

    code = main(["audit", "purge", "--before", last_year, "--confirm-purge-past-retention"])

    assert code == 2
    assert "are kept 6 years (HIPAA 164.316(b)(2))" in capsys.readouterr().err
    assert workflow.get(post).state.value == "withdrawn"


def test_a_purge_past_retention_is_audited_and_the_trail_still_verifies(env, capsys):
    engine = make_engine(f"sqlite:///{env / 'cli.db'}")
    upgrade(engine)
    then = make_workflow(engine, SevenYearsAgo(), FakeNotifier())  # type: ignore[arg-type]
    old = propose(then)
    then.withdraw(old, NURSE)
    engine.dispose()
    cutoff = (datetime.now(UTC) - timedelta(days=6 * 365 + 30)).date().isoformat()

    purged = main(
        ["audit", "purge", "--before", cutoff, "--confirm-purge-past-retention", "--as", "cli:pat"]
    )
    verified = main(["audit", "verify"])
    today = datetime.now(UTC).date()
    span = ["--from", str(today - timedelta(days=1)), "--to", str(today + timedelta(days=1))]
    exported = main(["audit", "export", *span, "-o", "trail.csv"])

    out = capsys.readouterr().out
    assert (purged, verified, exported) == (0, 0, 0)
    purge_row = (env / "trail.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert ",pat,pat,cli,purged," in purge_row
    assert f"1 post(s) and 2 event(s) before {cutoff}, past 6 years' retention" in purge_row
    assert (
        f"Purged 1 post(s) and 2 audit event(s) from before {cutoff}; recorded as chain entry 3 "
        "by cli:pat." in out
    )
    assert "Audit trail intact: 3 chain entries, 0 events, 0 posts" in out
