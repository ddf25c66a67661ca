"""Builds the bolt App and mounts it on `clearpost serve`: HTTP at /slack/events, or Socket Mode.

bolt's own aiohttp adapter is for AsyncApp only, so `handle_slack_request` is a tiny translation
(aiohttp request -> BoltRequest -> App.dispatch on a thread -> BoltResponse -> aiohttp response),
like bolt's Flask adapter. bolt checks the signature and the timestamp itself (401 otherwise).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier

from adapters.bootstrap import Chat, Core
from adapters.settings import Settings
from adapters.slack import ids
from adapters.slack.approvers import UserGroupMembers
from adapters.slack.export import calendar_export
from adapters.slack.listeners import SlackListeners
from adapters.slack.notifier import SlackNotifier
from adapters.slack.people import SlackNames
from adapters.slack.plans import SlackPlans
from adapters.tracking_executor import TrackingExecutor
from adapters.urls import is_http_url
from storage.kv import SqlKeyValueStore

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# What Slack sends: commands and interactions as a form, Events API deliveries as JSON.
SLACK_CONTENT_TYPES = ("application/x-www-form-urlencoded", "application/json")
ANNOUNCE_RETRY_SECONDS = 60.0
WORKERS = 64  # each in-flight request holds a thread until its listener acks
AFTER_ACK_WORKERS = 2  # proposals are rare; two keep a burst from starving the acks


@dataclass
class SlackRuntime:
    """What mount_slack built, kept on the aiohttp app for shutdown and for tests."""

    bolt: App
    client: WebClient
    notifier: SlackNotifier
    listeners: SlackListeners
    executor: TrackingExecutor  # bolt's listeners: each acks, then hands slow work on
    work: TrackingExecutor  # the slow work after the ack
    socket_mode: Any | None = None

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Listeners finish by handing work on, so waiting for them first, then plan imports
        (which may hand a reply to the work), then the work is enough to see everything a
        request started."""
        plans = self.listeners.plans
        return (
            self.executor.wait_idle(timeout)
            and (plans is None or plans.pool.wait_idle(timeout))
            and self.work.wait_idle(timeout)
        )


SLACK_KEY = web.AppKey("slack", SlackRuntime)


def build_client(settings: Settings) -> WebClient:
    """The Web API client: SLACK_API_URL when set, with retries for 429 (Retry-After), 5xx and
    dropped connections; other errors come back at once for the caller to explain."""
    assert settings.slack_bot_token is not None
    kwargs: dict[str, Any] = {}
    if settings.slack_api_url:
        base = settings.slack_api_url
        kwargs["base_url"] = base if base.endswith("/") else base + "/"
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
        **kwargs,
    )


def build_bolt_app(settings: Settings, client: WebClient, executor: TrackingExecutor) -> App:
    secret = settings.slack_signing_secret
    try:
        bolt = App(
            client=client,
            # Socket Mode has no signatures to check; HTTP mode without a secret refuses to start.
            signing_secret=secret.get_secret_value() if secret else None,
            request_verification_enabled=settings.slack_app_token is None,
            process_before_response=False,
            listener_executor=executor,
            logger=logging.getLogger("slack_bolt.App"),
        )
    except BoltError as exc:
        # Bolt checks the token with auth.test at construction: say what to fix, not a traceback.
        raise SystemExit(
            f"Slack did not accept SLACK_BOT_TOKEN ({exc}). Check the token on your Slack app's "
            "OAuth & Permissions page, and SLACK_API_URL if you set it."
        ) from None
    except Exception as exc:  # unreachable API, a malformed SLACK_API_URL
        raise SystemExit(
            f"Could not reach Slack at {client.base_url} to check SLACK_BOT_TOKEN "
            f"({type(exc).__name__}: {exc}). Check SLACK_API_URL and the network, then start again."
        ) from None
    bolt.error(_malformed_is_a_client_error)
    return bolt


