"""Composition root: Settings -> engine, unit of work, publishers, the chat platforms' notifiers
and approver-group lookups, and the workflow built with all of them. Nothing is rewired after:
front ends mount their routes on what is built here and only translate."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from adapters.credentials.alerts import ApprovalChannelAlerts
from adapters.credentials.keys import cipher_for
from adapters.credentials.provider import TokenWiring
from adapters.media.wiring import Media, build_media, with_media_links
from adapters.people_directory import PeopleDirectory
from adapters.publishers.registry import (
    PublisherChannelRules,
    build_publishers,
    close_publishers,
)
from adapters.screening import practice_screener
from adapters.settings import Settings
from bot.policies import ApprovalPolicy
from bot.ports import ChannelRules, ChatNotifier, Clock, Publisher, SystemClock
from bot.screening import PostScreener
from bot.workflow import Workflow
from storage.consents import SqlConsentBook
from storage.credentials import SqlCredentialStore
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sqlmodel_repo import SqlUnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass
class Chat:
    """One chat platform's part of the core: where its threads go, and (when configured) who
    is an approver by group membership."""

    platform: str
    notifier: ChatNotifier
    is_member: Callable[[str], bool] | None = None
    email_of: Callable[[str], str | None] | None = None  # user id -> profile e-mail (linking)


# Builds a platform's Chat from the settings (None when the platform is not configured).
ChatBuilder = Callable[[Settings, Engine, Clock], "Chat | None"]


@dataclass
class Core:
    """Everything a front end needs; built once per process."""

    settings: Settings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    workflow: Workflow
    clock: Clock
    publishers: dict[str, Publisher] = field(default_factory=dict)  # channel name -> publisher
    chat: dict[str, Chat] = field(default_factory=dict)  # platform -> its notifier and groups
    on_shutdown: list[Callable[[], None]] = field(default_factory=list)
    # Channel credentials (sealed with CLEARPOST_SECRET_KEY) and the approval-channel alerts
    # about them (a token about to expire, a refresh refused).
    credentials: SqlCredentialStore | None = None
    alerts: ApprovalChannelAlerts = field(default_factory=ApprovalChannelAlerts)
    # Each front end's count of work it accepted and has not finished (requests after their
    # answer, queued notices, publisher calls): /healthz reports the sum, so a deploy can drain.
    busy_probes: list[Callable[[], int]] = field(default_factory=list)
    # Files attached in chat: the store and the signed links publishers hand the networks.
    media: Media | None = None

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
    chat: Sequence[ChatBuilder] = (),
    screener: PostScreener | None = None,
) -> Core:
    """`chat` names the platforms this process talks to (`clearpost serve`: Slack and Teams,
    when configured; the console: itself); a command-line tool talks to none. `screener`
    replaces the practice's detector (a test holds screening with it)."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    uow = SqlUnitOfWorkFactory(engine)
    clock = clock or SystemClock()
    secret_key = settings.secret_key.get_secret_value() if settings.secret_key else None
    credentials = SqlCredentialStore(engine, cipher_for(secret_key), clock)
    alerts = ApprovalChannelAlerts()
    # Each configured channel's publisher; its validate() is what the workflow checks posts with.
    media = build_media(settings, engine, clock)
    publishers = with_media_links(
        build_publishers(settings.channels, tokens=TokenWiring(credentials, clock, tell=alerts)),
        media,
    )
    chats = {c.platform: c for build in chat if (c := build(settings, engine, clock)) is not None}
    alerts.attach(chats)
    groups = {name: c.is_member for name, c in chats.items() if c.is_member is not None}
    lookups = {name: c.email_of for name, c in chats.items() if c.email_of is not None}
    directory = PeopleDirectory(settings.policy.people, lookups)
    workflow = Workflow(
        uow=uow,
        policy=ApprovalPolicy.of(
            # Backup approvers are messaged only on escalation, and may then decide.
            [*settings.approvers, *settings.schedule_rules.backup_approvers],
            settings.required_approvals,
            groups,
            urgent_tags=settings.policy.urgent_tags,
            plan=settings.policy.plan(),
            groups=settings.policy.groups,
            directory=directory,
        ),
        notifiers={name: c.notifier for name, c in chats.items()},
        channels=channel_rules or PublisherChannelRules(settings.channel_networks, publishers),
        clock=clock,
        zone=settings.zone,
        date_order=settings.date_order,
        screener=screener or practice_screener(settings.practice.model_dump()),
        consents=SqlConsentBook(engine),
        disclaimers=settings.screening.disclaimers,
        rules=settings.schedule_rules.rules(settings.zone),
    )
    core = Core(
        settings=settings,
        engine=engine,
        uow=uow,
        workflow=workflow,
        clock=clock,
        publishers=publishers,
        chat=chats,
        credentials=credentials,
        alerts=alerts,
        media=media,
    )
    core.on_shutdown.append(lambda: close_publishers(publishers))
    return core
