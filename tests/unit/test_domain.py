"""The legal moves of a post, and the messages for illegal ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.audit import verify
from bot.domain import ALLOWED_FROM, Content, DeliveryState, Person, Post, State, new_post
from bot.errors import IllegalTransition, RevisionChanged

AT = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
NURSE = Person("console", "nurse", "Nora")
OFFICER = Person("console", "officer", "Olga")


def content(text: str = "Flu shots are in!") -> Content:
    return Content(text=text, channels=("x-main", "blog"), scheduled_at=AT + timedelta(days=1))


def post_in(state: State) -> Post:
    """A post brought to `state` by legal moves only."""
    post = new_post(content(), NURSE, AT)
    post.id = 7
    post.record("proposed", NURSE, AT, to_state=State.IN_REVIEW, from_state=None)
    if state is State.CHANGES_REQUESTED:
        post.request_changes(OFFICER, AT, None, "why")
    elif state is State.REJECTED:
        post.reject(OFFICER, AT, None, "no")
    elif state is State.WITHDRAWN:
        post.withdraw(NURSE, AT)
    elif state in (State.APPROVED, State.PUBLISHING, State.PUBLISHED, State.FAILED):
        post.approve(OFFICER, AT, None, required=1)
        if state is not State.APPROVED:
            post.start_publishing("x-main", OFFICER, AT)
            post.start_publishing("blog", OFFICER, AT)
        if state is State.PUBLISHED:
            post.finish_delivery("x-main", DeliveryState.PUBLISHED, AT, url="u", external_id="1")
            post.finish_delivery("blog", DeliveryState.PUBLISHED, AT, url="u", external_id="2")
        if state is State.FAILED:
            post.finish_delivery("x-main", DeliveryState.PUBLISHED, AT, url="u", external_id="1")
            post.finish_delivery("blog", DeliveryState.FAILED, AT, error="refused")
    assert post.state is state
    return post


ACTIONS = {
    "revise": lambda p: p.revise(content("New text"), NURSE, AT, []),
    "approve": lambda p: p.approve(OFFICER, AT, None, required=1),
    "request_changes": lambda p: p.request_changes(OFFICER, AT, None, "why"),
    "reject": lambda p: p.reject(OFFICER, AT, None, "no"),
    "withdraw": lambda p: p.withdraw(NURSE, AT),
}

ILLEGAL = [
    (state, action) for action in ACTIONS for state in State if state not in ALLOWED_FROM[action]
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=lambda v: str(v))
def test_every_illegal_move_is_refused_and_changes_nothing(state, action):
    post = post_in(state)
    events_before = post.audit_seq

    with pytest.raises(IllegalTransition) as refused:
        ACTIONS[action](post)

    assert post.state is state
    assert post.audit_seq == events_before
    assert f"Post #7 is {state.label}" in str(refused.value)


LEGAL = [
    (State.IN_REVIEW, "approve", State.APPROVED),
    (State.IN_REVIEW, "request_changes", State.CHANGES_REQUESTED),
    (State.IN_REVIEW, "reject", State.REJECTED),
    (State.IN_REVIEW, "withdraw", State.WITHDRAWN),
    (State.IN_REVIEW, "revise", State.IN_REVIEW),
    (State.CHANGES_REQUESTED, "revise", State.IN_REVIEW),
    (State.CHANGES_REQUESTED, "reject", State.REJECTED),
    (State.CHANGES_REQUESTED, "withdraw", State.WITHDRAWN),
    (State.APPROVED, "revise", State.IN_REVIEW),
    (State.APPROVED, "reject", State.REJECTED),
    (State.APPROVED, "withdraw", State.WITHDRAWN),
]


@pytest.mark.parametrize(("start", "action", "end"), LEGAL, ids=lambda v: str(v))
def test_each_legal_move_lands_in_its_state_with_an_intact_trail(start, action, end):
    post = post_in(start)

    ACTIONS[action](post)

    assert post.state is end
    assert verify(post, post.pending_events) == []


def test_an_approval_is_pinned_to_the_revision_hash():
    post = post_in(State.IN_REVIEW)
    old_hash = post.revision.hash
    post.revise(content("Changed"), NURSE, AT, [])

    with pytest.raises(RevisionChanged):
        post.approve(OFFICER, AT, old_hash, required=1)


def test_notes_to_the_reviewer_do_not_change_what_is_approved():
    plain = content()
    with_notes = Content(**{**plain.__dict__, "notes": "Photo consent is on file"})

    assert plain.content_hash() == with_notes.content_hash()


def test_the_time_channels_and_overrides_are_part_of_what_is_approved():
    base = content()
    moved = Content(**{**base.__dict__, "scheduled_at": base.scheduled_at + timedelta(hours=1)})
    fewer = Content(**{**base.__dict__, "channels": ("blog",)})
    override = Content(**{**base.__dict__, "overrides": {"x-main": "Short"}})

    hashes = {c.content_hash() for c in (base, moved, fewer, override)}
    assert len(hashes) == 4


def test_an_unapproved_post_has_no_publishable_revision():
    for state in (State.IN_REVIEW, State.CHANGES_REQUESTED, State.REJECTED, State.WITHDRAWN):
        assert post_in(state).approved_revision is None


def test_a_post_fails_when_one_channel_fails_and_keeps_the_other_link():
    post = post_in(State.FAILED)

    assert post.deliveries["x-main"].state is DeliveryState.PUBLISHED
    assert post.deliveries["blog"].state is DeliveryState.FAILED
    assert post.deliveries["blog"].last_error == "refused"


def test_a_tampered_audit_event_is_detected():
    post = post_in(State.APPROVED)
    events = list(post.pending_events)
    forged = events[1].__class__(**{**events[1].__dict__, "reason": "approved over the phone"})

    problems = verify(post, [events[0], forged, *events[2:]])

    assert any("altered" in p for p in problems)
