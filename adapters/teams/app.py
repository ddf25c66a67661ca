"""`mount_teams`: the Bot Framework messaging endpoint `POST /api/messages` in `clearpost serve`.

With an app id, requests must carry a valid Bot Framework token (botbuilder checks it). With
none and CLEARPOST_TEAMS_ENABLED=1 it runs unauthenticated, for local testing only, and says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

import jwt
import requests
from aiohttp import web
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.schema.teams import TeamsChannelData
from botframework.connector.auth import AuthenticationConstants
from msrest.exceptions import DeserializationError
from sqlalchemy import Engine

from adapters.bootstrap import Chat, Core
from adapters.settings import Settings
from adapters.teams import cards
from adapters.teams.bot import ClearpostTeamsBot
from adapters.teams.cloud import BOT_FRAMEWORK_SCOPE
from adapters.teams.conversations import ConversationBook
from adapters.teams.credentials import CredentialsRefused, credentials_factory
from adapters.teams.export import PATH as EXPORT_PATH
from adapters.teams.export import TEMPLATE_PATH, CalendarLinks, shared_link_key
from adapters.teams.files import TeamsFiles
from adapters.teams.notifier import PLATFORM, TeamsNotifier
from adapters.teams.plan_upload import PlanUploads
from adapters.teams.profiles import TeamsProfileEmails
from adapters.teams.signing_keys import bound_signing_key_fetches
from adapters.urls import is_http_url
from bot.ports import Clock
from bot.workflow import ANNOUNCE_GRACE
from storage.kv import SqlKeyValueStore

log = logging.getLogger(__name__)

ANNOUNCE_RETRY_SECONDS = 60.0
CORE_THREADS = 8  # core calls in flight at once; more would only queue on the database


# What the Bot Framework sends is small (a Teams message is at most about 28 KB of text, cards
# and attachments travel as URLs); 1 MiB leaves room for channel data and card submissions.
MAX_ACTIVITY_BYTES = 1024 * 1024
TOKEN_LEEWAY_SECONDS = 300


def plausible_token(header: str, app_id: str) -> bool:
    """A bearer JWT issued for this bot and not expired, judged without its signature: the cheap
    check that lets a request without one be refused before its body is read. botbuilder then
    checks the signature, issuer and endorsements as always."""
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token or len(token) > 16 * 1024:
        return False
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    expires = claims.get("exp")
    return (
        app_id in audiences
        and isinstance(expires, int | float)
        and expires > time.time() - TOKEN_LEEWAY_SECONDS
    )


async def read_bounded(request: web.Request, limit: int) -> bytes:
    """The body, or 413 as soon as it is known to be longer than `limit` (never read past it)."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=size)
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class _AuthConfig:
    """The attribute names botbuilder's configuration classes read."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TENANTID: str | None
    APP_TYPE: str


def auth_config(settings: Settings) -> _AuthConfig:
    password = (
        settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
    )
    if settings.teams_app_id is None:
        # No identity: botbuilder disables authentication only for the multi-tenant type.
        return _AuthConfig(None, None, None, "MultiTenant")
    config = _AuthConfig(
        settings.teams_app_id, password, settings.teams_tenant_id, settings.teams_app_type
    )
    cloud = settings.teams_cloud
    if not cloud.inbound_is_public:
        # Any of these switches botbuilder to its parameterized cloud, which then needs all.
        extra = {
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": cloud.openid_metadata_url,
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": cloud.token_issuer,
            "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": (
                AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
            ),
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": BOT_FRAMEWORK_SCOPE,
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": cloud.authority(settings.teams_tenant_id),
            "OAUTH_URL": AuthenticationConstants.OAUTH_URL,
            "VALIDATE_AUTHORITY": True,
        }
        for name, value in extra.items():
            setattr(config, name, value)
    return config


@dataclass
class TeamsParts:
    adapter: CloudAdapter
    bot: ClearpostTeamsBot
    notifier: TeamsNotifier
    book: ConversationBook
    turns: set[asyncio.Task[object]]
    files: TeamsFiles | None = None

    async def settle(self) -> None:
        """Wait for activities still being handled, file uploads and the notices they queued."""
        while self.turns:
            await asyncio.gather(*list(self.turns), return_exceptions=True)
        await self.bot.dialogs.settle()
        if self.files is not None:
            await self.files.settle()
        await self.notifier.drain()


TEAMS_KEY = web.AppKey("teams", TeamsParts)


def teams_chat(settings: Settings, engine: Engine, clock: Clock) -> Chat | None:
    """Teams' part of the core (built by the composition root): the Bot Framework adapter, the
    stored conversations, the approval card's notifier, and approvers by Entra ID group."""
    if not settings.teams_enabled:
        return None
    credentials = credentials_factory(settings)
    certificate = settings.teams_certificate_thumbprint and settings.teams_certificate_key_file
    if settings.teams_app_id and credentials is None:
        # botbuilder would stop with a traceback (SingleTenant) or fail on the first reply.
        raise SystemExit(
            "MicrosoftAppPassword: required with MicrosoftAppId for Teams, unless you use a "
            "certificate (MicrosoftAppCertificateThumbprint and MicrosoftAppCertificateKeyFile)."
        )
    if (
        settings.teams_app_id
        and settings.teams_app_type.lower() == "singletenant"
        and not settings.teams_tenant_id
        and not certificate  # a password needs the tenant
    ):
        raise SystemExit(
            "MicrosoftAppTenantId: required for a SingleTenant app (MicrosoftAppType); give the "
            "Entra ID tenant id, or set MicrosoftAppType=MultiTenant if the app is multi-tenant."
        )
    if settings.teams_app_id:
        bound_signing_key_fetches(settings.teams_cloud.timeout_seconds)
    adapter = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(
            auth_config(settings), credentials_factory=credentials
        )
    )
    book = ConversationBook(SqlKeyValueStore(engine, clock), settings.teams_approval_channel)
    group = frozenset(settings.teams_approver_group)
    named = sorted(
        a.strip().partition(":")[2] for a in settings.approvers if a.strip().startswith("teams:")
    )
    named += sorted(p.teams for p in settings.policy.people.values() if p.teams)  # stage signers

    def approver_accounts() -> list[str]:
        """The Teams ids (MRIs) of configured approvers seen so far: the card's refresh list."""
        accounts = [*named, *settings.teams_approver_group]
        return book.accounts(accounts)[: cards.MAX_REFRESH_USERS]

    notifier = TeamsNotifier(
        adapter, book, settings.zone, settings.teams_app_id, approver_accounts=approver_accounts
    )
    # An address links accounts only with Slack beside Teams, or people listed by address.
    linking = settings.slack_enabled or any(p.email for p in settings.policy.people.values())
    profiles = TeamsProfileEmails(wanted=linking, store=book.store)
    return Chat(PLATFORM, notifier, group.__contains__, email_of=profiles)


