"""Decisions that race: exactly one consistent outcome, and a clear message for the loser."""

from __future__ import annotations

import threading
from collections import Counter

from bot.audit import verify
from bot.commands import ProposeRequest
from bot.domain import Person, State
from bot.errors import ClearpostError
from bot.workflow import Workflow

THREADS = 12


def race(*actions) -> list[object]:
    """Run the actions at the same moment; each result is a return value or the error raised."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(i: int, action) -> None:
        barrier.wait(timeout=30)
        try:
            results[i] = action()
        except ClearpostError as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results


def propose(workflow: Workflow, nurse: Person) -> int:
    request = ProposeRequest(channels=("x-main",), when="tomorrow 9am", text="Flu shots are in!")
    return workflow.propose(request, by=nurse).id


def test_many_approvers_clicking_at_once_make_exactly_one_decision(workflow, nurse):
    post_id = propose(workflow, nurse)
    officers = [
        Person("console", "officer" if i % 2 else "officer2", f"O{i}") for i in range(THREADS)
    ]

    results = race(*(lambda o=o: workflow.approve(post_id, o) for o in officers))

    errors = [r for r in results if isinstance(r, ClearpostError)]
    assert len(errors) == THREADS - 1
    assert all(
        "at the same moment" in str(e) or "is approved, so it cannot be approved" in str(e)
        for e in errors
    )
    trail = workflow.audit_trail(post_id)
    assert Counter(e.action for e in trail)["approved"] == 1
    post = workflow.get(post_id)
    assert post.state is State.APPROVED
    assert len(post.live_approvals()) == 1
    assert verify(post, trail) == []


def test_approve_and_reject_racing_leave_one_outcome(workflow, nurse, officer, second_officer):
    post_id = propose(workflow, nurse)

    results = race(
        lambda: workflow.approve(post_id, officer),
        lambda: workflow.reject(post_id, second_officer, "Mentions a patient"),
    )

    approved, rejected = (not isinstance(r, ClearpostError) for r in results)
    post = workflow.get(post_id)
    trail = [e.action for e in workflow.audit_trail(post_id)]
    if approved and rejected:  # not at the same moment after all: an approved post may be pulled
        assert trail == ["proposed", "approved", "rejected"]
    else:
        assert approved != rejected  # exactly one decision landed; the other was refused
        assert post.state is (State.APPROVED if approved else State.REJECTED)
        assert len(trail) == 2
    assert verify(post, workflow.audit_trail(post_id)) == []


def test_an_approval_racing_an_edit_never_approves_the_new_text_unseen(workflow, nurse, officer):
    post_id = propose(workflow, nurse)
    seen = workflow.get(post_id).revision.hash

    approval, edit = race(
        lambda: workflow.approve(post_id, officer, seen),
        lambda: workflow.revise(post_id, nurse, text="Flu shots from Tuesday"),
    )

    post = workflow.get(post_id)
    if isinstance(edit, ClearpostError):  # the edit lost the race and was told so
        assert "at the same moment" in str(edit)
        assert post.state is State.APPROVED and post.approved_revision.hash == seen
    else:  # the edit landed, alone or after the approval, which it voided
        assert post.revision.number == 2
        assert post.state is State.IN_REVIEW
        assert post.approved_revision is None
    assert verify(post, workflow.audit_trail(post_id)) == []
