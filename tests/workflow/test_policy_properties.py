"""No sequence of decisions, by anyone on any platform, approves or publishes a post before every
stage its policy names is signed for the current revision by people who may sign it.

The oracle below is written from the policy in words (policy_setup.POLICY), not from the code
under test: which humans stand behind which accounts, and what each kind of post needs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import ProposeRequest
from bot.domain import DeliveryState, Person, Post, State
from bot.errors import ClearpostError, IllegalTransition
from tests.fakes import FakeNotifier
from tests.workflow.policy_setup import (
    ALICE_SLACK,
    ALICE_TEAMS,
    BOB,
    CAROL,
    CAROL_TEAMS,
    DAVE,
    ERIN,
    FRANK_SLACK,
    FRANK_TEAMS,
    NURSE_SLACK,
    NURSE_TEAMS,
    OFFICER,
    staged_policy,
    staged_workflow,
)

HUMAN = {
    ALICE_SLACK.ref: "alice",
    ALICE_TEAMS.ref: "alice",
    BOB.ref: "bob",
    CAROL.ref: "carol",
    CAROL_TEAMS.ref: "carol",
    DAVE.ref: "dave",
    ERIN.ref: "erin",
    FRANK_SLACK.ref: "frank",
    FRANK_TEAMS.ref: "frank",
    NURSE_SLACK.ref: "nurse",
    NURSE_TEAMS.ref: "nurse",
    OFFICER.ref: "officer",
}
PEOPLE = [
    ALICE_SLACK,
    ALICE_TEAMS,
    BOB,
    CAROL,
    CAROL_TEAMS,
    DAVE,
    ERIN,
    FRANK_SLACK,
    FRANK_TEAMS,
    NURSE_SLACK,
    NURSE_TEAMS,
    OFFICER,
]
CLINICIANS = {"alice", "bob", "frank"}
COMPLIANCE = {"carol", "dave"}

# Each kind of post, and what it needs in words: (channels, tags, campaign).
KINDS = {
    "clinical": (("blog",), ("clinical",), None),
    "x": (("x-main",), (), None),
    "report": (("blog",), (), "annual-report"),
    "closure": (("x-main",), ("clinical", "closure"), None),
    "plain": (("blog",), (), None),
}


def fully_signed(kind: str, signers: list[str], proposer: str) -> bool:
    """What the practice asked for, from the humans who signed the current revision."""
    if proposer in signers or len(signers) != len(set(signers)):
        return False
    have = set(signers)
    if kind == "clinical":
        return bool(have & CLINICIANS) and bool(have & COMPLIANCE)
    if kind == "x":
        return bool(have & COMPLIANCE)
    if kind == "report":  # "all of" the board: every member but the proposer
        return bool(have) and COMPLIANCE - {proposer} <= have
    if kind == "closure":
        return "erin" in have
    return "officer" in have


VERBS = ["propose", "approve", "approve", "approve", "approve_stale", "revise", "reject_back"]
steps = st.lists(
    st.tuples(
        st.sampled_from(VERBS),
        st.sampled_from(PEOPLE),
        st.sampled_from(sorted(KINDS)),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=30,
)


def signers_of(post: Post) -> list[str]:
    rev = post.revision
    return [
        HUMAN[a.by.ref]
        for a in post.approvals
        if not a.voided and a.revision_id == rev.id and a.revision_hash == rev.hash
    ]


def try_to_publish(workflow, post_id: int) -> bool:  # type: ignore[no-untyped-def]
    """What the dispatcher does: claim a delivery; the domain refuses an unapproved post."""
    with workflow.uow() as uow:
        post = uow.posts.get(post_id)
        try:
            post.start_publishing(next(iter(post.deliveries)), OFFICER, workflow.clock.now())
        except IllegalTransition:
            return False
        post.finish_delivery(
            post.channels[0], DeliveryState.PUBLISHED, workflow.clock.now(), url="u"
        )
        uow.posts.save(post)
        uow.commit()
        return True


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=steps)
def test_no_sequence_of_decisions_publishes_without_every_stage_signed(engine, clock, actions):
    workflow = staged_workflow(engine, clock, FakeNotifier(), staged_policy())
    kinds: dict[int, str] = {}
    posts: list[int] = []
    stale: dict[int, str] = {}

    for verb, who, kind, pick in actions:
        clock.advance(seconds=1)
        target = posts[pick % len(posts)] if posts else None
        try:
            if verb == "propose":
                channels, tags, campaign = KINDS[kind]
                request = ProposeRequest(
                    channels, "tomorrow 9am", "News", tags=tags, campaign=campaign
                )
                post_id = workflow.propose(request, by=who).id
                posts.append(post_id)
                kinds[post_id] = kind
            elif target is None:
                continue
            elif verb == "approve":
                workflow.approve(target, who, workflow.get(target).revision.hash)
            elif verb == "approve_stale" and target in stale:
                workflow.approve(target, who, stale[target])
            elif verb == "revise":
                proposer = workflow.get(target).proposer
                stale[target] = workflow.get(target).revision.hash
                workflow.revise(target, proposer, text=f"News, edited at step {clock.now()}")
            elif verb == "reject_back":
                workflow.request_changes(target, who, "Please fix")
        except ClearpostError:
            pass

        for post_id in posts:
            post = workflow.get(post_id)
            proposer = HUMAN[post.proposer.ref]
            complete = fully_signed(kinds[post_id], signers_of(post), proposer)
            if post.state in (State.APPROVED, State.PUBLISHING, State.PUBLISHED):
                assert complete, f"{kinds[post_id]} post approved by {signers_of(post)}"
            if post.state is State.IN_REVIEW:
                assert not complete, f"{kinds[post_id]} post signed but not approved"
                assert not try_to_publish(workflow, post_id)


def test_the_oracle_itself_refuses_what_the_policy_refuses():
    assert not fully_signed("clinical", ["bob"], "nurse")
    assert not fully_signed("clinical", ["carol", "bob"], "carol")
    assert fully_signed("clinical", ["bob", "dave"], "nurse")
    assert not fully_signed("report", ["dave"], "nurse")
    assert fully_signed("report", ["dave"], "carol")
    assert not fully_signed("x", ["carol", "carol"], "nurse")
    assert Person("teams", "aad-alice").ref in HUMAN
