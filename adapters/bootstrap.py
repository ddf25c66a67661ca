"""Composition root: Settings -> engine, unit of work, workflow; adapters add their parts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from adapters.publishers.registry import (
    PublisherChannelRules,
    build_publishers,
    close_publishers,
)
from adapters.settings import Settings
from bot.policies import ApprovalPolicy
from bot.ports import ChannelRules, Clock, Publisher, SystemClock
from bot.workflow import Workflow
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sqlmodel_repo import SqlUnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass
class Core:
    """Everything a front end needs; built once per process."""

    settings: Settings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    workflow: Workflow
    clock: Clock
    publishers: dict[str, Publisher] = field(default_factory=dict)  # channel name -> publisher
    on_shutdown: list[Callable[[], None]] = field(default_factory=list)
    # Each front end's count of work it accepted and has not finished (requests after their
    # answer, queued notices, publisher calls): /healthz reports the sum, so a deploy can drain.
    busy_probes: list[Callable[[], int]] = field(default_factory=list)

    def busy(self) -> int:
        return sum(probe() for probe in self.busy_probes)

    def shutdown(self) -> None:
        for hook in reversed(self.on_shutdown):
            try:
                hook()
            except Exception:  # keep shutting the rest down
                log.exception("shutdown hook failed")
        self.engine.dispose()


def build_core(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    channel_rules: ChannelRules | None = None,
) -> Core:
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    uow = SqlUnitOfWorkFactory(engine)
    clock = clock or SystemClock()
    # Each configured channel's publisher; its validate() is what the workflow checks posts with.
    publishers = build_publishers(settings.channels)
    workflow = Workflow(
        uow=uow,
        policy=ApprovalPolicy.of(settings.approvers, settings.required_approvals),
        channels=channel_rules or PublisherChannelRules(settings.channel_networks, publishers),
        clock=clock,
        zone=settings.zone,
        date_order=settings.date_order,
    )
    core = Core(
        settings=settings,
        engine=engine,
        uow=uow,
        workflow=workflow,
        clock=clock,
        publishers=publishers,
    )
    core.on_shutdown.append(lambda: close_publishers(publishers))
    return core
