"""Who may do what to a post. Every adapter gets these checks through the workflow service, and
asks the `check_may_*` questions before it opens a form, so a person is told at once, in the
same words, on every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bot.deliveries import DeliveryAction
from bot.domain import ACTION_WORDS, ALLOWED_FROM, Person, Post
from bot.errors import IllegalTransition, NotAllowed, SelfApprovalRefused

DEFAULT_URGENT_TAGS: frozenset[str] = frozenset({"urgent"})


def is_urgent(post: Post, urgent_tags: Iterable[str] = DEFAULT_URGENT_TAGS) -> bool:
    """The one urgency rule: the proposer ticked urgent, or the post carries an urgent tag
    (`[policy] urgent_tags`, compared as tags are stored: lower case, without `#`)."""
    tags = {t.strip().lstrip("#").lower() for t in urgent_tags}
    return post.urgent or any(tag in tags for tag in post.tags)


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
    urgent_tags: frozenset[str] = DEFAULT_URGENT_TAGS

    @classmethod
    def of(
        cls,
        approvers: Iterable[str],
        required_approvals: int = 1,
        group_members: Mapping[str, Callable[[str], bool]] | None = None,
        urgent_tags: Iterable[str] = DEFAULT_URGENT_TAGS,
    ) -> ApprovalPolicy:
        named = frozenset(a.strip() for a in approvers if a.strip())
        tags = frozenset(t.strip().lstrip("#").lower() for t in urgent_tags if t.strip())
        return cls(named, required_approvals, dict(group_members or {}), tags)

    def is_urgent(self, post: Post) -> bool:
        """Urgent posts go to the on-call stage and are flagged on the thread and card."""
        return is_urgent(post, self.urgent_tags)

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

    def check_may_decide(self, person: Person, post: Post, action: str) -> None:
        """Before a reason form opens: may this person `action` ("approve", "request_changes",
        "reject") the post as it is now? Raises the refusal the decision itself would."""
        self.check_can_decide(person, post)
        if post.state not in ALLOWED_FROM[action]:
            raise IllegalTransition(post.id, post.state.value, ACTION_WORDS[action])

    @staticmethod
    def check_may_edit(person: Person, post: Post) -> None:
        """Before an edit form opens: the proposer, on a post that can still be edited."""
        ApprovalPolicy.check_is_proposer(person, post, "edit")
        if post.state not in ALLOWED_FROM["revise"]:
            raise IllegalTransition(post.id, post.state.value, ACTION_WORDS["revise"])

    @staticmethod
    def check_is_proposer(person: Person, post: Post, doing: str) -> None:
        """Editing and withdrawing belong to the person who proposed the post."""
        if post.proposer.ref != person.ref:
            raise NotAllowed(
                f"Only {post.proposer.display}, who proposed post #{post.id}, can {doing} it."
            )
