"""Who may do what to a post. Every adapter gets these checks through the workflow service, and
asks the `check_may_*` questions before it opens a form, so a person is told at once, in the
same words, on every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bot.approval_stages import (
    APPROVERS,
    Checklist,
    Stage,
    StageLine,
    StagePlan,
    StageProgress,
    progress,
)
from bot.deliveries import DeliveryAction
from bot.domain import ACTION_WORDS, ALLOWED_FROM, Approval, Person, Post
from bot.errors import IllegalTransition, NotAllowed, SelfApprovalRefused
from bot.identities import AccountDirectory, Directory

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
    """Approvers are named as `platform:user_id` (e.g. `slack:U024BE7LH`, `console:officer`)
    or, when `[policy.people]` links accounts, as a person's name.

    `group_members` lets a platform add approvers by membership resolved at run time (a Slack
    user group, an Entra ID group): platform -> "is this user id a member?". `plan` holds the
    practice's stages (approval_stages.py); `groups` names their members; `directory` says
    which accounts are one person.
    """

    approvers: frozenset[str]
    required_approvals: int = 1
    group_members: dict[str, Callable[[str], bool]] = field(default_factory=dict)
    urgent_tags: frozenset[str] = DEFAULT_URGENT_TAGS
    plan: StagePlan = field(default_factory=StagePlan)
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    directory: Directory = field(default_factory=AccountDirectory)

    @classmethod
    def of(
        cls,
        approvers: Iterable[str],
        required_approvals: int = 1,
        group_members: Mapping[str, Callable[[str], bool]] | None = None,
        urgent_tags: Iterable[str] = DEFAULT_URGENT_TAGS,
        *,
        plan: StagePlan | None = None,
        groups: Mapping[str, Iterable[str]] | None = None,
        directory: Directory | None = None,
    ) -> ApprovalPolicy:
        named = frozenset(a.strip() for a in approvers if a.strip())
        tags = frozenset(t.strip().lstrip("#").lower() for t in urgent_tags if t.strip())
        return cls(
            named,
            required_approvals,
            dict(group_members or {}),
            tags,
            plan or StagePlan(),
            {name: tuple(members) for name, members in (groups or {}).items()},
            directory or AccountDirectory(),
        )

    def is_urgent(self, post: Post) -> bool:
        """Urgent posts go to the on-call stage and are flagged on the thread and card."""
        return is_urgent(post, self.urgent_tags)

    # -- people and groups ---------------------------------------------------------------------

    def key(self, person: Person) -> str:
        """The person behind an account: one key for all their linked accounts."""
        return self.directory.identify(person)

    def name_of(self, person: Person) -> str:
        """The person's name as the practice wrote it in its settings, else as the platform
        gave it."""
        return self.directory.display(self.key(person)) or person.display

    def in_group(self, group: str, person: Person) -> bool:
        key = self.key(person)
        if group != APPROVERS:
            return key in self._members(self.groups.get(group, ()))
        if person.ref in self.approvers or key in self._members(self.approvers):
            return True
        # A platform group knows only its own accounts: ask it about each linked account.
        for ref in {person.ref, *self.directory.accounts(key)}:
            platform, _, user_id = ref.partition(":")
            member = self.group_members.get(platform)
            if member is not None and member(user_id):
                return True
        return False

    def members_of(self, group: str) -> frozenset[str] | None:
        """Every member's key, or None when a platform group makes the list unknowable."""
        if group == APPROVERS:
            return None if self.group_members else self._members(self.approvers)
        return self._members(self.groups.get(group, ()))

    def _members(self, members: Iterable[str]) -> frozenset[str]:
        return frozenset(self.directory.identify_member(m) for m in members)

    def is_approver(self, person: Person) -> bool:
        """Signs some stage of some post: the App Home queue, the console's role, deliveries."""
        return any(self.in_group(g, person) for g in self._all_groups())

    def _all_groups(self) -> list[str]:
        stages = [s for rule in self.plan.rules for s in rule.stages] + list(self.plan.on_call)
        return [APPROVERS, *dict.fromkeys(s.group for s in stages if s.group != APPROVERS)]

    # -- stages --------------------------------------------------------------------------------

    def default_stage(self) -> Stage:
        return Stage(APPROVERS, "any", self.required_approvals)

    def stages_for(self, post: Post) -> tuple[Stage, ...]:
        return self.plan.stages_for(post, self.default_stage(), self.is_urgent(post))

    def is_staged(self, post: Post) -> bool:
        """False for the flat approvers list alone, whose messages stay as they always were."""
        return self.stages_for(post) != (self.default_stage(),)

    def progress(self, post: Post) -> list[StageProgress]:
        """Each stage of the current revision's approval, from its live approvals."""
        approvals = {a.id: a for a in post.live_approvals()}

        def key_of(approval: Approval) -> str:
            return self.key(approval.by)

        def in_group(group: str, approval: Approval) -> bool:
            return self.in_group(group, approvals[approval.id].by)

        return progress(
            self.stages_for(post),
            approvals.values(),
            proposer=self.key(post.proposer),
            key_of=key_of,
            in_group=in_group,
            members_of=self.members_of,
            repeat_signers=self.plan.repeat_signers,
        )

    def is_complete(self, post: Post) -> bool:
        """Every stage signed off for the current revision: only then is a post approved."""
        return all(stage.done for stage in self.progress(post))

    def checklist(self, post: Post) -> Checklist:
        """Each stage in names: who signed, who may sign next. Front ends only display it."""
        lines = []
        for stage in self.progress(post):
            waiting = None
            if stage.eligible is not None:
                names = [self.directory.display(k) for k in stage.eligible]
                named = sorted(n for n in names if n)
                if len(named) < len(names):  # someone whose name no platform has told us
                    named.append("another approver" if named else "an approver")
                waiting = tuple(named)
            lines.append(
                StageLine(
                    stage.stage.label,
                    stage.stage.mode,
                    stage.needed,
                    tuple(self.directory.display(k) or a.by.display for k, a in stage.signers),
                    waiting,
                    stage.done,
                )
            )
        return Checklist(tuple(lines), self.is_urgent(post), self.is_staged(post))

    def annotate(self, post: Post) -> Post:
        """Attach the checklist a front end shows on the thread and the card."""
        post.checklist = self.checklist(post)
        return post

    def may_sign_now(self, person: Person, post: Post) -> bool:
        """Would this person's Approve count now (the review queue's question)?"""
        try:
            self.check_can_approve(person, post)
        except (NotAllowed, IllegalTransition):
            return False
        return True

    # -- decisions -----------------------------------------------------------------------------

    def check_can_decide(self, person: Person, post: Post) -> None:
        """Approve, request changes or reject: a signer of one of the post's stages, never on
        their own post, from whichever platform."""
        if post.proposer.ref == person.ref or self.key(post.proposer) == self.key(person):
            raise SelfApprovalRefused(post.id)
        stages = self.stages_for(post)
        if not any(self.in_group(s.group, person) for s in stages):
            if stages == (self.default_stage(),):
                raise NotAllowed(
                    f"Only compliance approvers can decide on post #{post.id}. Ask your "
                    "Clearpost administrator to add you to the approvers if you should be one."
                )
            groups = " or ".join(dict.fromkeys(s.label for s in stages))
            raise NotAllowed(f"Only {groups} can decide on post #{post.id}.")

    def check_can_approve(self, person: Person, post: Post) -> None:
        """A signature for the stage that is next, by someone who has not signed it (nor, unless
        the practice allows it, another stage of this post)."""
        self.check_can_decide(person, post)
        if post.state not in ALLOWED_FROM["approve"]:
            return  # the post's own state refuses it, in its own words
        stages = self.progress(post)
        key = self.key(person)
        for number, stage in enumerate(stages, 1):
            if any(k == key for k, _ in stage.signers) and (
                not self.plan.repeat_signers or not stage.done
            ):
                if len(stages) == 1:
                    raise IllegalTransition(post.id, "already approved by you", "approved twice")
                raise IllegalTransition(
                    post.id,
                    f"already signed by you at stage {number} of {len(stages)} "
                    f"({stage.stage.label})",
                    "approved twice by one person",
                )
        current = next((s for s in stages if not s.done), None)
        if current is None or self.in_group(current.stage.group, person):
            return
        number = stages.index(current) + 1
        raise NotAllowed(
            f"Post #{post.id} is waiting for {current.stage.label} first (stage {number} of "
            f"{len(stages)}); you can sign once it reaches your stage."
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
        if action == "approve":
            self.check_can_approve(person, post)
        else:
            self.check_can_decide(person, post)
        if post.state not in ALLOWED_FROM[action]:
            raise IllegalTransition(post.id, post.state.value, ACTION_WORDS[action])

    def check_may_record_consent(self, person: Person, post: Post) -> None:
        """A patient's consent is noted by someone who may decide the post (a signer of one of
        its stages, never its proposer), while the post can still change. Asked before the
        form opens and again when the consent is recorded."""
        try:
            self.check_can_decide(person, post)
        except SelfApprovalRefused:
            raise SelfApprovalRefused(post.id, "record a patient's consent for it") from None
        if post.state not in ALLOWED_FROM["record_consent"]:
            raise IllegalTransition(post.id, post.state.value, ACTION_WORDS["record_consent"])

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
