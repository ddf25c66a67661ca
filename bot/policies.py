"""Who may do what to a post. Every adapter gets these checks through the workflow service, and
asks the `refusal_to_*` questions before it opens a form, so a person is told at once, in the
same words, on every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.deliveries import DeliveryAction
from bot.domain import ACTION_WORDS, ALLOWED_FROM, Person, Post
from bot.errors import IllegalTransition, NotAllowed, SelfApprovalRefused

# How each delivery action reads in "Only … can <verb> on post #N."
_DELIVERY_VERBS: dict[DeliveryAction, str] = {
    "retry": "retry",
    "publish_now": "publish now",
    "reschedule": "reschedule",
    "mark_published": "mark as published",
    "cancel": "cancel",
}


@dataclass
class ApprovalPolicy:
    """Approvers are named as `platform:user_id` (e.g. `slack:U024BE7LH`, `console:officer`).

    `group_members` lets a platform add approvers by membership resolved at run time (a Slack
    user group, an Entra ID group): platform -> "is this user id a member?".
    """

    approvers: frozenset[str]
    required_approvals: int = 1
    group_members: dict[str, Callable[[str], bool]] = field(default_factory=dict)

    @classmethod
    def of(cls, approvers: Iterable[str], required_approvals: int = 1) -> ApprovalPolicy:
        return cls(frozenset(a.strip() for a in approvers if a.strip()), required_approvals)

    def is_approver(self, person: Person) -> bool:
        if person.ref in self.approvers:
            return True
        member = self.group_members.get(person.platform)
        return member is not None and member(person.user_id)

    def check_can_decide(self, person: Person, post: Post) -> None:
        """Approve, request changes or reject: approvers only, never on their own post."""
        if post.proposer.ref == person.ref:
            raise SelfApprovalRefused(post.id)
        if not self.is_approver(person):
            raise NotAllowed(
                f"Only compliance approvers can decide on post #{post.id}. "
                "Ask your Clearpost administrator to add you to the approvers if you should be one."
            )

    def check_can_act_on_delivery(self, person: Person, post: Post, action: DeliveryAction) -> None:
        """Approvers decide about deliveries; the proposer may also call a channel off."""
        if self.is_approver(person):
            return
        if action == "cancel" and post.proposer.ref == person.ref:
            return
        who = "approvers or the proposer" if action == "cancel" else "compliance approvers"
        raise NotAllowed(f"Only {who} can {_DELIVERY_VERBS[action]} on post #{post.id}.")

    def refusal_to_decide(self, person: Person, post: Post, action: str) -> str | None:
        """Why this person may not `action` ("approve", "request_changes", "reject") the post
        now; None if they may."""
        try:
            self.check_can_decide(person, post)
        except (NotAllowed, SelfApprovalRefused) as refused:
            return str(refused)
        if post.state not in ALLOWED_FROM[action]:
            return str(IllegalTransition(post.id, post.state.value, ACTION_WORDS[action]))
        return None

    @staticmethod
    def refusal_to_edit(person: Person, post: Post) -> str | None:
        """Why this person may not edit the post now; None if they may."""
        try:
            ApprovalPolicy.check_is_proposer(person, post, "edit")
        except NotAllowed as refused:
            return str(refused)
        if post.state not in ALLOWED_FROM["revise"]:
            return str(IllegalTransition(post.id, post.state.value, ACTION_WORDS["revise"]))
        return None

    @staticmethod
    def check_is_proposer(person: Person, post: Post, doing: str) -> None:
        """Editing and withdrawing belong to the person who proposed the post."""
        if post.proposer.ref != person.ref:
            raise NotAllowed(
                f"Only {post.proposer.display}, who proposed post #{post.id}, can {doing} it."
            )
