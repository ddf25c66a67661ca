"""Random sequences of actions by random people never publish an unapproved revision and never
leave the audit trail disagreeing with the post."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.audit import verify
from bot.commands import ProposeRequest
from bot.domain import DeliveryState, Person, State
from bot.errors import ClearpostError, IllegalTransition

PEOPLE = [
    Person("console", "nurse", "Nora"),
    Person("console", "medic", "Max"),
    Person("console", "officer", "Olga"),  # approver
    Person("console", "officer2", "Oscar"),  # approver
    Person("console", "stranger", "Sam"),
]
APPROVERS = {"console:officer", "console:officer2"}
VERBS = [
    "propose",
    "revise",
    "approve",
    "approve_stale",
    "request_changes",
    "reject",
    "withdraw",
    "comment",
    "publish",
]

steps = st.lists(
    st.tuples(
        st.sampled_from(VERBS), st.sampled_from(PEOPLE), st.integers(0, 2), st.integers(0, 99)
    ),
    min_size=1,
    max_size=25,
)


def apply(workflow, verb: str, who: Person, target: int | None, n: int, stale: dict) -> int | None:
    """One action; returns a new post id for `propose`. Refusals are part of the game."""
    try:
        if verb == "propose":
            request = ProposeRequest(("x-main", "blog"), "tomorrow 9am", f"Clinic news {n}")
            return workflow.propose(request, by=who).id
        if target is None:
            return None
        if verb == "revise":
            stale[target] = workflow.get(target).revision.hash
            workflow.revise(target, who, text=f"Edited news {n}")
        elif verb == "approve":
            workflow.approve(target, who, workflow.get(target).revision.hash)
        elif verb == "approve_stale" and target in stale:
            workflow.approve(target, who, stale[target])
        elif verb == "request_changes":
            workflow.request_changes(target, who, "Please fix")
        elif verb == "reject":
            workflow.reject(target, who, "No")
        elif verb == "withdraw":
            workflow.withdraw(target, who)
        elif verb == "comment":
            workflow.comment(target, who, "Looks fine")
        elif verb == "publish":
            publish_one(workflow, target)
    except ClearpostError:
        pass
    return None


def publish_one(workflow, post_id: int) -> None:
    """What a dispatcher does: claim a scheduled delivery; the domain refuses unapproved posts."""
    with workflow.uow() as uow:
        post = uow.posts.get(post_id)
        channel = next(iter(post.deliveries))
        try:
            post.start_publishing(channel, PEOPLE[0], workflow.clock.now())
        except IllegalTransition:
            return
        assert post.approved_revision is not None, "an unapproved revision was claimed"
        post.finish_delivery(
            channel, DeliveryState.PUBLISHED, workflow.clock.now(), url="u", external_id="1"
        )
        uow.posts.save(post)
        uow.commit()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=steps)
def test_random_actions_keep_every_promise(workflow, actions):
    posts: list[int] = []
    stale: dict[int, str] = {}

    for verb, who, pick, n in actions:
        target = posts[pick % len(posts)] if posts else None
        created = apply(workflow, verb, who, target, n, stale)
        if created is not None:
            posts.append(created)

    for post_id in posts:
        post = workflow.get(post_id)
        assert verify(post, workflow.audit_trail(post_id)) == []
        published = [d for d in post.deliveries.values() if d.state is DeliveryState.PUBLISHED]
        if post.state in (State.APPROVED, State.PUBLISHING, State.PUBLISHED) or published:
            approvals = post.live_approvals()
            assert approvals, "published or approved without a live approval"
            for approval in approvals:
                assert approval.revision_hash == post.revision.hash
                assert approval.by.ref in APPROVERS
                assert approval.by.ref != post.proposer.ref
        if post.state in (
            State.IN_REVIEW,
            State.CHANGES_REQUESTED,
            State.REJECTED,
            State.WITHDRAWN,
        ):
            assert post.approved_revision is None
            assert not published
