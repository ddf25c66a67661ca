"""The core's front door: every verb a front end may call, in the practice's words.

Slack, Teams and the console call these methods and nothing below them, so permissions, audit
and concurrency come for free. Each verb is done by the module whose job it is:

  drafting.py       a request or an edit -> checked content (channels, time, text, problems)
  review.py         propose, announce, revise, approve, request changes, reject, withdraw, comment
  delivery_desk.py  a person's retry, publish now, reschedule, mark published, cancel
  queries.py        reads for calendars, queues, App Home and threads
  service.py        one transaction per change, then tell the approval thread
  policies.py       who may do what; replies.py what the person who acted is told
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import replies
from bot.commands import ProposeRequest
from bot.consent import Consent, ConsentBook, NoConsents
from bot.consent_findings import with_consents
from bot.deliveries import DeliveryAction
from bot.delivery_desk import DeliveryDesk
from bot.domain import AuditEvent, Content, Person, Post
from bot.drafting import Drafting, Edit, clean
from bot.policies import ApprovalPolicy
from bot.ports import ChannelRules, ChatNotifier, Clock, Notice, PostQuery, UnitOfWorkFactory
from bot.queries import Queries
from bot.review import ANNOUNCE_GRACE, Review
from bot.schedule_rules import ScheduleRules
from bot.screening import PostScreener, fallback_screener
from bot.screening_gate import still_blocking
from bot.service import Service

__all__ = ["ANNOUNCE_GRACE", "Edit", "Workflow", "clean"]


@dataclass
class Workflow:
    uow: UnitOfWorkFactory
    policy: ApprovalPolicy
    channels: ChannelRules
    clock: Clock
    zone: ZoneInfo
    notifiers: dict[str, ChatNotifier] = field(default_factory=dict)
    date_order: str = "MDY"
    screener: PostScreener = fallback_screener
    consents: ConsentBook = field(default_factory=NoConsents)
    disclaimers: Mapping[str, str] = field(default_factory=dict)  # channel or #tag -> sentence
    # Called with every Notice after its commit (the scheduler listens for approvals this way).
    observers: list[Callable[[Notice], None]] = field(default_factory=list)
    # Blackouts and quiet hours: times a post may not be proposed, edited or rescheduled into.
    rules: ScheduleRules = field(default_factory=ScheduleRules)

    def __post_init__(self) -> None:
        # The parts share these very objects: a notifier or observer added here reaches them all.
        # What front ends display beside the stored post: the checklist, the consents on file.
        annotate = with_consents(self.consents, self.policy.annotate)
        self.service = Service(
            self.uow, self.clock, self.zone, self.notifiers, self.observers, annotate
        )
        self.drafting = Drafting(
            self.channels,
            self.clock,
            self.zone,
            self.date_order,
            self.screener,
            self.disclaimers,
            rules=self.rules,
        )
        self.review = Review(self.service, self.drafting, self.policy, self.consents)
        self.desk = DeliveryDesk(self.service, self.drafting, self.policy)
        self.queries = Queries(self.uow, self.clock, self.policy, annotate)

    # -- reading -------------------------------------------------------------------------------

    def get(self, post_id: int) -> Post:
        return self.queries.get(post_id)

    def audit_trail(self, post_id: int) -> list[AuditEvent]:
        return self.queries.audit_trail(post_id)

    def posts(self, query: PostQuery) -> list[Post]:
        return self.queries.posts(query)

    def calendar(self, days: int = 14, start: datetime | None = None) -> list[Post]:
        return self.queries.calendar(days, start)

    def my_posts(self, person: Person, limit: int = 20) -> list[Post]:
        return self.queries.my_posts(person, limit)

    def review_queue(self, person: Person) -> list[Post]:
        return self.queries.review_queue(person)

    def by_thread(self, platform: str, channel: str, ts: str) -> Post | None:
        return self.queries.by_thread(platform, channel, ts)

    # -- asking before acting (front ends ask these before they open a form) ---------------------

    def is_approver(self, person: Person) -> bool:
        return self.policy.is_approver(person)

    def is_urgent(self, post: Post) -> bool:
        return self.policy.is_urgent(post)

    def check_may_decide(self, person: Person, post: Post, action: str) -> None:
        self.policy.check_may_decide(person, post, action)

    def check_may_edit(self, person: Person, post: Post) -> None:
        self.policy.check_may_edit(person, post)

    def check_may_act_on_delivery(self, person: Person, post: Post, action: DeliveryAction) -> None:
        self.policy.check_can_act_on_delivery(person, post, action)

    def check_edit(self, post_id: int, by: Person, edit: Edit) -> None:
        self.review.check_edit(self.get(post_id), by, edit)

    def confirmation(self, post: Post, doing: str = "Proposed", why: str | None = None) -> str:
        return replies.proposed(post, self.zone, doing, why)

    # -- drafting ------------------------------------------------------------------------------

    def resolve_time(self, when: str | datetime) -> datetime:
        return self.drafting.resolve_time(when)

    def reads_as_time(self, phrase: str) -> bool:
        return self.drafting.reads_as_time(phrase)

    def resolve_channels(self, names: Sequence[str]) -> tuple[str, ...]:
        return self.drafting.resolve_channels(names)

    def build_content(
        self, request: ProposeRequest, scheduled_at: datetime | None = None
    ) -> Content:
        return self.drafting.build_content(request, scheduled_at)

    def form_time(self, moment: datetime) -> str:
        return self.drafting.form_time(moment)

    def problems(self, content: Content) -> list[str]:
        return self.drafting.problems(content)

    # -- review --------------------------------------------------------------------------------

    def propose(self, request: ProposeRequest, by: Person) -> Post:
        return self.review.propose(request, by)

    def announce(self, post: Post) -> Post:
        return self.review.announce(post)

    def announce_pending(
        self, platform: str | None = None, limit: int = 50, min_age: timedelta = ANNOUNCE_GRACE
    ) -> int:
        return self.review.announce_pending(platform, limit, min_age)

    def revise(
        self,
        post_id: int,
        by: Person,
        *,
        text: str | None = None,
        when: str | datetime | None = None,
        channels: Sequence[str] | None = None,
        overrides: Mapping[str, str] | None = None,
        media: Sequence[str] | None = None,
        link: str | None = None,
        notes: str | None = None,
        media_alt: Sequence[str] | None = None,
    ) -> Post:
        edit = Edit(text, when, channels, overrides, media, link, notes, media_alt)
        return self.review.revise(post_id, by, edit)

    def approve(
        self,
        post_id: int,
        by: Person,
        revision_hash: str | None = None,
        override_reason: str | None = None,
    ) -> Post:
        return self.review.approve(post_id, by, revision_hash, override_reason)

    def record_consent(
        self, post_id: int, who: str, form_ref: str, by: Person, via: str | None = None
    ) -> Consent:
        return self.review.record_consent(post_id, who, form_ref, by, via)

    def check_record_consent(self, person: Person, post: Post) -> None:
        """Before a consent form opens: would `record_consent` take this person's consent?"""
        self.review.check_record_consent(post, person)

    def blocking_findings(self, post: Post) -> list[str]:
        """The kinds of high-severity findings that keep this post from a plain approval: none
        when an earlier signer of this revision overrode them."""
        return still_blocking(post, self.consents_for(post.id))

    def consents_for(self, post_id: int) -> Sequence[Consent]:
        return self.review.consents.for_post(post_id)

    def request_changes(
        self, post_id: int, by: Person, reason: str, revision_hash: str | None = None
    ) -> Post:
        return self.review.request_changes(post_id, by, reason, revision_hash)

    def reject(
        self, post_id: int, by: Person, reason: str, revision_hash: str | None = None
    ) -> Post:
        return self.review.reject(post_id, by, reason, revision_hash)

    def withdraw(self, post_id: int, by: Person, reason: str | None = None) -> Post:
        return self.review.withdraw(post_id, by, reason)

    def comment(self, post_id: int, by: Person, text: str) -> Post:
        return self.review.comment(post_id, by, text)

    # -- deliveries ----------------------------------------------------------------------------

    def retry_delivery(self, post_id: int, by: Person, channel: str | None = None) -> Post:
        return self.desk.retry(post_id, by, channel)

    def publish_now(self, post_id: int, by: Person, channel: str | None = None) -> Post:
        return self.desk.publish_now(post_id, by, channel)

    def reschedule_delivery(
        self, post_id: int, by: Person, when: str | datetime, channel: str | None = None
    ) -> Post:
        return self.desk.reschedule(post_id, by, when, channel)

    def mark_published(
        self, post_id: int, by: Person, channel: str | None = None, url: str | None = None
    ) -> Post:
        return self.desk.mark_published(post_id, by, channel, url)

    def cancel_delivery(self, post_id: int, by: Person, channel: str | None = None) -> Post:
        return self.desk.cancel(post_id, by, channel)

    def stop(self, post_id: int, by: Person) -> Post:
        """Call off every channel of an approved post that has not gone out (audited)."""
        return self.desk.stop(post_id, by)

    # -- the thread ----------------------------------------------------------------------------

    def tell(self, notice: Notice) -> None:
        """Tell the post's approval thread (the dispatcher's outcomes come this way too)."""
        self.service.tell(notice)
