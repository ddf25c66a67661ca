"""Claim due deliveries, call their publishers, record each outcome and tell the approval thread.

The promises, each with the reason it holds:
- Exactly one publisher call per delivery: a delivery is claimed in a transaction that owns its
  post (row lock or compare-and-set, see bot.ports.DeliveryClaims) and moves it to `publishing`
  before any call; a second dispatcher finds nothing left to claim.
- Never a withdrawn, rejected or re-edited post: the claim re-reads the post and the domain refuses
  to start a delivery without a live approval of the current revision; once claimed, the post is
  `publishing` and can no longer be withdrawn or edited.
- Downtime: a delivery due longer ago than the grace window is not published but handed to a
  person (publish now, reschedule or cancel).
- Blackouts and quiet hours: a delivery due inside one (a rule added after the approval) is held,
  not published and not failed, and a person decides (reschedule, publish now anyway, cancel).
- A crash mid-call is never blindly re-posted: the claim carries a lease; when it runs out, the
  call is resent only to a publisher that is `idempotent`, otherwise the outcome is "unknown" and
  the thread is asked.
- Transient failures are retried with exponential backoff (at least the network's Retry-After) up
  to a limit; permanent ones fail at once.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import delivery_notices as wording
from bot.domain import SYSTEM, DeliveryState, Post
from bot.errors import ClearpostError, ConcurrentChange
from bot.ports import (
    Clock,
    DispatchUnitOfWorkFactory,
    Failed,
    Notice,
    Published,
    Publisher,
    PublishJob,
    PublishResult,
)
from bot.schedule_rules import ScheduleRules
from bot.service import Service

log = logging.getLogger(__name__)


ON_TIME = timedelta(minutes=2)  # lateness that is never "missed", whatever the grace window


def publish_job(post: Post, channel: str) -> PublishJob:
    """Exactly what one delivery of the post's current revision sends (also for dry runs)."""
    revision = post.revision
    delivery = post.deliveries[channel]
    return PublishJob(
        post_id=post.id,
        channel=channel,
        text=revision.content.text_for(channel),
        media=revision.content.media,
        link=revision.content.link,
        revision_hash=revision.hash,
        # Stable across retries and resends of this delivery of this revision, and only that.
        idempotency_key=f"clearpost-{delivery.id}-{revision.hash[:16]}",
        scheduled_at=post.scheduled_at,
        media_alt=revision.content.media_alt,
    )


@dataclass(frozen=True)
class DispatchPolicy:
    grace: timedelta = timedelta(minutes=60)  # settings.grace_minutes
    lease: timedelta = timedelta(minutes=5)  # longer than any publisher call may take
    max_attempts: int = 5
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(minutes=30)
    batch: int = 50  # posts claimed per transaction
    workers: int = 8  # publisher calls in flight at once
    record_within: timedelta = timedelta(seconds=2)  # longest an outcome waits for a burst

    @property
    def late_after(self) -> timedelta:
        """A grace of 0 still publishes what is due now: a wake-up runs a moment after its time,
        and the sweep may pick up a lost one up to a minute later."""
        return max(self.grace, ON_TIME)

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        exponential = self.first_backoff * int(2 ** max(0, attempts - 1))
        return max(timedelta(seconds=retry_after or 0), min(self.max_backoff, exponential))