def mount_teams(app: web.Application, core: Core) -> None:
    settings = core.settings
    if not settings.teams_enabled:
        return
    if settings.teams_app_id is None:
        log.warning(
            "TEAMS IS RUNNING WITHOUT AUTHENTICATION (no app id): anyone who can reach "
            "/api/messages can act as anyone. Use this for local testing only."
        )
    chat = core.chat.get(PLATFORM)
    if chat is None or not isinstance(chat.notifier, TeamsNotifier):
        raise RuntimeError("Teams is configured but the core was built without teams_chat")
    notifier = chat.notifier
    adapter, book = notifier.adapter, notifier.book
    if not isinstance(adapter, CloudAdapter):
        raise RuntimeError("the Teams notifier needs botbuilder's CloudAdapter")
    approver_accounts = notifier.approver_accounts
    workflow = core.workflow
    background: set[asyncio.Task[object]] = set()
    turns: set[asyncio.Task[object]] = set()  # activities answered, still being handled

    executor = ThreadPoolExecutor(CORE_THREADS, thread_name_prefix="teams-core")

    def announce_pending_soon() -> None:
        loop = asyncio.get_running_loop()
        # The channel just became known: what waited for it goes out now, whatever its age.
        task = loop.create_task(announce_pending(min_age=timedelta(0)))
        background.add(task)
        task.add_done_callback(background.discard)

    async def announce_pending(min_age: timedelta = ANNOUNCE_GRACE) -> int:
        loop = asyncio.get_running_loop()
        call = functools.partial(workflow.announce_pending, PLATFORM, min_age=min_age)
        return await loop.run_in_executor(executor, call)

    links = CalendarLinks(
        workflow, settings.public_base_url, executor, key=shared_link_key(book.store)
    )
    # File URLs come from Teams inside authenticated activities; plain http only when testing.
    local = settings.teams_app_id is None
    files = TeamsFiles(links, book.store, notifier.send, executor=executor, allow_http=local)
    plans = PlanUploads(workflow, book.store, executor=executor, allow_http=local)
    bot = ClearpostTeamsBot(
        workflow,
        book,
        on_channel_known=announce_pending_soon,
        files=files,
        plans=plans,
        executor=executor,
        approver_accounts=approver_accounts,
        profiles=chat.email_of if isinstance(chat.email_of, TeamsProfileEmails) else None,
        media=core.media,
        allow_http=local,
        tell_person=notifier.tell_person,
    )

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        if isinstance(error, CredentialsRefused):
            # Said in a sentence when it was refused; Teams cannot be told anything now.
            log.info("teams turn not answered: the bot's credentials were refused")
            return
        ref = uuid.uuid4().hex[:6]
        log.error("teams turn failed (ref %s): %s", ref, type(error).__name__, exc_info=error)
        with contextlib.suppress(Exception):
            await context.send_activity(f"Something went wrong on our side (ref {ref}).")

    adapter.on_turn_error = on_turn_error

    async def messages(request: web.Request) -> web.StreamResponse:
        """Invokes are answered with their result; every other activity is authenticated, then
        answered 202 at once and handled after the answer (replies go through the connector).

        With an app id, a request without a plausible token for this bot is refused before a
        byte of its body is read; every body is read only up to MAX_ACTIVITY_BYTES."""
        header = request.headers.get("Authorization", "")
        if settings.teams_app_id is not None and not plausible_token(header, settings.teams_app_id):
            log.info("teams: request without a token for this bot refused unread")
            raise web.HTTPUnauthorized()
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise web.HTTPUnsupportedMediaType()
        raw = await read_bounded(request, MAX_ACTIVITY_BYTES)
        try:
            # The JSON's own encoding (UTF-8 from the Bot Framework), whatever charset is named.
            body = json.loads(raw)
            activity = Activity().deserialize(body) if isinstance(body, dict) else None
            if activity is not None and activity.channel_data is not None:
                # botbuilder reads it as Teams channel data for most activity types, inside
                # the turn, where a damaged one would be a failure of ours.
                TeamsChannelData().deserialize(activity.channel_data)
            if activity is not None and any(
                isinstance(value, list) and None in value for value in body.values()
            ):
                # A null among attachments, membersAdded, reactions…: every reader trips on it.
                activity = None
        except (ValueError, TypeError, AttributeError, RecursionError, DeserializationError):
            activity = None
        if activity is None or not activity.type:
            raise web.HTTPBadRequest(text="Expected a Bot Framework activity as a JSON object.")
        # Without these the bot could act on the activity but never say who did it or answer.
        if not (
            is_http_url(body.get("serviceUrl"))
            and activity.conversation
            and activity.conversation.id
            and activity.from_property
            and activity.from_property.id
        ):
            raise web.HTTPBadRequest(
                text="The activity needs an http(s) serviceUrl, a conversation and from."
            )
        auth = adapter.bot_framework_authentication
        try:
            checked = await auth.authenticate_request(activity, header)
        except (requests.RequestException, KeyError) as exc:
            # The Bot Framework's signing keys could not be fetched (or made no sense): nobody
            # can be authenticated now, which is ours to fix, not the caller's fault.
            log.warning("teams: signing keys unavailable (%s)", type(exc).__name__)
            raise web.HTTPServiceUnavailable(text="Cannot check tokens right now.") from None
        except Exception as exc:
            # Refused, a token that is not even a JWT, an unknown key id, a failed endorsement
            # (botbuilder raises bare Exceptions for some): always a 401, never a 500.
            log.info("teams: request not authenticated (%s)", type(exc).__name__)
            raise web.HTTPUnauthorized() from None
        if activity.type == ActivityTypes.invoke:
            failed: list[Exception] = []

            async def turn(context: TurnContext) -> None:
                try:
                    await bot.on_turn(context)
                except Exception as exc:  # on_turn_error logs it and tells the person
                    failed.append(exc)
                    raise

            answer = await adapter.process_activity(checked, activity, turn)
            if answer is None:
                return web.Response(status=200)
            if answer.status == HTTPStatus.NOT_IMPLEMENTED and not failed:
                # botbuilder's answer to an invoke no handler takes (a name Clearpost does not
                # use): the caller asked for something that does not exist here, a 400.
                raise web.HTTPBadRequest(text="Clearpost does not handle this invoke.")
            return web.json_response(serializer_helper(answer.body), status=answer.status)
        turn = asyncio.get_running_loop().create_task(
            adapter.process_activity(checked, activity, bot.on_turn)
        )
        turns.add(turn)
        turn.add_done_callback(turns.discard)
        return web.Response(status=202)

    async def retry_unannounced() -> None:
        """A proposal whose card could not be posted is never lost: it is posted later."""
        while True:
            await asyncio.sleep(ANNOUNCE_RETRY_SECONDS)
            try:
                count = await announce_pending()
            except Exception as exc:
                log.warning("teams: announcing pending posts failed: %s", type(exc).__name__)
            else:
                if count:
                    log.info("teams: %d pending posts announced", count)

    async def start(_app: web.Application) -> None:
        await notifier.start()
        task = asyncio.get_running_loop().create_task(retry_unannounced())
        background.add(task)

    async def stop(_app: web.Application) -> None:
        plans.pool.shutdown()  # running imports stop at their next row; none is waited for long
        await asyncio.gather(*turns, return_exceptions=True)
        await bot.dialogs.settle()
        await files.settle()
        for task in list(background):
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await notifier.stop()
        executor.shutdown(wait=False, cancel_futures=True)

    app.router.add_post("/api/messages", messages)
    app.router.add_get(EXPORT_PATH, links.download)
    app.router.add_get(TEMPLATE_PATH, links.download_template)
    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    app[TEAMS_KEY] = TeamsParts(adapter, bot, notifier, book, turns, files)
    core.busy_probes.append(
        lambda: len(turns) + len(files.tasks) + notifier.pending + plans.pool.running
    )
