"""What the database keeps, on SQLite and PostgreSQL: whole changes or nothing, text as typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.commands import ProposeRequest
from bot.domain import Content, new_post
from bot.errors import UsageError
from storage.migrate import current_revision, head_revision, upgrade
from storage.sqlmodel_repo import SqlUnitOfWork
from storage.tables import AuditEventRow, PostRow, RevisionRow
from tests.workflow.test_concurrency import race


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_unit_of_work_left_without_commit_keeps_nothing(engine, nurse):
    content = Content("Draft", ("blog",), datetime(2030, 1, 1, 14, tzinfo=UTC))

    with pytest.raises(RuntimeError), SqlUnitOfWork(engine) as uow:
        uow.posts.add(new_post(content, nurse, datetime(2026, 11, 25, tzinfo=UTC)))
        raise RuntimeError("crash between the insert and the commit")

    assert count(engine, PostRow) == 0
    assert count(engine, RevisionRow) == 0


def test_a_refused_proposal_leaves_no_row(workflow, nurse, engine):
    with pytest.raises(UsageError):
        workflow.propose(ProposeRequest(("blog",), "tomorrow 9am", "x" * 100_001), by=nurse)

    assert count(engine, PostRow) == 0
    assert count(engine, AuditEventRow) == 0


def test_text_is_kept_as_typed_with_control_characters_removed(workflow, nurse):
    typed = "Clinic hours 🩺\nMon–Fri 9–5\x00\x07 «Walk-ins» welcome\r\nThanks!"

    post = workflow.propose(ProposeRequest(("blog",), "tomorrow 9am", typed), by=nurse)

    assert workflow.get(post.id).content.text == (
        "Clinic hours 🩺\nMon–Fri 9–5 «Walk-ins» welcome\nThanks!"
    )


def test_times_come_back_as_the_same_aware_utc_moment(workflow, nurse):
    post = workflow.propose(ProposeRequest(("blog",), "2027-07-01 09:00", "Summer hours"), by=nurse)

    stored = workflow.get(post.id)
    assert stored.scheduled_at == datetime(2027, 7, 1, 13, 0, tzinfo=UTC)
    assert stored.scheduled_at.tzinfo is not None
    assert stored.created_at is not None and stored.created_at.tzinfo is not None


def test_two_deliveries_of_the_same_request_at_once_make_one_post(workflow, nurse, engine):
    request = ProposeRequest(("blog",), "tomorrow 9am", "Holiday hours", idempotency_key="k-1")

    first, second = race(
        lambda: workflow.propose(request, by=nurse), lambda: workflow.propose(request, by=nurse)
    )

    assert first.id == second.id
    assert count(engine, PostRow) == 1


def test_migrations_are_applied_once_and_are_at_head(engine):
    upgrade(engine)
    upgrade(engine)

    assert current_revision(engine) == head_revision()
