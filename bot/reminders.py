"""Reminders and escalation: a proposal that waits past its SLA is raised again.

When the current revision has waited its SLA (working hours in the practice's zone; an urgent
post a shorter wall-clock SLA), the thread hears it again and the approvers are messaged
privately; after a second SLA the backup approvers are messaged too.

What has been sent is part of the post's audit trail (`reminded`, `escalated`, tied to the
revision), not a timer in memory: after a restart the sweep derives what is due from what is
stored. A reminder is recorded in the same compare-and-set transaction that decides to send it,
so of two replicas sweeping at once only the one whose save wins sends; the other's save fails
(`ConcurrentChange`) and it sends nothing. The message goes after the commit: a crash in between
loses that one reminder rather than sending it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import timeparse
from bot.domain import SYSTEM, AuditEvent, Person, Post, State
from bot.errors import ClearpostError, ConcurrentChange
from bot.policies import ApprovalPolicy, is_urgent
from bot.ports import Notice, PostQuery
from bot.service import Service
from bot.working_hours import WorkingHours

log = logging.getLogger(__name__)

# The audit actions of each reminder level: 1 re-announces, 2 escalates to the backups.
LEVEL_ACTIONS = {1: "reminded", 2: "escalated"}
LEVEL_KINDS = {1: "reminder", 2: "escalation"}


def refs_to_people(refs: Sequence[str]) -> tuple[Person, ...]:
    """`slack:U024BE7LH` -> the person to message on that platform."""
    people = []
    for ref in refs:
        platform, _, user_id = ref.partition(":")
        if platform and user_id:
            people.append(Person(platform, user_id))
    return tuple(people)


@dataclass(frozen=True)
class ReminderPolicy:
    hours: WorkingHours = field(default_factory=WorkingHours)
    sla: timedelta = timedelta(hours=4)  # working time
    urgent_sla: timedelta = timedelta(minutes=30)  # wall-clock time
    approvers: tuple[Person, ...] = ()
    backup_approvers: tuple[Person, ...] = ()
    is_urgent: Callable[[Post], bool] = is_urgent  # the policy's, with its urgent tags
    # Who the post waits for now (its next stage's people); None: the named approvers.
    waiting_on: Callable[[Post], Sequence[Person] | None] | None = None

    def reminded(self, post: Post, level: int) -> tuple[Person, ...]:
        """Who is messaged: level 1 the people the post waits for, level 2 the backups."""
        if level > 1:
            return self.backup_approvers
        found = self.waiting_on(post) if self.waiting_on is not None else None
        return tuple(found) if found is not None else self.approvers

    def due(self, post: Post, level: int) -> datetime:
        """When reminder `level` (1, 2) of the current revision falls due."""
        since = waiting_since(post)
        if self.is_urgent(post):
            return since + self.urgent_sla * level
        moment = since
        for _ in range(level):
            moment = self.hours.add(moment, self.sla)
        return moment

    def level_at(self, post: Post, now: datetime) -> int:
        """The highest reminder level due by `now` (0: none yet)."""
        if post.state is not State.IN_REVIEW:
            return 0
        return max((lvl for lvl in LEVEL_ACTIONS if self.due(post, lvl) <= now), default=0)

    def waited(self, post: Post, now: datetime) -> str:
        """How long the post has waited, in the SLA's own terms."""
        since = waiting_since(post)
        if self.is_urgent(post):
            return f"{_span(now - since)} (urgent)"
        return f"{_span(self.hours.between(since, now))} of working time"


def next_signers(policy: ApprovalPolicy, post: Post) -> tuple[Person, ...] | None:
    """The accounts of everyone who may sign the post's first unfinished stage (the proposer
    never is), or None when a platform group makes that stage's members unknowable."""
    for stage in policy.progress(post):
        if stage.done:
            continue
        if stage.eligible is None:
            return None
        refs = {ref for key in stage.eligible for ref in policy.directory.accounts(key)}
        return refs_to_people(sorted(refs))
    return ()


