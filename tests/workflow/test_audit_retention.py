"""Retention: nothing younger than six years is purged, and a purge is itself audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.commands import ProposeRequest
from bot.domain import Person, State
from bot.errors import RetentionNotOver
from storage.audit_purge import purge_before
from storage.audit_verify import verify_database
from tests.conftest import NOW, make_workflow
from tests.fakes import FakeNotifier, FixedClock

SEVEN_YEARS_AGO = NOW - timedelta(days=7 * 365)
ADMIN = Person("cli", "pat", "Pat Admin")


@pytest.fixture
def old_posts(engine, nurse, officer):  # type: ignore[no-untyped-def]
    """Seven years ago: post 1 withdrawn (ended), post 2 published-to-be but still in review."""
    then = make_workflow(engine, FixedClock(SEVEN_YEARS_AGO), FakeNotifier())
    request = ProposeRequest(channels=("x-main",), when="tomorrow 9am", text="Flu shots")
    ended = then.propose(request, by=nurse)
    then.withdraw(ended.id, nurse)
    waiting = then.propose(request, by=nurse)
    return ended.id, waiting.id


def counts(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("post", "audit_event", "revision")
        )


def test_a_purge_inside_the_retention_period_is_refused_and_removes_nothing(engine, old_posts):
    before = counts(engine)
    too_recent = datetime(2021, 1, 1, tzinfo=UTC)  # under six years before NOW

    with pytest.raises(RetentionNotOver) as refused:
        purge_before(engine, too_recent, NOW, 6, ADMIN)

    assert "The latest --before allowed today is 2020-11-25. Nothing was purged." in str(
        refused.value
    )
    assert counts(engine) == before


def test_a_purge_removes_only_ended_posts_records_itself_and_the_chain_still_verifies(
    engine, old_posts, workflow
):
    ended, waiting = old_posts

    result = purge_before(engine, datetime(2020, 1, 1, tzinfo=UTC), NOW, 6, ADMIN)

    assert result.posts == [ended] and result.events == 2
    assert counts(engine) == (1, 1, 1)  # the post still in review keeps everything
    assert workflow.get(waiting).state is State.IN_REVIEW
    report = verify_database(engine)
    assert report.findings == []
    assert report.links == 4  # three events and the purge itself
    assert result.link is not None and result.link.seq == 4
    assert '"by": "cli:pat"' in (result.link.detail or "")
    assert '"events": 2' in (result.link.detail or "")


def test_editing_the_purge_record_to_hide_a_deletion_is_caught(engine, old_posts):
    ended, waiting = old_posts
    purge_before(engine, datetime(2020, 1, 1, tzinfo=UTC), NOW, 6, ADMIN)

    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_chain SET detail = :d WHERE kind = 'purge'"),
            {"d": f'{{"posts": [{ended}, {waiting}]}}'},
        )
        for table in ("audit_event", "approval", "delivery", "revision"):
            conn.execute(text(f"DELETE FROM {table} WHERE post_id = {waiting}"))
        conn.execute(text(f"DELETE FROM post WHERE id = {waiting}"))

    findings = verify_database(engine).findings
    assert "the purge record at chain entry 4 was changed" in findings


def test_saving_a_post_without_one_of_its_revisions_is_refused(workflow, engine, nurse):
    from storage.sqlmodel_repo import RecordsAreKept, SqlUnitOfWork

    request = ProposeRequest(channels=("x-main",), when="tomorrow 9am", text="Hi")
    post_id = workflow.propose(request, by=nurse).id
    workflow.revise(post_id, nurse, text="Hello")

    with SqlUnitOfWork(engine) as uow:
        post = uow.posts.get(post_id)
        del post.revisions[0]
        with pytest.raises(RecordsAreKept):
            uow.posts.save(post)

    assert counts(engine) == (1, 2, 2)