def safe_dispatch(bolt: App, request: BoltRequest) -> BoltResponse:
    """bolt.dispatch, except that a payload so malformed that bolt's own error handling trips
    over it (e.g. block_actions with an empty `actions` list) still gets an answer."""
    try:
        return bolt.dispatch(request)
    except Exception as error:
        return _malformed_is_a_client_error(error) or BoltResponse(status=500, body="")


def _malformed_is_a_client_error(error: Exception) -> BoltResponse | None:
    """A signed payload that bolt cannot match (a missing `actions` list, a wrong type) is the
    sender's mistake: 400, not a 500 that Slack would retry. Anything else stays a 500."""
    ref = uuid.uuid4().hex[:6]
    if isinstance(error, KeyError | IndexError | TypeError | ValueError | AttributeError):
        log.warning("slack: malformed payload refused (ref %s): %s", ref, type(error).__name__)
        return BoltResponse(status=400, body=f"Malformed payload (ref {ref}).")
    log.error("slack: request failed (ref %s)", ref, exc_info=error)
    return None


def _reply_url(body: dict[str, Any]) -> object:
    """The URL bolt's `respond` will post to, found as bolt finds it."""
    if "response_url" in body:
        return body["response_url"]
    urls = body.get("response_urls")
    first = urls[0] if isinstance(urls, list) and urls else None
    return first.get("response_url") if isinstance(first, dict) else None


def malformed_payload(body: object) -> str | None:
    """What makes a signed payload unusable, checked before bolt acknowledges it (after which a
    failure is only a log line): Slack always names where to answer as an http(s) URL, and a
    slash command always carries a trigger (without one no form can be opened)."""
    if not isinstance(body, dict):
        return None
    url = _reply_url(body)
    if url not in (None, "") and not is_http_url(url):
        return "The payload's response_url is not an http(s) URL."
    if "command" in body and not body.get("trigger_id"):
        return "A slash command needs its trigger_id."
    return None


def signed(verifier: SignatureVerifier, body: str, request: web.Request) -> bool:
    """Whether Slack signed this request. Slack sends one timestamp (ASCII digits) and one
    signature (ASCII); anything else is unsigned, and never reaches the verifier, which would
    fail on it (int() of a non-number, compare_digest of non-ASCII) instead of saying no."""
    stamps = request.headers.getall("X-Slack-Request-Timestamp", [])
    signatures = request.headers.getall("X-Slack-Signature", [])
    if len(stamps) != 1 or len(signatures) != 1:
        return False
    stamp, signature = stamps[0], signatures[0]
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 20 and signature.isascii()):
        return False
    return verifier.is_valid(body, stamp, signature)


def to_bolt_request(request: web.Request, body: str) -> BoltRequest:
    headers = {key.lower(): request.headers.getall(key) for key in request.headers.keys()}
    return BoltRequest(body=body, query=request.query_string, headers=headers)


def to_aiohttp_response(response: BoltResponse) -> web.Response:
    out = web.Response(status=response.status, body=(response.body or "").encode("utf-8"))
    for key, values in response.headers.items():
        for value in values:
            out.headers.add(key, value)
    return out


def slack_chat(settings: Settings, _engine: object, _clock: object) -> Chat | None:
    """Slack's part of the core (built by the composition root): the approval channel's
    notifier and, with SLACK_APPROVER_GROUP, approvers by user-group membership."""
    if not settings.slack_enabled:
        return None
    if not settings.slack_approval_channel:
        raise SystemExit(
            "SLACK_APPROVAL_CHANNEL is not set: give the id of the channel where approvers "
            "review posts (e.g. C0123456789), then invite the bot there."
        )
    if settings.slack_app_token is None and settings.slack_signing_secret is None:
        raise SystemExit(
            "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information "
            "page, or set SLACK_APP_TOKEN to use Socket Mode instead."
        )
    client = build_client(settings)
    notifier = SlackNotifier(client, settings.slack_approval_channel, settings.zone)
    group = settings.slack_approver_group
    members = UserGroupMembers(client, group) if group else None
    # One users.info per person gives both their display name and their e-mail.
    return Chat(ids.PLATFORM, notifier, members, email_of=SlackNames(client))


