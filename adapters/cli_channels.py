"""`clearpost channels check [--dry-run]` and `clearpost publish --dry-run POST_ID`.

`channels check` calls each configured channel's identity endpoint and says, per channel, whom we
post as or what to fix, and under it the channel's stored credential: account, scopes, until when
the token lasts, whether Clearpost renews it, a refused refresh (adapters/credentials/health.py).
With `--dry-run` it calls nothing and shows the request it would make.
`publish --dry-run` shows exactly what each channel of a post would send, request by request,
through an httpx transport that records and never sends; secrets are masked in what it prints.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from adapters.bootstrap import Core
from adapters.credentials.health import credential_lines
from adapters.credentials.keys import cipher_for
from adapters.credentials.provider import RefreshUnavailable, TokenWiring
from adapters.publishers.base import ChannelConfig, HttpPublisher
from adapters.publishers.registry import GuardedPublisher, build_publishers, close_publishers
from adapters.settings import Settings
from bot.dispatch import publish_job
from bot.domain import Content
from bot.errors import ClearpostError, UsageError
from bot.ports import Clock, Failed, Publisher, PublishJob, SystemClock
from storage.credentials import SqlCredentialStore
from storage.engine import make_engine
from storage.migrate import upgrade

SECRET_HEADERS = frozenset({"authorization", "x-clearpost-signature", "cookie"})
SECRET_FIELDS = frozenset(
    {"access_token", "refresh_token", "client_secret", "password", "token", "code"}
)


@dataclass
class DryRunTransport(httpx.BaseTransport):
    """Records each request and answers as a network would, so multi-step flows run to the
    end; nothing leaves the machine."""

    requests: list[httpx.Request]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answer = {
            "id": "dry-run",
            "data": {"id": "dry-run", "username": "dry-run"},
            "status_code": "FINISHED",
            "url": "https://dry-run.invalid/",
            # A token endpoint's answer too: a refresh on the way is shown, then the post.
            "access_token": "dry-run",
            "token_type": "bearer",
            "expires_in": 3600,
        }
        headers = {"x-restli-id": "urn:li:share:dry-run"}
        return httpx.Response(200, json=answer, headers=headers)


def masked_headers(request: httpx.Request) -> dict[str, str]:
    shown = {}
    for name, value in request.headers.items():
        if name.lower() in SECRET_HEADERS:
            value = value.split(" ", 1)[0] + " …[masked]" if " " in value else "…[masked]"
        if name.lower() in ("host", "accept", "accept-encoding", "connection", "user-agent"):
            continue
        shown[name] = value
    return shown


def shown_body(request: httpx.Request) -> str:
    content_type = request.headers.get("content-type", "")
    raw = request.content
    if not raw:
        return ""
    if content_type.startswith("multipart/"):
        return f"<multipart upload, {len(raw)} bytes>"
    if content_type.startswith("application/json"):
        return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields = httpx.QueryParams(raw.decode())
        masked = {k: ("…[masked]" if k in SECRET_FIELDS else v) for k, v in fields.multi_items()}
        return json.dumps(masked, indent=2, ensure_ascii=False)
    return f"<{content_type or 'body'}, {len(raw)} bytes>"


def describe(requests: list[httpx.Request]) -> list[str]:
    lines: list[str] = []
    for number, request in enumerate(requests, start=1):
        url = request.url.copy_remove_param("access_token")
        lines.append(f"  {number}. {request.method} {url}")
        for name, value in masked_headers(request).items():
            lines.append(f"     {name}: {value}")
        body = shown_body(request)
        if body:
            lines += [f"     {line}" for line in body.splitlines()]
    return lines


def _sends_through_httpx(publisher: Publisher) -> bool:
    inner = publisher.inner if isinstance(publisher, GuardedPublisher) else publisher
    return isinstance(inner, HttpPublisher)


def dry_run_publishers(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> tuple[dict[str, Publisher], list[httpx.Request]]:
    recorded: list[httpx.Request] = []
    publishers = build_publishers(settings.channels, environ, transport=DryRunTransport(recorded))
    return publishers, recorded


# -- channels check ------------------------------------------------------------------------------


def channels_check(
    settings: Settings,
    *,
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
    store: SqlCredentialStore | None = None,
    clock: Clock | None = None,
) -> tuple[bool, list[str]]:
    """(all good, lines to print). With `store`, each channel also shows its stored
    credential (identity, scopes, expiry, a refused refresh) and checks with that token."""
    clock = clock or SystemClock()
    wiring = TokenWiring(store, clock) if store is not None else None
    if dry_run:
        publishers, recorded = dry_run_publishers(settings, environ)
    else:
        publishers, recorded = build_publishers(settings.channels, environ, tokens=wiring), []
    stored = {c.channel: c for c in store.all(secrets=False)} if store is not None else {}
    lines, good = [], True
    try:
        for name, channel in sorted(settings.channels.items()):
            publisher = publishers.get(name)
            where = f"{name} ({channel.network})"
            if publisher is None:
                lines.append(f"  - {where}: no publisher for this network yet; not checked.")
                continue
            if dry_run and not _sends_through_httpx(publisher):
                lines.append(f"  - {where}: would call its identity endpoint (not shown).")
                continue
            recorded.clear()
            config = ChannelConfig.from_settings(name, channel, environ)
            fine, details = credential_lines(config, stored.get(name), clock.now())
            good = good and fine
            try:
                who = publisher.check()
            except (ClearpostError, httpx.HTTPError, RefreshUnavailable) as exc:
                good = False
                lines.append(f"  ✗ {where}: {exc}")
                lines += details
                continue
            if dry_run:
                lines.append(f"  · {where}: would send")
                lines += describe(recorded)
            else:
                lines.append(f"  ✓ {where}: posting as {who}")
                lines += details
    finally:
        close_publishers(publishers)
    return good, lines


def cmd_channels_check(args: argparse.Namespace) -> int:
    from adapters.cli import load_settings

    settings = load_settings()
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        store = SqlCredentialStore(engine, cipher_for(secret))
        good, lines = channels_check(settings, dry_run=args.dry_run, store=store)
    finally:
        engine.dispose()
    heading = "Channels (dry run: nothing is sent):" if args.dry_run else "Channels:"
    print("\n".join([heading, *lines]))
    if not good:
        print("Fix the channels marked ✗, then run `clearpost channels check` again.")
    return 0 if good else 1


# -- publish --dry-run ---------------------------------------------------------------------------


def jobs_for_post(core: Core, post_id: int) -> tuple[list[PublishJob], str | None]:
    """The job each channel of the post would get; the approved revision, else the current one
    with a note saying it is not approved."""
    with core.uow() as uow:
        post = uow.posts.get(post_id)
    revision = post.approved_revision or post.revision
    note = (
        None
        if post.approved_revision
        else (
            f"Post #{post_id} is {post.state.label} and not approved; showing revision "
            f"{revision.number}, which is not what will be published until someone approves it."
        )
    )
    jobs = [publish_job(post, channel) for channel in revision.content.channels]
    return jobs, note


def publish_dry_run(core: Core, post_id: int) -> list[str]:
    settings = core.settings
    jobs, note = jobs_for_post(core, post_id)
    publishers, recorded = dry_run_publishers(settings)
    lines = [f"Post #{post_id}, dry run: nothing is sent."]
    if note:
        lines.append(note)
    try:
        for job in jobs:
            publisher = publishers.get(job.channel)
            network = (
                settings.channels[job.channel].network if job.channel in settings.channels else "?"
            )
            lines.append(f"{job.channel} ({network}):")
            if publisher is None:
                lines.append("  no publisher for this network; nothing would be sent.")
                continue
            problems = publisher.validate(job.channel, _content_of(job))
            lines += [f"  ! {p}" for p in problems]
            if not _sends_through_httpx(publisher):
                lines.append("  would post this text:")
                lines += [f"     {line}" for line in job.text.splitlines()]
                continue
            recorded.clear()
            result = publisher.publish(job)
            lines += describe(recorded)
            if isinstance(result, Failed) and not recorded:
                lines.append(f"  would not send: {result.message}")
    finally:
        close_publishers(publishers)
    return lines


def _content_of(job: PublishJob) -> Content:
    return Content(
        job.text,
        (job.channel,),
        job.scheduled_at,
        media=job.media,
        link=job.link,
        media_alt=job.media_alt,
    )


def cmd_publish(args: argparse.Namespace) -> int:
    from adapters.cli import open_core

    if not args.dry_run:
        raise UsageError(
            "Posts are published by `clearpost serve` at their time; here only a dry run is "
            "offered.",
            f"clearpost publish --dry-run {args.post_id}",
        )
    core = open_core(quiet=True)
    try:
        print("\n".join(publish_dry_run(core, args.post_id)))
    finally:
        core.shutdown()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    channels = subparsers.add_parser("channels", help="social channel commands")
    channels_sub = channels.add_subparsers(dest="channels_command", required=True, metavar="ACTION")
    check = channels_sub.add_parser("check", help="call each channel's identity endpoint")
    check.add_argument(
        "--dry-run", action="store_true", help="show the requests instead of sending them"
    )
    check.set_defaults(func=cmd_channels_check)
    from adapters.cli_connect import add_connect

    add_connect(channels_sub)

    publish = subparsers.add_parser("publish", help="show what a post would send")
    publish.add_argument("post_id", type=int, help="the post number, e.g. 42")
    publish.add_argument("--dry-run", action="store_true", help="show each request; send nothing")
    publish.set_defaults(func=cmd_publish)
