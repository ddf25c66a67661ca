"""Proposals and the decisions on them: propose, announce, revise, approve, request changes,
reject, withdraw, comment.

Each verb is one transaction (service.py): the policy is asked, one move made on the post (which
appends the audit event), the post saved with compare-and-set; the approval thread hears of it
after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import screening_gate as gate
from bot import timeparse
from bot.commands import ProposeRequest
from bot.consent import Consent, ConsentBook, NoConsents, field_problems, one_line
from bot.consent_findings import offers_consent
from bot.domain import Person, Post, State, new_post
from bot.drafting import FIELD_WORDS, MAX_REASON, Drafting, Edit, clean, require_reason
from bot.errors import FindingsBlockApproval, RevisionChanged, UsageError
from bot.policies import ApprovalPolicy
from bot.ports import DuplicateProposal, Notice
from bot.revision_diff import revision_diff
from bot.service import Move, Service

log = logging.getLogger(__name__)

ANNOUNCE_GRACE = timedelta(minutes=2)  # the first announce's time before a retry loop steps in


@dataclass
class Review:
    service: Service
    drafting: Drafting
    policy: ApprovalPolicy
    consents: ConsentBook = field(default_factory=NoConsents)

    # -- proposing -----------------------------------------------------------------------------

    def propose(self, request: ProposeRequest, by: Person) -> Post:
        """A new post in review, announced in the approval thread. A retried request with the
        same idempotency key returns the first post instead of making a second."""
        if request.idempotency_key:
            existing = self._by_key(request.idempotency_key)
            if existing is not None:
                return existing
        content = self.drafting.build_content(request)
        now = self.service.clock.now()
        tags = tuple(t.strip().lstrip("#").lower() for t in request.tags if t.strip())
        checked = self.drafting.check(content, tags)
        post = new_post(
            content,
            by,
            now,
            problems=checked.problems,
            findings=checked.findings,
            tags=tags,
            campaign=(request.campaign or "").strip() or None,
            urgent=request.urgent,
            idempotency_key=request.idempotency_key,
        )
        try:
            with self.service.uow() as uow:
                uow.posts.add(post)
                post.record("proposed", by, now, to_state=State.IN_REVIEW, from_state=None)
                uow.posts.save(post)
                uow.commit()
        except DuplicateProposal:
            # Lost a race with a retry of the same request: the winner's post is the answer.
            existing = self._by_key(request.idempotency_key or "")
            if existing is None:
                raise
            return existing
        log.info("post %s proposed by %s (revision %s)", post.id, by.ref, post.revision.short_hash)
        self.announce(post)
        return post

    def _by_key(self, key: str) -> Post | None:
        with self.service.uow() as uow:
            return uow.posts.by_idempotency_key(key)

    def announce(self, post: Post) -> Post:
        """Open the approval thread. If the platform is down the post stays, unannounced, and
        `announce_pending` tries again later."""
        notifier = self.service.notifier_for(post)
        if notifier is None or post.thread is not None:
            return post
        self.policy.annotate(post)
        try:
            thread = notifier.announce(post)
        except Exception as exc:  # any platform failure: keep the post, retry later
            log.warning("post %s not announced yet: %s", post.id, type(exc).__name__)
            return post
        with self.service.uow() as uow:
            uow.posts.set_thread(post.id, thread)
            uow.commit()
        post.thread = thread
        return post

    def announce_pending(
        self,
        platform: str | None = None,
        limit: int = 50,
        min_age: timedelta = ANNOUNCE_GRACE,
    ) -> int:
        """Announce posts whose thread never opened. Each platform's retry loop asks only for its
        own posts, and posts younger than `min_age` are left to the announce already under way,
        so no post gets two parent messages."""
        cutoff = self.service.clock.now() - min_age
        with self.service.uow() as uow:
            waiting = uow.posts.without_thread(limit, platform=platform, created_before=cutoff)
        return sum(1 for post in waiting if self.announce(post).thread is not None)

    # -- revising ------------------------------------------------------------------------------

    def check_edit(self, post: Post, by: Person, edit: Edit) -> None:
        """What `revise` would refuse, asked before a form is accepted (nothing is saved)."""
        self.policy.check_may_edit(by, post)
        self.drafting.revised(post, edit)

    def revise(self, post_id: int, by: Person, edit: Edit) -> Post:
        """A new revision by the proposer. Any approval is voided and the post returns to review."""
        current = self._get(post_id)
        ApprovalPolicy.check_is_proposer(by, current, "edit")
        content = self.drafting.revised(current, edit)
        changes = content.changes_from(current.content)
        checked = self.drafting.check(content, current.tags)
        voided = False

        def move(post: Post, now: datetime) -> None:
            nonlocal voided
            ApprovalPolicy.check_is_proposer(by, post, "edit")
            if post.revision.id != current.revision.id:
                # Another edit landed after we read: applying ours would silently undo it.
                raise RevisionChanged(post.id, post.revision.number)
            voided = post.revise(content, by, now, checked.problems, checked.findings)

        post = self.service.change(post_id, move)
        summary = (
            f"{by.display} edited the post (revision {post.revision.number}): "
            + ", ".join(FIELD_WORDS[c] for c in changes)
            + " changed."
        )
        if voided:
            summary += " The approval was voided; it needs approval again."
        diff = revision_diff(current.content, content, self.service.zone)
        self.service.tell(Notice(post, "revised", by.display, summary, changes=changes, diff=diff))
        return post

    def _get(self, post_id: int) -> Post:
        with self.service.uow() as uow:
            return uow.posts.get(post_id)

    # -- deciding ------------------------------------------------------------------------------

    def approve(
        self,
        post_id: int,
        by: Person,
        revision_hash: str | None = None,
        override_reason: str | None = None,
    ) -> Post:
        """One signature on the current revision, for the stage that is next; the post is
        approved once every stage its policy names is signed.

        High-severity screening findings that no consent covers refuse it, unless the approver
        overrides them with a reason: the override is audited and told in the thread, and it
        covers this revision for the stages after this one (their signers are told whose
        override they sign over)."""
        decided = False
        staged = False
        note: str | None = None
        consents = self.consents.for_post(post_id)
        reason = (
            None
            if override_reason is None
            else require_reason(override_reason, "override the screening findings")
        )
        overridden: list[str] = []
        earlier: str | None = None

        def move(post: Post, now: datetime) -> None:
            nonlocal decided, staged, note, overridden, earlier
            self.policy.check_can_approve(by, post)
            blockers = gate.still_blocking(post, consents)
            if blockers and reason is None:
                raise FindingsBlockApproval(post.id, gate.describe(blockers))
            if blockers:
                why = f"{reason} (findings overridden: {', '.join(blockers)})"
                post.record("screening_overridden", by, now, reason=why)
            overridden = blockers
            earlier = gate.override_line(post)
            covering = gate.override_of(post)
            staged = self.policy.is_staged(post)
            note = self._stage_note(post) if staged else None
            # The trail says which signature relied on whose override, not only the thread.
            relied = f"over the screening override by {covering.by.display}" if covering else ""
            decided = post.approve(
                by,
                now,
                revision_hash,
                self.policy.is_complete,
                again=self.policy.plan.repeat_signers,
                note="; ".join(n for n in (note, relied) if n) or None,
                override_reason=reason if blockers else None,
                overridden=blockers,
            )

        post = self.service.change(post_id, move)
        if overridden:
            text = (
                f"{by.display} overrode the screening findings ({gate.describe(overridden)}): "
                f"{reason}"
            )
            self.service.tell(Notice(post, "screening", by.display, text))
        if decided:
            when = timeparse.describe(post.scheduled_at, self.service.zone)
            text = f"Approved by {by.display}. It will publish {when}."
            if earlier:
                text += f" {_sentence(earlier)}"
            if consents and gate.high_findings(post.revision.findings):
                text += " " + "; ".join(f"C{c.describe()[1:]}." for c in consents)
            self.service.tell(Notice(post, "approved", by.display, text, tell_proposer=True))
            return post
        if staged:
            checklist = post.checklist or self.policy.checklist(post)
            upcoming = checklist.current
            text = f"{self.policy.name_of(by)} signed {note}."
            if earlier:
                text += f" {_sentence(earlier)}"
            if upcoming is not None:
                text += f" Next: {checklist.lines[upcoming].describe()}."
        else:
            have = len(post.live_approvals())
            text = f"{by.display} approved ({have} of {self.policy.required_approvals} approvals)."
        self.service.tell(Notice(post, "approval_added", by.display, text))
        return post

    def _stage_note(self, post: Post) -> str:
        """Which stage a signature given now is for, e.g. "clinicians (stage 1 of 2)"."""
        stages = self.policy.progress(post)
        number = next((i for i, s in enumerate(stages, 1) if not s.done), len(stages))
        return f"{stages[number - 1].stage.label} (stage {number} of {len(stages)})"

    def check_record_consent(self, post: Post, by: Person) -> None:
        """What `record_consent` would refuse about the person and the post, asked before a
        form opens (nothing is saved)."""
        self.policy.check_may_record_consent(by, post)
        if not offers_consent(post):
            raise UsageError(
                f"Post #{post.id} has no finding of a person's name or photo for a consent to "
                "cover."
            )

    def record_consent(
        self, post_id: int, who: str, form_ref: str, by: Person, via: str | None = None
    ) -> Consent:
        """A signed consent from the person in the post, noted by someone who may decide the
        post (never its proposer), audited and told in the thread; from then on their name and
        photo findings read "consent on file" and do not block. `via` says, in the audit
        event, how it was entered when that was not by `by` in a chat (the command line)."""
        problems = field_problems(who, form_ref)
        if problems:
            raise UsageError(" ".join(problems.values()))
        who, form_ref = one_line(who), one_line(form_ref)
        recorded: list[Consent] = []

        def move(post: Post, now: datetime) -> None:
            self.check_record_consent(post, by)
            recorded[:] = [Consent(post.id, who, form_ref, by, now)]
            entered = f"; {via}" if via else ""
            reason = f"{who}; signed form {form_ref}{entered}"
            post.record("consent_recorded", by, now, reason=reason)

        post = self.service.change(post_id, move)
        consent = recorded[0]
        # After the audit event's commit: a retried move never stores the consent twice.
        self.consents.add(consent)
        # What the next signer still meets: an earlier override has let its findings through.
        blockers = gate.still_blocking(post, [consent])
        still = f" Still blocking: {gate.describe(blockers)}." if blockers else ""
        text = (
            f"C{consent.describe()[1:]}, recorded by {by.display}: findings of "
            f"{who}'s name or photo no longer block approval.{still}"
        )
        self.service.tell(Notice(post, "screening", by.display, text))
        return consent

    def request_changes(
        self, post_id: int, by: Person, reason: str, revision_hash: str | None = None
    ) -> Post:
        reason = require_reason(reason, "ask for changes")
        return self._decide_with_reason(
            post_id,
            by,
            lambda post, now: post.request_changes(by, now, revision_hash, reason),
            "changes_requested",
            f"{by.display} asked for changes: {reason}",
        )

    def reject(
        self, post_id: int, by: Person, reason: str, revision_hash: str | None = None
    ) -> Post:
        reason = require_reason(reason, "reject")
        return self._decide_with_reason(
            post_id,
            by,
            lambda post, now: post.reject(by, now, revision_hash, reason),
            "rejected",
            f"Rejected by {by.display}: {reason}",
        )

    def _decide_with_reason(
        self, post_id: int, by: Person, move: Move, kind: str, text: str
    ) -> Post:
        """An approver sends the post back or ends it: the thread and the proposer hear why."""

        def decide(post: Post, now: datetime) -> None:
            self.policy.check_can_decide(by, post)
            move(post, now)

        post = self.service.change(post_id, decide)
        self.service.tell(Notice(post, kind, by.display, text, tell_proposer=True))
        return post

    def withdraw(self, post_id: int, by: Person, reason: str | None = None) -> Post:
        """The proposer takes the post back; it will never publish."""

        def move(post: Post, now: datetime) -> None:
            ApprovalPolicy.check_is_proposer(by, post, "withdraw")
            post.withdraw(by, now, clean(reason or "") or None)

        post = self.service.change(post_id, move)
        self.service.tell(Notice(post, "withdrawn", by.display, f"Withdrawn by {by.display}."))
        return post

    def comment(self, post_id: int, by: Person, text: str) -> Post:
        """A review comment from the thread, kept in the audit trail. Anyone may comment."""
        text = clean(text)[:MAX_REASON]
        if not text:
            raise UsageError("The comment is empty.")
        return self.service.change(post_id, lambda post, now: post.comment(by, now, text))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."
