"""When to dispatch: a wake-up at each approved post's time, and a periodic sweep.

APScheduler (3.x, BackgroundScheduler) is kept behind this small API; its jobs only call the
Dispatcher, and the database stays the source of truth. A wake-up that is lost (a restart, a
post approved on another replica) is caught by the sweep, which also plans the wake-ups coming up
next; several replicas may each run a Scheduler, since the dispatcher's claims keep each delivery
to one publisher call.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from bot.dispatch import Dispatcher
from bot.domain import DeliveryState
from bot.ports import Notice

log = logging.getLogger(__name__)

SWEEP_JOB = "clearpost-sweep"
# Wake-ups due at the same moment share one job id; one asked for while another with that id
# is still waiting on its publisher calls must run too (queued on the pool, never skipped), or
# a post approved a moment later waits for the next sweep.
WAKE_INSTANCES = 1000


class Scheduler:
    """Start, stop, and learn of new due times through `on_notice` (a Workflow observer)."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        sweep_every: timedelta = timedelta(seconds=60),
        threads: int = 4,
        reminders: Callable[[], int] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        # The review reminders' sweep (bot/reminders.py), run after each dispatch sweep.
        self.reminders = reminders
        self.sweep_every = sweep_every
        self._stopped = False
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(threads)},
            # A late wake-up still runs (the dispatcher judges lateness against the grace window);
            # sweeps piling up while one runs collapse into one.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self, first_sweep_in: timedelta = timedelta(0)) -> None:
        """Sweep soon (catching up after downtime), then every `sweep_every`."""
        self._scheduler.add_job(
            self._sweep,
            "interval",
            seconds=self.sweep_every.total_seconds(),
            id=SWEEP_JOB,
            next_run_time=datetime.now(UTC) + first_sweep_in,
            replace_existing=True,
        )
        self._scheduler.start()
        log.info("scheduler started; sweeping every %ss", int(self.sweep_every.total_seconds()))

    def add_periodic(
        self, job_id: str, every: timedelta, job: Callable[[], object], first_in: timedelta
    ) -> None:
        """Another periodic job beside the sweep (the credential expiry sweep); its failures are
        logged and it runs again next time."""

        def run() -> None:
            try:
                job()
            except Exception as exc:
                log.error("%s failed: %s", job_id, type(exc).__name__)

        self._scheduler.add_job(
            run,
            "interval",
            seconds=every.total_seconds(),
            id=job_id,
            next_run_time=datetime.now(UTC) + first_in,
            replace_existing=True,
        )

    def shutdown(self, timeout: float = 30.0) -> None:
        """No new wake-ups; in-flight publisher calls finish or are released (see Dispatcher)."""
        if self._stopped:
            return
        self._stopped = True
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self.dispatcher.shutdown(timeout=timeout)
        log.info("scheduler stopped")

    def wake_at(self, moment: datetime) -> None:
        """Dispatch at `moment` on the dispatcher's clock (at once if it has passed). Due times
        are rounded up to a tenth of a second and share one job, so a thousand posts due at
        09:00 are one wake-up."""
        if not self._scheduler.running:
            return
        tenths = math.ceil(moment.timestamp() * 10)
        due = datetime.fromtimestamp(tenths / 10, UTC)
        self._scheduler.add_job(
            self._wake,
            "date",
            run_date=self._wall_time(due),
            max_instances=WAKE_INSTANCES,
            id=f"clearpost-wake-{tenths}",
            replace_existing=True,
        )

    def _wall_time(self, moment: datetime) -> datetime:
        """APScheduler waits on the wall clock while due times are read on the injected clock:
        carry over the wait, not the moment, so the two clocks never meet (a test clock set in
        the past must not make every wake-up fire at once)."""
        wait = max(moment - self.dispatcher.clock.now(), timedelta(0))
        return datetime.now(UTC) + wait

    def planned_wake_ups(self) -> list[datetime]:
        """When, on the wall clock, the wake-ups now planned will run (soonest first)."""
        jobs = [
            j
            for j in self._scheduler.get_jobs()
            if j.id.startswith("clearpost-wake-") and j.next_run_time
        ]
        return sorted(j.next_run_time for j in jobs)

    def on_notice(self, notice: Notice) -> None:
        """Workflow observer: an approval, a retry or a new time means a new wake-up."""
        due = [
            d.next_attempt_at or notice.post.scheduled_at
            for d in notice.post.deliveries.values()
            if d.state is DeliveryState.SCHEDULED
        ]
        if due:
            self.wake_at(min(due))

    # -- jobs ------------------------------------------------------------------------------------

    def _wake(self) -> None:
        try:
            report = self.dispatcher.dispatch_due()
            log.info("wake-up: %s", report)
        except Exception as exc:  # the sweep will try again; keep the scheduler alive
            log.error("wake-up failed: %s", type(exc).__name__)

    def _sweep(self) -> None:
        try:
            report = self.dispatcher.sweep()
            if report != type(report)():
                log.info("sweep: %s", report)
            now = self.dispatcher.clock.now()
            for moment in self.dispatcher.upcoming(now, now + 2 * self.sweep_every):
                self.wake_at(moment)
        except Exception as exc:
            log.error("sweep failed: %s", type(exc).__name__)
        if self.reminders is None:
            return
        try:
            sent = self.reminders()
            if sent:
                log.info("review reminders sent: %d", sent)
        except Exception as exc:  # the next sweep derives the same reminders from the database
            log.error("reminder sweep failed: %s", type(exc).__name__)