def mount_slack(app: web.Application, core: Core) -> None:
    """Adds the Slack front end when SLACK_BOT_TOKEN is set; does nothing otherwise."""
    settings = core.settings
    if not settings.slack_enabled:
        return
    chat = core.chat.get(ids.PLATFORM)
    if chat is None or not isinstance(chat.notifier, SlackNotifier):
        raise RuntimeError("Slack is configured but the core was built without slack_chat")
    notifier = chat.notifier
    client = notifier.client
    executor = TrackingExecutor(WORKERS, "slack-listener")
    work = TrackingExecutor(AFTER_ACK_WORKERS, "slack-work")
    bolt = build_bolt_app(settings, client, executor)  # calls auth.test: fails early if bad
    workflow = core.workflow
    listeners = SlackListeners(
        workflow,
        notifier,
        SqlKeyValueStore(core.engine),
        calendar_export=calendar_export(workflow),
        later=work.submit,
        plans=(plans := SlackPlans(workflow)),
        names=chat.email_of if isinstance(chat.email_of, SlackNames) else SlackNames(client),
        media=core.media,
    )
    listeners.register(bolt)
    runtime = SlackRuntime(bolt, client, notifier, listeners, executor, work)
    app[SLACK_KEY] = runtime
    core.busy_probes.append(lambda: executor.running + work.running + plans.pool.running)
    _start_announcer(core)
    # Hooks run last-added first: listeners stop (handing on what they started), then the work.
    core.on_shutdown.append(lambda: work.shutdown(wait=True))
    # Plan imports are not waited for: told to stop at their next row, the waiting ones dropped.
    core.on_shutdown.append(plans.pool.shutdown)
    core.on_shutdown.append(lambda: executor.shutdown(wait=True))

    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
        handler.connect()  # its own background threads; no public URL needed
        runtime.socket_mode = handler
        core.on_shutdown.append(handler.close)
        log.info("slack: socket mode connected")
        return

    dispatch_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="slack-dispatch")
    secret = settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value()) if secret else None
    core.on_shutdown.append(lambda: dispatch_pool.shutdown(wait=False))

    async def handle_slack_request(request: web.Request) -> web.Response:
        # Undecodable bytes cannot carry a valid signature: replace them and let bolt refuse it.
        body = (await request.read()).decode("utf-8", errors="replace")
        # Bolt parses the body before it checks the signature; check first, so a forged or
        # garbled request is a 401 and only a signed one can be a 400 for being malformed.
        if verifier is not None and not signed(verifier, body, request):
            return web.Response(status=401, text="Invalid request signature or timestamp.")
        if request.content_type not in SLACK_CONTENT_TYPES:
            # bolt would read a form out of text/plain too; Slack never sends one.
            return web.Response(status=415, text="Slack sends forms or JSON only.")
        try:
            bolt_request = to_bolt_request(request, body)
        except (ValueError, RecursionError, AttributeError, TypeError):
            # Signed, but not a Slack payload: broken or thousands-deep JSON, a list or a
            # string where bolt expects an object. The sender's mistake, not a 500 to retry.
            return web.Response(status=400, text="The request body could not be parsed.")
        if (problem := malformed_payload(bolt_request.body)) is not None:
            return web.Response(status=400, text=problem)
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(dispatch_pool, safe_dispatch, bolt, bolt_request)
        return to_aiohttp_response(response)

    app.router.add_post(EVENTS_PATH, handle_slack_request)
    log.info("slack: listening on %s", EVENTS_PATH)


def _start_announcer(core: Core) -> None:
    """Posts whose thread could not be opened (bot not in the channel, Slack down) are announced
    again every minute until it works; nothing waits for a person to retry."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(ANNOUNCE_RETRY_SECONDS):
            try:
                core.workflow.announce_pending(ids.PLATFORM)
            except Exception as exc:  # keep trying next minute
                log.warning("slack: announcing pending posts failed: %s", type(exc).__name__)

    thread = threading.Thread(target=loop, name="slack-announcer", daemon=True)
    thread.start()
    core.on_shutdown.append(stop.set)