def waiting_since(post: Post) -> datetime:
    """A post waits for a decision from the moment its current revision was proposed."""
    return post.revision.created_at


def sent_levels(post: Post, trail: Sequence[AuditEvent]) -> set[int]:
    """Reminder levels already recorded for the post's current revision."""
    since = waiting_since(post)
    return {
        level
        for level, action in LEVEL_ACTIONS.items()
        for event in trail
        if event.action == action
        and event.revision_hash == post.revision.hash
        and event.at >= since
    }


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


@dataclass
class Reminders:
    """The sweep the scheduler runs every minute; safe on several replicas at once."""

    service: Service
    policy: ReminderPolicy
    batch: int = 200
    # (post id, revision hash, level) known to be recorded: spares re-reading their trails.
    _settled: set[tuple[int, str, int]] = field(default_factory=set)

    def sweep(self) -> int:
        """Send what is due now; returns how many reminders this process sent."""
        now = self.service.clock.now()
        with self.service.uow() as uow:
            waiting = uow.posts.list(PostQuery(states=[State.IN_REVIEW], limit=self.batch))
        sent = 0
        for post in waiting:
            level = self.policy.level_at(post, now)
            if level and (post.id, post.revision.hash, level) not in self._settled:
                sent += self._remind(post.id)
        return sent

    def _remind(self, post_id: int) -> int:
        now = self.service.clock.now()
        try:
            with self.service.uow() as uow:
                post = uow.posts.get(post_id)
                level = self.policy.level_at(post, now)
                if not level:
                    return 0
                already = sent_levels(post, uow.posts.audit_trail(post_id))
                if already and max(already) >= level:
                    self._settled.add((post.id, post.revision.hash, level))
                    return 0
                text = self._text(post, level, now)
                post.record(LEVEL_ACTIONS[level], SYSTEM, now, reason=f"revision {_rev(post)}")
                uow.posts.save(post)  # compare-and-set: a replica that lost sends nothing
                uow.commit()
        except ConcurrentChange:
            log.info("post %s: reminder left to whoever changed it first", post_id)
            return 0
        except ClearpostError as exc:
            log.warning("post %s: no reminder: %s", post_id, type(exc).__name__)
            return 0
        self._settled.add((post.id, post.revision.hash, level))
        people = self.policy.reminded(post, level)
        notice = Notice(post, LEVEL_KINDS[level], SYSTEM.display, text, tell_people=people)
        self._tell_everywhere(notice)
        log.info("post %s: %s sent (revision %s)", post.id, LEVEL_KINDS[level], _rev(post))
        return 1

    def _text(self, post: Post, level: int, now: datetime) -> str:
        since = timeparse.describe(waiting_since(post), self.service.zone)
        waited = self.policy.waited(post, now)
        if level == 1:
            return (
                f"Reminder: post #{post.id} has waited {waited} for a decision since {since}. "
                "Approvers, please approve, ask for changes or reject it."
            )
        return (
            f"Escalated: post #{post.id} has waited {waited} for a decision since {since}. "
            "Backup approvers, please decide it."
        )

    def _tell_everywhere(self, notice: Notice) -> None:
        """The thread's platform tells the thread and its own people; every other platform
        only messages its people (its notifier finds no thread of its own to update)."""
        self.service.tell(notice)
        home = self.service.notifier_for(notice.post)
        platforms = {p.platform for p in notice.tell_people}
        for name, notifier in self.service.notifiers.items():
            if notifier is home or name not in platforms:
                continue
            try:
                notifier.notify(notice)
            except Exception as exc:  # the reminder is recorded; one platform failing is logged
                log.warning(
                    "post %s: %s reminder not sent: %s", notice.post.id, name, type(exc).__name__
                )


def _rev(post: Post) -> int:
    return post.revision.number
