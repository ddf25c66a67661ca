"""The audit trail across posts: every tampering a database administrator could do is named."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, text

from bot.audit_chain import Checkpoint
from bot.commands import ProposeRequest
from bot.domain import Person
from bot.workflow import Workflow
from storage.audit_verify import verify_database
from tests.conftest import make_workflow
from tests.fakes import FakeNotifier, FixedClock


def propose(workflow: Workflow, nurse: Person, words: str = "Flu shots are in!") -> int:
    request = ProposeRequest(channels=("x-main",), when="tomorrow 9am", text=words)
    return workflow.propose(request, by=nurse).id


def three_posts(workflow: Workflow, nurse: Person, officer: Person, clock: FixedClock) -> None:
    """Post 1 approved, post 2 sent back and edited, post 3 waiting: 6 events in all."""
    first = propose(workflow, nurse)
    clock.advance(minutes=1)
    second = propose(workflow, nurse, "Closed Friday for training.")
    clock.advance(minutes=1)
    workflow.approve(first, officer)
    workflow.request_changes(second, officer, reason="Say which Friday")
    clock.advance(minutes=1)
    workflow.revise(second, nurse, text="Closed Friday 4 December for training.")
    propose(workflow, nurse, "Free blood pressure checks this week.")


def sql(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def test_an_untouched_trail_verifies_across_every_post(workflow, engine, nurse, officer, clock):
    three_posts(workflow, nurse, officer, clock)

    report = verify_database(engine)

    assert report.findings == []
    assert (report.links, report.events, report.posts, report.head_seq) == (6, 6, 3, 6)


def test_an_edited_event_is_named(workflow, engine, nurse, officer, clock):
    three_posts(workflow, nurse, officer, clock)

    sql(engine, "UPDATE audit_event SET reason = 'Looks fine' WHERE post_id = 2 AND seq = 2")

    findings = verify_database(engine).findings
    assert any(
        f.startswith("post #2 event 2 (chain entry") and "was changed" in f for f in findings
    )


def test_an_event_edited_with_its_hashes_recomputed_is_still_caught_by_the_chain(
    workflow, engine, nurse, officer, clock
):
    three_posts(workflow, nurse, officer, clock)
    trail = workflow.audit_trail(1)
    from bot.domain import audit_hash, event_fields

    forged = trail[-1]
    fields = event_fields(
        1,
        forged.seq,
        forged.at,
        Person("console", "officer2", "Oscar"),
        forged.action,
        forged.from_state,
        forged.to_state,
        forged.revision_hash,
        None,
        None,
    )
    new_hash = audit_hash(forged.prev_hash, fields)
    sql(
        engine,
        "UPDATE audit_event SET actor_user_id = 'officer2', actor_name = 'Oscar', hash = :h "
        "WHERE post_id = 1 AND seq = :s",
        h=new_hash,
        s=forged.seq,
    )
    sql(engine, "UPDATE post SET audit_head = :h WHERE id = 1", h=new_hash)

    findings = verify_database(engine).findings
    assert [f for f in findings if "was changed" in f] == [
        f"post #1 event {forged.seq} (chain entry 3), approved at "
        f"{forged.at:%Y-%m-%d %H:%M} UTC, was changed"
    ]


def test_an_inserted_event_is_named(workflow, engine, nurse, officer, clock):
    three_posts(workflow, nurse, officer, clock)

    sql(
        engine,
        "INSERT INTO audit_event (id, post_id, seq, at, actor_platform, actor_user_id, "
        "actor_name, action, from_state, to_state, revision_hash, reason, channel, prev_hash, "
        "hash) SELECT 'forged', post_id, 3, at, actor_platform, 'officer', 'Olga', "
        "'approved', 'in_review', 'approved', revision_hash, NULL, NULL, hash, 'x' "
        "FROM audit_event WHERE post_id = 3 AND seq = 1",
    )

    findings = verify_database(engine).findings
    assert "post #3 event 3 (approved) was inserted: it is not in the chain" in findings


def test_a_deleted_event_is_named(workflow, engine, nurse, officer, clock):
    three_posts(workflow, nurse, officer, clock)

    sql(engine, "DELETE FROM audit_event WHERE post_id = 2 AND seq = 2")

    findings = verify_database(engine).findings
    assert "post #2 event 2 (chain entry 4) was deleted" in findings


def test_a_post_deleted_with_all_its_events_is_named(workflow, engine, nurse, officer, clock):
    three_posts(workflow, nurse, officer, clock)

    for table in ("audit_event", "approval", "delivery"):
        sql(engine, f"DELETE FROM {table} WHERE post_id = 2")
    sql(engine, "DELETE FROM revision WHERE post_id = 2")
    sql(engine, "DELETE FROM post WHERE id = 2")

    findings = verify_database(engine).findings
    assert findings == ["post #2 was deleted with its 3 event(s)"]


def test_a_post_deleted_with_its_chain_entries_leaves_a_gap(
    workflow, engine, nurse, officer, clock
):
    three_posts(workflow, nurse, officer, clock)

    sql(engine, "DELETE FROM audit_chain WHERE post_id = 2")
    for table in ("audit_event", "approval", "delivery", "revision"):
        sql(engine, f"DELETE FROM {table} WHERE post_id = 2")
    sql(engine, "DELETE FROM post WHERE id = 2")

    findings = verify_database(engine).findings
    assert "chain entries 2–2 are missing: events were deleted from the database" in findings
    assert "chain entries 4–5 are missing: events were deleted from the database" in findings


def test_a_rollback_to_an_older_copy_is_caught_by_the_signed_checkpoint(
    workflow, engine, nurse, officer, clock
):
    three_posts(workflow, nurse, officer, clock)
    report = verify_database(engine)
    checkpoint = Checkpoint(report.head_seq, report.head_hash, clock.now())

    # The database as an older copy would have it: the newest post and its events never were.
    sql(engine, "DELETE FROM audit_chain WHERE seq = 6")
    for table in ("audit_event", "approval", "delivery", "revision"):
        sql(engine, f"DELETE FROM {table} WHERE post_id = 3")
    sql(engine, "DELETE FROM post WHERE id = 3")

    alone = verify_database(engine)
    assert alone.findings == []  # consistent in itself: only the checkpoint can tell
    findings = verify_database(engine, [(checkpoint, "checkpoints.jsonl line 1")]).findings
    assert findings == [
        "the database ends at chain entry 5 but the checkpoint of 2026-11-25 17:03 UTC "
        "(checkpoints.jsonl line 1) saw entry 6: the database was rolled back or its newest "
        "events were deleted"
    ]


def test_a_rewritten_history_differs_from_the_checkpoint(workflow, engine, nurse, officer, clock):
    three_posts(workflow, nurse, officer, clock)
    report = verify_database(engine)
    checkpoint = Checkpoint(report.head_seq, report.head_hash, clock.now())

    sql(engine, "UPDATE audit_chain SET hash = 'rewritten' WHERE seq = 6")

    findings = verify_database(engine, [(checkpoint, "line 1")]).findings
    assert any("differs from the checkpoint" in f for f in findings)


def test_two_replicas_appending_at_once_make_one_chain(engine, nurse, officer, clock, notifier):
    replicas = [make_workflow(engine, clock, FakeNotifier()) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(replica: Workflow) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(15):
                post_id = propose(replica, nurse)
                replica.approve(post_id, officer)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(r,)) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors and not any(t.is_alive() for t in threads)
    report = verify_database(engine)
    assert report.findings == []
    assert (report.links, report.events, report.posts) == (60, 60, 30)


def test_an_existing_database_is_linked_in_the_order_its_events_happened(
    workflow, engine, nurse, officer, clock
):
    from alembic import command

    from storage.migrate import alembic_config, upgrade

    three_posts(workflow, nurse, officer, clock)
    config = alembic_config()
    with engine.begin() as connection:  # as it was before the chain: events, no links
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")

    upgrade(engine)

    report = verify_database(engine)
    assert report.findings == []
    assert (report.links, report.events) == (6, 6)
