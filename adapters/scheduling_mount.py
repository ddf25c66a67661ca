"""Runs the scheduler inside `clearpost serve` (an aiohttp mount) and the console.

The wiring: a Dispatcher over the Core's database, publishers, clock and workflow (so outcomes
reach the approval thread), a Scheduler that the workflow tells of every approval, stopped with
the app or the Core: in-flight publisher calls finish, claims whose call had not started are
given back.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiohttp import web

from adapters.bootstrap import Core
from adapters.credentials import expiry
from adapters.scheduling import Scheduler
from bot.dispatch import Dispatcher, DispatchPolicy
from bot.domain import Person, Post
from bot.reminders import Reminders, next_signers
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory

log = logging.getLogger(__name__)

SCHEDULER_KEY = web.AppKey("scheduler", Scheduler)
SHUTDOWN_TIMEOUT_S = 30.0


def build_scheduler(core: Core, *, sweep_every: timedelta = timedelta(seconds=60)) -> Scheduler:
    dispatcher = Dispatcher(
        uow=SqlDispatchUnitOfWorkFactory(core.engine),
        publishers=core.publishers,
        clock=core.clock,
        tell=core.workflow.tell,
        zone=core.settings.zone,
        policy=DispatchPolicy(
            grace=timedelta(minutes=core.settings.grace_minutes),
            first_backoff=timedelta(seconds=core.settings.retry_first_seconds),
            max_attempts=core.settings.retry_max_attempts,
        ),
        rules=core.workflow.rules,
    )
    return Scheduler(dispatcher, sweep_every=sweep_every, reminders=build_reminders(core).sweep)


def build_reminders(core: Core) -> Reminders:
    """Review reminders on the core's clock, to the people the post waits for (its next
    stage; the named approvers when a platform group hides who that is), then the backups."""
    settings = core.settings
    approval = core.workflow.policy
    backups = set(settings.schedule_rules.backup_approvers)

    def waiting_on(post: Post) -> tuple[Person, ...] | None:
        # Backups are approvers too (so they may decide), but hear only of escalations.
        found = next_signers(approval, post)
        return None if found is None else tuple(p for p in found if p.ref not in backups)

    policy = settings.schedule_rules.reminder_policy(
        settings.zone, settings.approvers, approval.is_urgent, waiting_on=waiting_on
    )
    return Reminders(core.workflow.service, policy)


def start_scheduling(core: Core, *, first_sweep_in: timedelta = timedelta(0)) -> Scheduler:
    """Start dispatching for this process; the Core's shutdown stops it."""
    scheduler = build_scheduler(core)
    core.workflow.observers.append(scheduler.on_notice)
    core.busy_probes.append(scheduler.dispatcher.in_flight)
    core.on_shutdown.append(lambda: stop_scheduling(core, scheduler))
    scheduler.start(first_sweep_in=first_sweep_in)
    credentials = core.credentials
    if credentials is not None:
        scheduler.add_periodic(
            "clearpost-credential-expiry",
            expiry.SWEEP_EVERY,
            lambda: expiry.warn_of_expiring_accounts(credentials, core.clock, core.alerts),
            first_in=first_sweep_in + timedelta(seconds=1),
        )
    return scheduler


def stop_scheduling(core: Core, scheduler: Scheduler) -> None:
    """Stop learning of approvals, then shut down gracefully; a second call does nothing."""
    if scheduler.on_notice in core.workflow.observers:
        core.workflow.observers.remove(scheduler.on_notice)
    scheduler.shutdown(timeout=SHUTDOWN_TIMEOUT_S)


def mount_scheduling(app: web.Application, core: Core) -> None:
    """Dispatch while the server runs; stop gracefully when it stops."""

    async def on_startup(app: web.Application) -> None:
        app[SCHEDULER_KEY] = start_scheduling(core)

    async def on_cleanup(app: web.Application) -> None:
        scheduler = app.get(SCHEDULER_KEY)
        if scheduler is not None:
            # Waiting for in-flight publisher calls must not block the event loop.
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, stop_scheduling, core, scheduler)

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