@dataclass
class DispatchReport:
    """What one dispatch or sweep did, by delivery count."""

    published: int = 0
    retrying: int = 0
    failed: int = 0
    unknown: int = 0
    missed: int = 0
    released: int = 0
    held: int = 0

    def add(self, other: DispatchReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class _Claim:
    """One publisher call to make: the job, and the lease its claim holds, which names the
    claim (an older call's outcome is told apart from the current one's by it)."""

    job: PublishJob
    lease: datetime | None


@dataclass
class _Outcome:
    """What one publisher call returned, waiting to be recorded (`done` once it is)."""

    job: PublishJob
    result: PublishResult | None  # None: never called (released)
    report: DispatchReport = field(default_factory=DispatchReport)
    done: threading.Event = field(default_factory=threading.Event)
    at: float = field(default_factory=time.monotonic)
    lease: datetime | None = None  # the claim the call was made under


def _release(channel: str, post: Post, now: datetime) -> None:
    post.release_delivery(channel, now)


def _done() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


@dataclass
class Dispatcher:
    """Publishes what is due. Safe to run in several threads and several processes at once."""

    uow: DispatchUnitOfWorkFactory
    publishers: Mapping[str, Publisher]  # channel name -> publisher
    clock: Clock
    tell: Callable[[Notice], None]
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    policy: DispatchPolicy = field(default_factory=DispatchPolicy)
    rules: ScheduleRules = field(default_factory=ScheduleRules)

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(self.policy.workers, thread_name_prefix="publish")
        self._lock = threading.Lock()
        self._pending: dict[str, PublishJob] = {}  # claimed, call not started yet
        self._running: set[Future[_Outcome]] = set()
        self._outcomes: list[_Outcome] = []  # called, not yet recorded
        self._record_lock = threading.Lock()
        self._stopping = False
        # Channels whose network asked us to wait (429 with Retry-After): channel -> until when.
        self._paused: dict[str, datetime] = {}

    # -- entry points ----------------------------------------------------------------------------

    def dispatch_due(self, post_ids: Sequence[int] = ()) -> DispatchReport:
        """Claim everything due now, batch by batch, and wait for every call it started."""
        report = DispatchReport()
        futures: list[Future[_Outcome]] = []
        while not self._stopping:
            jobs, claimed_report, progressed = self._claim_due(post_ids)
            report.add(claimed_report)
            futures += [self._submit(claim) for claim in jobs]
            if not progressed:
                break
        report.add(self._collect(futures))
        return report

    def sweep(self) -> DispatchReport:
        """The periodic catch-all: recover claims left by a dead dispatcher, then dispatch."""
        report = DispatchReport()
        while not self._stopping:
            jobs, stale_report, progressed = self._recover_stale()
            report.add(stale_report)
            report.add(self._collect([self._submit(claim) for claim in jobs]))
            if not progressed:
                break
        report.add(self.dispatch_due())
        return report

    def upcoming(self, after: datetime, before: datetime, limit: int = 1000) -> list[datetime]:
        """Distinct due times in [after, before), for the scheduler's wake-ups."""
        with self.uow() as uow:
            due = uow.deliveries.upcoming(after, before, limit)
        return sorted({d.due_at for d in due})

    def in_flight(self) -> int:
        """Claims whose publisher call has not ended, or whose outcome is not yet written."""
        with self._lock:
            return len(self._pending) + len(self._running) + len(self._outcomes)

    def shutdown(self, timeout: float = 30.0) -> DispatchReport:
        """Stop claiming; give back claims whose call has not started; let running calls end.

        A call still running after `timeout` keeps its claim, and its lease decides later.
        """
        with self._lock:
            self._stopping = True
            unstarted = list(self._pending.values())
            self._pending.clear()
            running = list(self._running)
        report = DispatchReport()
        for job in unstarted:
            self._change(job.post_id, functools.partial(_release, job.channel))
            report.released += 1
        done, not_done = wait(running, timeout=timeout)
        if not_done:
            log.warning("shutdown: %d publisher calls still running", len(not_done))
        self._drain(block=True)  # what the finished calls said is written before we go
        self._pool.shutdown(wait=False, cancel_futures=True)
        log.info("dispatcher stopped: %d claims released", report.released)
        return report

    # -- claiming --------------------------------------------------------------------------------

    def _claim_due(self, post_ids: Sequence[int]) -> tuple[list[_Claim], DispatchReport, bool]:
        now = self.clock.now()
        jobs: list[_Claim] = []
        asked: list[Notice] = []  # missed or held: a person decides
        report = DispatchReport()
        with self.uow() as uow:
            paused = self._paused_channels(now)
            ids = uow.deliveries.lock_due(now, self.policy.batch, post_ids, paused)
            posts = uow.deliveries.load(ids)
            for post in posts:
                for channel, delivery in post.deliveries.items():
                    due = delivery.next_attempt_at or post.scheduled_at
                    if delivery.state is not DeliveryState.SCHEDULED or due > now:
                        continue
                    if channel in paused:
                        continue
                    if post.approved_revision is None:  # cannot happen by legal moves; be sure
                        log.error("post %s: scheduled delivery without approval", post.id)
                        continue
                    if now - self._late_from(post, due) > self.policy.late_after:
                        post.miss_delivery(channel, now, wording.MISSED_REASON)
                        asked.append(
                            wording.missed_notice(
                                post, channel, due, self.zone, self.policy.late_after
                            )
                        )
                        report.missed += 1
                        continue
                    held = self._hold(post, channel, due, now)
                    if held is not None:
                        asked.append(held)
                        report.held += 1
                        continue
                    lease = now + self.policy.lease
                    post.start_publishing(channel, SYSTEM, now, lease_until=lease)
                    jobs.append(_Claim(self._job(post, channel), lease))
            uow.deliveries.save(posts)
            uow.commit()
        for notice in asked:
            self.tell(notice)
        if ids:
            log.info(
                "claimed %d deliveries of %d posts; %d missed, %d held",
                len(jobs),
                len(ids),
                report.missed,
                report.held,
            )
        return jobs, report, bool(jobs or asked)

    def _hold(self, post: Post, channel: str, due: datetime, now: datetime) -> Notice | None:
        """Hold a delivery due inside a blackout or quiet hours (at its time or now), unless an
        approver said to publish it anyway; returns what the thread is asked."""
        if post.deliveries[channel].rules_waived:
            return None
        at = due if self.rules.closure(channel, due) is not None else now
        closure = self.rules.closure(channel, at)
        if closure is None:
            return None
        post.hold_delivery(channel, now, f"held: {closure.rule}")
        opens = self.rules.next_open([channel], at)
        return wording.held_notice(post, channel, due, closure.rule, opens, self.zone)

    def _pause(self, channel: str, until: datetime) -> None:
        with self._lock:
            self._paused[channel] = max(until, self._paused.get(channel, until))

    def _paused_channels(self, now: datetime) -> list[str]:
        with self._lock:
            for channel in [c for c, until in self._paused.items() if until <= now]:
                del self._paused[channel]
            return sorted(self._paused)

    def _late_from(self, post: Post, due: datetime) -> datetime:
        """Lateness counts from the due time, or from the approval if that came later."""
        approvals = [a.at for a in post.live_approvals()]
        return max([due, *approvals])

    def _recover_stale(self) -> tuple[list[_Claim], DispatchReport, bool]:
        now = self.clock.now()
        jobs: list[_Claim] = []
        notices: list[Notice] = []
        report = DispatchReport()
        with self.uow() as uow:
            ids = uow.deliveries.lock_stale(now, self.policy.batch)
            posts = uow.deliveries.load(ids)
            for post in posts:
                for channel, delivery in post.deliveries.items():
                    lease_end = delivery.next_attempt_at
                    if delivery.state is not DeliveryState.PUBLISHING or not lease_end:
                        continue
                    if lease_end >= now:
                        continue
                    if getattr(self.publishers.get(channel), "idempotent", False):
                        lease = now + self.policy.lease
                        post.resume_publishing(channel, now, lease)
                        jobs.append(_Claim(self._job(post, channel), lease))
                        continue
                    message = wording.stopped_mid_call(channel)
                    post.finish_delivery(channel, DeliveryState.UNKNOWN, now, error=message)
                    notices.append(wording.failure_notice(post, channel, "unknown", message))
                    report.unknown += 1
            uow.deliveries.save(posts)
            uow.commit()
        for notice in notices:
            self.tell(notice)
        if ids:
            log.info("stale claims: %d resent, %d unknown", len(jobs), report.unknown)
        return jobs, report, bool(ids)

    def _job(self, post: Post, channel: str) -> PublishJob:
        return publish_job(post, channel)

    # -- calling ---------------------------------------------------------------------------------

    def _collect(self, futures: Sequence[Future[_Outcome]]) -> DispatchReport:
        """Wait until each call has returned and its outcome is in the database."""
        report = DispatchReport()
        for future in futures:
            outcome = future.result()
            outcome.done.wait()
            report.add(outcome.report)
        return report

    def _submit(self, claim: _Claim) -> Future[_Outcome]:
        job = claim.job
        with self._lock:
            stopping = self._stopping
            if not stopping:
                self._pending[job.idempotency_key] = job
                future = self._pool.submit(self._run, claim)
                self._running.add(future)
        if stopping:  # claimed while shutting down: give it back instead of calling
            self._change(job.post_id, lambda post, now: post.release_delivery(job.channel, now))
            future = Future()
            future.set_result(_Outcome(job, None, DispatchReport(released=1), _done()))
            return future
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[_Outcome]) -> None:
        with self._lock:
            self._running.discard(future)

    def _run(self, claim: _Claim) -> _Outcome:
        job = claim.job
        with self._lock:
            if self._pending.pop(job.idempotency_key, None) is None:
                return _Outcome(job, None, done=_done())  # released by shutdown before it began
        outcome = _Outcome(job, self._call(job), lease=claim.lease)
        with self._lock:
            self._outcomes.append(outcome)
        self._drain()
        return outcome

    def _call(self, job: PublishJob) -> PublishResult:
        publisher = self.publishers.get(job.channel)
        if publisher is None:
            return Failed("permanent", wording.no_publisher(job.channel))
        try:
            return publisher.publish(job)
        except Exception as exc:  # a publisher bug: it may have sent, so never assume it did not
            log.error(
                "post %s on %s: publisher raised %s", job.post_id, job.channel, type(exc).__name__
            )
            if getattr(publisher, "idempotent", False):
                return Failed("transient", wording.PUBLISHER_FAILED_RETRYING)
            return Failed("unknown", wording.publisher_failed(job.channel))

    def _drain(self, block: bool = False) -> None:
        """Write every queued outcome, a batch per transaction, unless another thread is at it:
        a thousand calls finishing together cost tens of transactions, not thousands, and the
        callers go on to their next call instead of waiting for the database."""
        while True:
            if not block and self._calls_come_first():
                return
            if not self._record_lock.acquire(blocking=block):
                return  # the thread writing now looks again after it lets go
            try:
                while True:
                    with self._lock:
                        batch = self._outcomes[: self.policy.batch]
                        del self._outcomes[: self.policy.batch]
                    if not batch:
                        break
                    self._record_batch(batch)
            finally:
                self._record_lock.release()
            with self._lock:
                if not self._outcomes:
                    return

    def _calls_come_first(self) -> bool:
        """During a burst, publisher calls still waiting to start go before writing outcomes
        (both need the one interpreter and, on SQLite, the one writer), unless an outcome has
        waited longer than `record_within`. The last call of the burst writes them all."""
        with self._lock:
            if not self._pending or not self._outcomes:
                return False
            waited = time.monotonic() - self._outcomes[0].at
        return waited < self.policy.record_within.total_seconds()

    def _record_batch(self, batch: list[_Outcome]) -> None:
        notices: list[Notice] = []
        try:
            for _ in range(10):
                try:
                    notices = self._write_outcomes(batch)
                    break
                except ConcurrentChange:
                    continue
            else:
                log.error("%d outcomes not recorded after 10 tries", len(batch))
        except Exception as exc:  # the lease brings these back to a person; never re-post blind
            log.error("%d outcomes not recorded: %s", len(batch), type(exc).__name__)
            for outcome in batch:
                outcome.report = DispatchReport()
        finally:
            for outcome in batch:
                outcome.done.set()
        for notice in notices:
            self.tell(notice)

    def _write_outcomes(self, batch: list[_Outcome]) -> list[Notice]:
        built: list[tuple[Callable[[Post], Notice], Post]] = []
        with self.uow() as uow:
            ids = uow.deliveries.lock([o.job.post_id for o in batch])
            posts = {post.id: post for post in uow.deliveries.load(ids)}
            now = self.clock.now()
            for outcome in batch:
                outcome.report = DispatchReport()
                post = posts.get(outcome.job.post_id)
                notice = self._apply(post, outcome, now) if post is not None else None
                if post is not None and notice is not None:
                    built.append((notice, post))
            uow.deliveries.save(list(posts.values()))
            uow.commit()
        for outcome in batch:
            result, job = outcome.result, outcome.job
            what = f"failed ({result.kind})" if isinstance(result, Failed) else "published"
            log.info("post %s on %s: %s", job.post_id, job.channel, what)
        return [notice(post) for notice, post in built]

    def _apply(
        self, post: Post, outcome: _Outcome, now: datetime
    ) -> Callable[[Post], Notice] | None:
        """One outcome onto its post; returns how to word it for the thread."""
        job, result, report = outcome.job, outcome.result, outcome.report
        if result is None:
            return None
        delivery = post.deliveries[job.channel]
        channel = job.channel
        if not delivery.is_claim(outcome.lease):
            # An older call: its lease ran out, or a person re-queued the delivery meanwhile.
            # Only a success is news; recorded now, it stops the re-queued send going out too.
            if isinstance(result, Published) and post.late_success(
                channel, now, result.url, result.external_id
            ):
                report.published = 1
                return lambda p: wording.published_notice(p, channel)
            return None
        if isinstance(result, Published):
            post.finish_delivery(
                channel,
                DeliveryState.PUBLISHED,
                now,
                url=result.url,
                external_id=result.external_id,
            )
            report.published = 1
            return lambda p: wording.published_notice(p, channel)
        if result.kind == "transient" and not result.sent:
            # Held back by our own pacing: nothing reached the network, so it spends none of the
            # delivery's attempts and is no news for the thread; it simply goes when a slot frees.
            delivery.attempts = max(0, delivery.attempts - 1)
            retry_at = now + timedelta(seconds=result.retry_after or 1)
            post.finish_delivery(channel, DeliveryState.SCHEDULED, now, retry_at=retry_at)
            report.retrying = 1
            return None
        if result.kind == "transient" and delivery.attempts < self.policy.max_attempts:
            retry_at = now + self.policy.backoff(delivery.attempts, result.retry_after)
            if result.retry_after:  # the network's rate limit covers the channel, not one post
                self._pause(channel, now + timedelta(seconds=result.retry_after))
            post.finish_delivery(
                channel, DeliveryState.SCHEDULED, now, error=result.message, retry_at=retry_at
            )
            report.retrying = 1
            return lambda p: wording.retry_notice(p, channel, result.message, retry_at, self.zone)
        state = DeliveryState.UNKNOWN if result.kind == "unknown" else DeliveryState.FAILED
        post.finish_delivery(channel, state, now, error=result.message)
        if state is DeliveryState.UNKNOWN:
            report.unknown = 1
        else:
            report.failed = 1
        kind: str = result.kind
        if kind == "transient":
            kind = wording.gave_up(delivery.attempts)
        return lambda p: wording.failure_notice(p, channel, kind, result.message)

    def _change(self, post_id: int, move: Callable[[Post, datetime], None]) -> Post | None:
        """Apply one move to a post, retrying when another delivery of it saved first."""
        try:
            return Service(self.uow, self.clock, self.zone).change(post_id, move, tries=10)
        except ConcurrentChange:
            log.error("post %s: outcome not recorded after 10 tries", post_id)
        except ClearpostError as exc:
            # Someone settled it meanwhile (another replica found the lease run out): theirs
            # stands, and a shutdown goes on releasing the rest.
            log.warning("post %s: not changed: %s", post_id, type(exc).__name__)
        return None
