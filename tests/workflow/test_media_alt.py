"""A media item's description (alt text) is part of what is reviewed: kept, hashed, diffed, and
an edit of it needs approval again. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql

from bot.audit import verify
from bot.commands import ProposeRequest
from bot.domain import State
from bot.errors import UsageError

PHOTO = "https://cdn.example.com/flu-clinic.jpg"
CHART = "https://cdn.example.com/hours.png"


def described(media: tuple[str, ...] = (PHOTO, CHART)) -> ProposeRequest:
    alt = ("Nurse giving a flu shot in our clinic", "Our opening hours")
    return ProposeRequest(
        ("x-main",), "tomorrow 9am", "Flu shots are in!", media=media, media_alt=alt
    )


def test_an_alt_text_is_kept_with_its_media_item(workflow, nurse):
    post = workflow.propose(described(), by=nurse)

    stored = workflow.get(post.id).revision.content
    assert stored.media == (PHOTO, CHART)
    assert stored.alt_for(0) == "Nurse giving a flu shot in our clinic"
    assert stored.alt_for(1) == "Our opening hours"


def test_changing_only_an_alt_text_voids_the_approval_and_says_what_changed(
    workflow, nurse, officer, notifier
):
    post = workflow.propose(described(), by=nurse)
    workflow.approve(post.id, officer, post.revision.hash)

    edited = workflow.revise(
        post.id,
        nurse,
        media_alt=("Nurse giving a flu shot at our Main St clinic", "Our opening hours"),
    )

    assert edited.state is State.IN_REVIEW
    assert edited.revision.hash != post.revision.hash
    notice = notifier.notices[post.id][-1]
    assert "the media descriptions changed" in notice.text
    assert "approval was voided" in notice.text
    assert any(
        line.startswith("Alt text of https://cdn.example.com/flu-clinic.jpg")
        for line in notice.diff
    )
    trail = workflow.audit_trail(post.id)
    assert trail[-1].action == "revised" and trail[-1].revision_hash == edited.revision.hash
    assert verify(workflow.get(post.id), trail) == []


def test_an_edit_of_the_media_keeps_the_descriptions_of_the_items_that_stay(workflow, nurse):
    post = workflow.propose(described(), by=nurse)

    edited = workflow.revise(post.id, nurse, media=(CHART, PHOTO))

    assert edited.revision.content.media_alt == (
        "Our opening hours",
        "Nurse giving a flu shot in our clinic",
    )


def test_more_descriptions_than_media_is_refused_with_a_sentence(workflow, nurse):
    with pytest.raises(UsageError, match="one description per item, in the same order"):
        workflow.propose(described(media=(PHOTO,)), by=nurse)

    assert workflow.my_posts(nurse) == []


def test_a_revision_saved_before_alt_text_loads_and_keeps_its_hash(workflow, nurse, engine):
    post = workflow.propose(
        ProposeRequest(("x-main",), "tomorrow 9am", "Hi", media=(PHOTO,)), by=nurse
    )

    with engine.begin() as conn:  # a row as migration 0008 fills it for revisions before it
        assert conn.execute(sql("SELECT media_alt FROM revision")).scalars().all() == ["[]"]

    stored = workflow.get(post.id)
    assert stored.revision.content.content_hash() == stored.revision.hash == post.revision.hash
