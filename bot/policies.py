"""Who may do what to a post. Every adapter gets these checks through the workflow service."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.domain import Person, Post
from bot.errors import NotAllowed, SelfApprovalRefused


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

    @staticmethod
    def check_is_proposer(person: Person, post: Post, doing: str) -> None:
        """Editing and withdrawing belong to the person who proposed the post."""
        if post.proposer.ref != person.ref:
            raise NotAllowed(
                f"Only {post.proposer.display}, who proposed post #{post.id}, can {doing} it."
            )
