"""A database written before findings were kept as data (schema 0007: only the sentences) is
upgraded: its high findings still block approval, now on their own (migration 0009), and an
override given at 0007 still covers the later stages of its revision. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, column, table, text

from bot.channels import ChannelTable
from bot.domain import Content, Post, new_post
from bot.errors import FindingsBlockApproval
from bot.workflow import Workflow
from storage.engine import make_engine
from storage.mapping import (
    approval_values,
    delivery_values,
    event_values,
    post_values,
    revision_values,
)
from storage.migrate import upgrade
from storage.sqlmodel_repo import SqlUnitOfWorkFactory
from storage.tables import ApprovalRow, AuditEventRow, DeliveryRow, PostRow, RevisionRow
from tests.conftest import CHANNELS, NOW, ZONE
from tests.fakes import FakeNotifier, FixedClock
from tests.pg_server import create_database
from tests.workflow.policy_setup import BOB, DAVE, NURSE_SLACK, staged_policy

NEW = frozenset({"media_alt", "findings", "override_reason", "overridden"})  # added since 0007
TEXT = "Congrats to our patient Thiago on his new hip!"
MEDIA = "media:" + "ab" * 32 + ".jpg#thiago_hip.jpg"
# What 0007's screening stored for that post: the sentences, nothing else.
SENTENCES_AT_0007 = [
    'Possible PHI (high): "Thiago" looks like a person\'s name: a first name after "our '
    "patient\" names a patient. Suggested fix: remove the name, or record the patient's consent.",
    'Possible PHI (high): "thiago" (in the media file name "thiago_hip.jpg") looks like a '
    "person's name: a file name that names a person. Suggested fix: rename the file.",
    "blog: WordPress needs a title line.",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_at_0007(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A new database migrated to 0007 only."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'clearpost.db'}"
    else:
        server = request.getfixturevalue("postgres_server_url")
        url = create_database(server, f"clearpost_0007_{uuid.uuid4().hex[:8]}")
    engine = make_engine(url)
    upgrade(engine, "0007")
    yield engine
    engine.dispose()


def write_as_at_0007(engine: Engine, post: Post, missing: frozenset[str] = NEW) -> None:
    """The rows 0007's repository wrote for this post: only the columns that existed then
    (all but `missing`)."""
    rows: list[tuple[Any, list[dict[str, Any]]]] = [
        (PostRow, [post_values(post) | {"id": post.id, "version": 1}]),
        (RevisionRow, [revision_values(post.id, r) for r in post.revisions]),
        (DeliveryRow, [delivery_values(post, d) for d in post.deliveries.values()]),
        (ApprovalRow, [approval_values(post.id, a) for a in post.approvals]),
        (AuditEventRow, [event_values(e) for e in post.pending_events]),
    ]
    with engine.begin() as conn:
        for model, values in rows:
            # Today's columns as they were at 0007, with their types (aware times stored as UTC).
            kept = [
                column(c.name, c.type) for c in model.__table__.columns if c.name not in missing
            ]
            then = table(model.__tablename__, *kept)
            for row in values:
                conn.execute(then.insert().values({k: row[k] for k in row if k not in missing}))


def post_at_0007(*, overridden_by_bob: bool = False) -> Post:
    content = Content(TEXT, ("blog",), NOW + timedelta(days=1), media=(MEDIA,))
    post = new_post(content, NURSE_SLACK, NOW, problems=SENTENCES_AT_0007, tags=("clinical",))
    post.id = 1
    post.record("proposed", NURSE_SLACK, NOW, from_state=None)
    if overridden_by_bob:  # what 0007's review.approve recorded for "Approve with override"
        reason = "Signed release in his chart (findings overridden: name)"
        post.record("screening_overridden", BOB, NOW, reason=reason)
        post.approve(BOB, NOW, post.revision.hash, 2, note="clinicians (stage 1 of 2)")
    return post


def workflow_on(engine: Engine) -> Workflow:
    return Workflow(
        uow=SqlUnitOfWorkFactory(engine),
        policy=staged_policy(),
        channels=ChannelTable(CHANNELS),
        clock=FixedClock(NOW),
        zone=ZONE,
        notifiers={"slack": FakeNotifier()},
    )


def test_a_high_finding_stored_at_0007_still_blocks_after_the_upgrade(engine_at_0007):
    old = post_at_0007()
    write_as_at_0007(engine_at_0007, old)

    upgrade(engine_at_0007)
    workflow = workflow_on(engine_at_0007)
    with engine_at_0007.begin() as conn:  # a later rewording of the sentences
        conn.execute(text("UPDATE revision SET problems = '[\"Reworded.\"]'"))

    with pytest.raises(FindingsBlockApproval, match="a person's name"):
        workflow.approve(old.id, BOB, old.revision.hash)  # the revision hash is unchanged
    post = workflow.get(old.id)
    found = [(f.category, f.severity, f.place.field, f.place.name) for f in post.revision.findings]
    assert found == [
        ("name", "high", "text", ""),
        ("name", "high", "media", "thiago_hip.jpg"),
    ]
    first = post.revision.findings[0].finding
    assert TEXT[first.start : first.end] == "Thiago"
    assert post.revision.findings[1].sentence() == SENTENCES_AT_0007[1]


def test_an_override_given_at_0007_covers_the_later_stage_after_the_upgrade(engine_at_0007):
    old = post_at_0007(overridden_by_bob=True)
    write_as_at_0007(engine_at_0007, old)

    upgrade(engine_at_0007)
    workflow = workflow_on(engine_at_0007)

    approved = workflow.approve(old.id, DAVE, old.revision.hash)
    assert approved.approved_revision is not None
    assert approved.approvals[0].override_reason == "Signed release in his chart"
    assert approved.approvals[0].overridden == ("name",)


def test_a_finding_in_a_channels_own_text_and_a_missing_disclaimer_are_placed_again(
    engine_at_0007,
):
    own = "Call Rosa\nat 312-555-0188"
    content = Content("Flu shots are in!", ("blog", "x-main"), NOW, overrides={"x-main": own})
    sentences = [
        'Possible PHI (high): "312-555-0188" (in a channel\'s own text) looks like a phone '
        "number: a number that is not the practice's. Suggested fix: remove it.",
        'Compliance (high): "Flu shots are in!" looks like a post without its required '
        'disclaimer: the channel blog requires it. Suggested fix: append "Not medical advice.".',
        "Possible PHI: the text seems to contain a phone number. Check it before approving.",
    ]
    old = new_post(content, NURSE_SLACK, NOW, problems=sentences)
    old.id = 1
    old.record("proposed", NURSE_SLACK, NOW, from_state=None)
    write_as_at_0007(engine_at_0007, old)

    upgrade(engine_at_0007)
    workflow = workflow_on(engine_at_0007)

    with pytest.raises(FindingsBlockApproval, match="a phone number, a post without its"):
        workflow.approve(old.id, DAVE)
    findings = workflow.get(old.id).revision.findings
    assert [(f.category, f.place.field, f.place.name) for f in findings] == [
        ("phone", "override", "x-main"),
        ("disclaimer", "text", ""),
    ]
    assert own[findings[0].finding.start : findings[0].finding.end] == "312-555-0188"
    assert (findings[1].finding.start, findings[1].finding.end) == (0, len("Flu shots are in!"))
    assert [f.sentence() for f in findings] == [
        sentences[0].replace("a channel's own text", "x-main's own text"),
        sentences[1],
    ]


def test_a_finding_in_alt_text_stored_at_0008_is_placed_in_that_alt_text(engine_at_0007):
    upgrade(engine_at_0007, "0008")  # alt text, and its sentences, came with 0008
    alt = "Thiago walking again after his hip surgery"
    content = Content("Back on his feet!", ("x-main",), NOW, media=(MEDIA,), media_alt=(alt,))
    sentence = (
        'Possible PHI (high): "Thiago" (in the alt text of "thiago_hip.jpg") looks like a '
        "person's name: a name in a picture's description. Suggested fix: describe the picture "
        "without the name."
    )
    old = new_post(content, NURSE_SLACK, NOW, problems=[sentence])
    old.id = 1
    old.record("proposed", NURSE_SLACK, NOW, from_state=None)
    write_as_at_0007(engine_at_0007, old, missing=NEW - {"media_alt"})

    upgrade(engine_at_0007)
    workflow = workflow_on(engine_at_0007)

    with pytest.raises(FindingsBlockApproval, match="a person's name"):
        workflow.approve(old.id, DAVE, old.revision.hash)
    [finding] = workflow.get(old.id).revision.findings
    assert (finding.place.field, finding.place.name) == ("alt", "thiago_hip.jpg")
    assert alt[finding.finding.start : finding.finding.end] == "Thiago"
    assert finding.sentence() == sentence
