"""Faults found reviewing the core: each test failed before its fix.

A channel called off during review stays off, two edits by one proposer never silently undo each
other, and a refusal reads as a sentence.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.audit import verify
from bot.commands import ProposeRequest
from bot.domain import DeliveryState, State
from bot.errors import IllegalTransition, RevisionChanged
from tests.conftest import NOW


def draft(channels: tuple[str, ...] = ("x-main", "facebook-clinic")) -> ProposeRequest:
    return ProposeRequest(channels=channels, when=NOW + timedelta(days=1), text="Flu shots are in!")


def test_a_channel_cancelled_during_review_stays_cancelled_after_approval(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)
    workflow.cancel_delivery(post.id, nurse, "x-main")

    workflow.approve(post.id, officer)

    stored = workflow.get(post.id)
    assert stored.state is State.APPROVED
    assert stored.deliveries["x-main"].state is DeliveryState.CANCELLED
    assert stored.deliveries["facebook-clinic"].state is DeliveryState.SCHEDULED


def test_cancelling_every_channel_during_review_withdraws_the_post(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)

    workflow.cancel_delivery(post.id, nurse)

    stored = workflow.get(post.id)
    assert stored.state is State.WITHDRAWN
    assert verify(stored, workflow.audit_trail(post.id)) == []
    with pytest.raises(IllegalTransition, match="withdrawn, so it cannot be approved"):
        workflow.approve(post.id, officer)


def test_an_edit_landing_during_another_edit_is_refused_not_silently_undone(workflow, nurse):
    post = workflow.propose(draft(), by=nurse)
    new_time = NOW + timedelta(days=2)
    screened = 0

    def screener_with_a_second_click(texts):  # the second edit lands while the first is checked
        nonlocal screened
        screened += 1
        if screened == 1:
            workflow.revise(post.id, nurse, when=new_time)
        return []

    workflow.drafting.screener = screener_with_a_second_click

    with pytest.raises(RevisionChanged, match="was edited since you looked at it"):
        workflow.revise(post.id, nurse, text="Flu shots are in! Now also on Saturdays.")

    stored = workflow.get(post.id)
    assert stored.revision.number == 2
    assert stored.scheduled_at == new_time
    assert stored.content.text == "Flu shots are in!"


@pytest.mark.parametrize(
    ("decide", "words"),
    [
        ("retry_delivery", "cannot be retried"),
        ("publish_now", "cannot be published now"),
        ("mark_published", "cannot be marked as published"),
    ],
)
def test_a_delivery_decision_with_nothing_to_decide_is_refused_in_plain_english(
    workflow, nurse, officer, decide, words
):
    post = workflow.propose(draft(), by=nurse)
    workflow.approve(post.id, officer)

    with pytest.raises(IllegalTransition, match=words):
        getattr(workflow, decide)(post.id, officer)
