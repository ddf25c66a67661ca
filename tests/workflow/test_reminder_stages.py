"""Reminders follow the approval policy: the people of the stage a post waits for are messaged,
never the proposer; an urgent post's reminder goes to the on-call group."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands import ProposeRequest
from bot.domain import Person
from bot.policies import ApprovalPolicy
from bot.reminders import ReminderPolicy, Reminders, next_signers
from bot.workflow import Workflow
from bot.working_hours import WorkingHours
from tests.conftest import NOW, ZONE
from tests.workflow.policy_setup import BOB, staged_policy, staged_workflow

WEDNESDAY_4PM = datetime(2026, 11, 25, 21, tzinfo=UTC)  # four working hours after NOW
OFFICER = Person("console", "officer")


@pytest.fixture
def policy() -> ApprovalPolicy:
    return staged_policy()


@pytest.fixture
def staged(engine, clock, notifier, policy) -> Workflow:  # type: ignore[no-untyped-def]
    return staged_workflow(engine, clock, notifier, policy)


def sweep(workflow: Workflow, policy: ApprovalPolicy) -> int:
    rules = ReminderPolicy(
        hours=WorkingHours(ZONE),
        approvers=(OFFICER,),
        is_urgent=policy.is_urgent,
        waiting_on=functools.partial(next_signers, policy),
    )
    return Reminders(workflow.service, rules).sweep()


def propose(workflow: Workflow, by: Person, tags: tuple[str, ...]):  # type: ignore[no-untyped-def]
    request = ProposeRequest(
        channels=("blog",), when=NOW + timedelta(days=2), text="Flu clinic", tags=tags
    )
    return workflow.propose(request, by=by)


def messaged(notifier, post_id: int) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.ref for n in notifier.notices[post_id] for p in n.tell_people}


def test_a_clinical_post_reminds_the_clinicians_it_waits_for_on_each_of_their_accounts(
    staged, policy, notifier, nurse, clock
):
    post = propose(staged, nurse, ("clinical",))
    clock.set(WEDNESDAY_4PM)

    assert sweep(staged, policy) == 1

    assert {"slack:UALICE", "teams:aad-alice", "console:bob"} <= messaged(notifier, post.id)
    assert not {"console:carol", "console:officer"} & messaged(notifier, post.id)


def test_the_proposer_is_never_reminded_to_approve_their_own_post(staged, policy, notifier, clock):
    post = propose(staged, BOB, ("clinical",))
    clock.set(WEDNESDAY_4PM)

    sweep(staged, policy)

    assert "slack:UALICE" in messaged(notifier, post.id)
    assert "console:bob" not in messaged(notifier, post.id)


def test_an_urgent_post_reminds_the_on_call_group_after_thirty_minutes(
    staged, policy, notifier, nurse, clock
):
    post = propose(staged, nurse, ("closure",))
    clock.advance(minutes=30)

    assert sweep(staged, policy) == 1

    assert messaged(notifier, post.id) == {"console:erin"}
