"""Blackouts and quiet hours at propose, edit and reschedule time, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.commands import ProposeRequest
from bot.domain import State
from bot.errors import TimeNotUnderstood
from bot.ports import PostQuery
from bot.schedule_rules import Blackout, QuietHours, ScheduleRules
from bot.workflow import Workflow
from tests.conftest import ZONE, make_workflow

RULES = ScheduleRules(
    ZONE,
    blackouts=(Blackout.local(date(2026, 12, 24), date(2026, 12, 26), ZONE, "Christmas closure"),),
    quiet_hours=(QuietHours("x-main", time(22), time(7)),),
)


@pytest.fixture
def ruled(engine, clock, notifier) -> Workflow:
    workflow = make_workflow(engine, clock, notifier)
    return Workflow(
        uow=workflow.uow,
        policy=workflow.policy,
        channels=workflow.channels,
        clock=clock,
        zone=ZONE,
        notifiers=workflow.notifiers,
        rules=RULES,
    )


def propose(workflow: Workflow, nurse, when: str, channels=("x-main",)):
    request = ProposeRequest(channels=channels, when=when, text="Holiday hours posted.")
    return workflow.propose(request, by=nurse)


def test_a_post_proposed_into_a_blackout_is_refused_with_the_rule_and_the_next_allowed_time(
    ruled, nurse, notifier
):
    with pytest.raises(TimeNotUnderstood) as refused:
        propose(ruled, nurse, "2026-12-25 10:00", channels=("blog",))

    assert str(refused.value) == (
        "blog may not publish Fri 25 Dec 2026 10:00 EST: blackout “Christmas closure”. "
        "The next allowed time is Sun 27 Dec 2026 00:00 EST."
    )
    assert ruled.posts(PostQuery()) == []  # nothing saved, nothing announced
    assert notifier.announced == []


def test_quiet_hours_refuse_only_their_channel(ruled, nurse):
    with pytest.raises(TimeNotUnderstood, match=r"quiet hours for x-main \(22:00–07:00\)"):
        propose(ruled, nurse, "tomorrow 11pm")

    post = propose(ruled, nurse, "tomorrow 11pm", channels=("facebook-clinic",))

    assert post.state is State.IN_REVIEW


def test_an_edit_that_moves_a_post_into_a_blackout_is_refused_and_keeps_the_post(ruled, nurse):
    post = propose(ruled, nurse, "2026-12-23 10:00")

    with pytest.raises(TimeNotUnderstood, match="Christmas closure"):
        ruled.revise(post.id, nurse, when="2026-12-24 10:00")

    assert ruled.get(post.id).revision.number == 1


def test_a_reschedule_into_quiet_hours_is_refused(ruled, nurse, officer, clock):
    post = propose(ruled, nurse, "in 10 min")
    ruled.approve(post.id, officer)
    with ruled.uow() as uow:  # the delivery was missed: a person picks a new time
        stored = uow.posts.get(post.id)
        stored.miss_delivery("x-main", clock.now(), "missed")
        uow.posts.save(stored)
        uow.commit()

    with pytest.raises(TimeNotUnderstood, match="quiet hours for x-main"):
        ruled.reschedule_delivery(post.id, officer, "tomorrow 11pm")

    assert ruled.get(post.id).deliveries["x-main"].state.value == "missed"
