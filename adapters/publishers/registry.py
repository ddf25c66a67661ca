"""Configured channel name -> Publisher, and the channel rules the workflow checks posts with.

A network's publisher is listed in NETWORK_PUBLISHERS as "module:Class"; each class is built as
`Class(config: ChannelConfig, transport: httpx.BaseTransport | None = None)`. Channels of a network
with no publisher still get the core's simple rules (bot.channels.ChannelTable) and are left out of
`core.publishers`.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import httpx

from adapters.credentials.provider import RefreshUnavailable, TokenWiring
from adapters.publishers.base import ChannelConfig, RateBudgets, RateLimit, TokenSource, paced
from bot.channels import ChannelTable
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, Publisher, PublishJob, PublishResult

log = logging.getLogger(__name__)

NETWORK_PUBLISHERS: dict[str, str] = {
    "x": "adapters.publishers.x:XPublisher",
    "mastodon": "adapters.publishers.mastodon:MastodonPublisher",
    "facebook": "adapters.publishers.facebook:FacebookPublisher",
    "instagram": "adapters.publishers.instagram:InstagramPublisher",
    "linkedin": "adapters.publishers.linkedin:LinkedInPublisher",
    "wordpress": "adapters.publishers.wordpress:WordPressPublisher",
    "webhook": "adapters.publishers.webhook:WebhookPublisher",
    "bluesky": "adapters.publishers.bluesky:BlueskyPublisher",
    "reddit": "adapters.publishers.reddit:RedditPublisher",
    "tumblr": "adapters.publishers.tumblr:TumblrPublisher",
    "plurk": "adapters.publishers.plurk:PlurkPublisher",
    "slack": "adapters.publishers.slack_channel:SlackChannelPublisher",
    "teams": "adapters.publishers.teams_channel:TeamsChannelPublisher",
    "youtube": "adapters.publishers.youtube:YouTubePublisher",
}


def publisher_class(network: str) -> type | None:
    target = NETWORK_PUBLISHERS.get(network)
    if target is None:
        return None
    module_name, _, class_name = target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)  # type: ignore[no-any-return]


class GuardedPublisher:
    """Keeps every publish failure inside the PublishResult the dispatcher understands.

    A missing secret or channel setting is permanent with the message naming what to set; any
    other exception is a bug of ours: logged with a reference, and "unknown", because we cannot
    tell whether the request left. Before each call it spends the documented rate budgets (the
    module's RATE_LIMITS), shared with every channel on the same account or app; when one is
    spent, publish answers transient with the wait and sends nothing.
    """

    def __init__(
        self,
        inner: Any,
        config: ChannelConfig,
        clock: Callable[[], float] = time.monotonic,
        budgets: RateBudgets | None = None,
    ) -> None:
        self.inner = inner
        self.config = config
        self.limits: tuple[RateLimit, ...] = tuple(getattr(inner, "rate_limits", ()))
        self.budgets = budgets or RateBudgets(clock)
        self.network: str = inner.network
        # The dispatcher resends a crash-interrupted call only to a publisher that says so.
        self.idempotent: bool = bool(getattr(inner, "idempotent", False))

    def validate(self, channel: str, content: Content) -> list[str]:
        return list(self.inner.validate(channel, content))

    def publish(self, job: PublishJob) -> PublishResult:
        tokens: TokenSource | None = getattr(getattr(self.inner, "config", None), "tokens", None)
        wait = self.budgets.take([(limit, self._shared_by(limit, tokens)) for limit in self.limits])
        if wait is not None:
            log.info("%s: paced, rate budget spent for %.0f s more", job.channel, wait)
            return paced(self.config, wait)
        result = self._attempt(job, tokens)
        if tokens is None or not isinstance(result, Failed) or not tokens.refused_in_call():
            return result
        # The network answered 401 to the token we sent: refresh once and try once more. A
        # second 401 stands (no loop); nothing was posted by the refused request.
        try:
            renewed = tokens.renew_after_refusal()
        except ClearpostError as exc:  # the refresh was refused: the message names the fix
            return Failed("permanent", str(exc))
        except RefreshUnavailable as exc:
            return Failed("transient", exc.sentence)
        return self._attempt(job, tokens) if renewed else result

    def _shared_by(self, limit: RateLimit, tokens: TokenSource | None) -> tuple[str, ...]:
        """Who spends this budget together: a per-user limit is shared by every channel posting
        as the same account (its stored account id, else the channel's `account` option, else
        the user token in its environment, else the channel alone), a per-app one by every
        channel of one OAuth client."""
        network, config = self.network, self.config
        if limit.per == "channel":
            return ("channel", config.name)
        if limit.per == "app":
            app = config.option("client_id") or (
                config.secret("client_id") if config.has_secret("client_id") else "default"
            )
            return ("app", network, app)
        account = tokens.account_id() if tokens is not None else None
        account = account or config.option("account") or _token_fingerprint(config)
        return ("user", network, account) if account else ("channel", config.name)

    def _attempt(self, job: PublishJob, tokens: TokenSource | None) -> PublishResult:
        if tokens is not None:
            tokens.start_call()
        try:
            return self.inner.publish(job)  # type: ignore[no-any-return]
        except RefreshUnavailable as exc:  # nothing was sent to the network
            log.warning("%s: token refresh unavailable", job.channel)
            return Failed("transient", exc.sentence)
        except ClearpostError as exc:
            log.warning(
                "%s: not published, settings incomplete (%s)", job.channel, type(exc).__name__
            )
            return Failed("permanent", str(exc))
        except Exception as exc:
            ref = uuid.uuid4().hex[:6]
            log.error("%s: publisher error %s (ref %s)", job.channel, type(exc).__name__, ref)
            log.debug("publisher error ref %s", ref, exc_info=True)
            return Failed(
                "unknown",
                f"Clearpost hit an error of its own while publishing to `{job.channel}` (ref "
                f"{ref}), so it may have posted. Check, then Retry or Mark as published.",
            )

    def check(self) -> str:
        return self.inner.check()  # type: ignore[no-any-return]

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


# The user token an env-configured channel posts with: two channels given the same one (two
# Tumblr blogs of one user, say) are one account to the network.
_USER_TOKEN_KEYS = ("access_token", "oauth_token", "token", "refresh_token")


def _token_fingerprint(config: ChannelConfig) -> str | None:
    for key in _USER_TOKEN_KEYS:
        if config.has_secret(key):
            digest = hashlib.sha256(config.secret(key).encode()).hexdigest()[:16]
            return f"token:{digest}"
    return None


def build_publishers(
    channels: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.monotonic,
    tokens: TokenWiring | None = None,
) -> dict[str, Publisher]:
    """One publisher per configured channel whose network has one (`settings.channels` in).
    `tokens` connects each channel to the credential store (else tokens come from the
    environment alone)."""
    built: dict[str, Publisher] = {}
    budgets = RateBudgets(clock)  # shared: channels on one account or app spend one budget
    for name, channel in sorted(channels.items()):
        cls = publisher_class(channel.network)
        if cls is None:
            continue
        config = ChannelConfig.from_settings(name, channel, environ)
        if tokens is not None:
            config = replace(config, tokens=tokens.for_channel(config))
        built[name] = GuardedPublisher(
            cls(config, transport=transport), config, clock, budgets=budgets
        )
    log.info("publishers ready for %d of %d channels", len(built), len(channels))
    return built


def close_publishers(publishers: Mapping[str, Publisher]) -> None:
    for publisher in publishers.values():
        close = getattr(publisher, "close", None)
        if close is not None:
            close()


class PublisherChannelRules:
    """bot.ports.ChannelRules from the settings, with each publisher's exact validation."""

    def __init__(self, networks: Mapping[str, str], publishers: Mapping[str, Publisher]) -> None:
        self.table = ChannelTable(dict(networks))
        self.publishers = publishers

    def names(self) -> list[str]:
        return self.table.names()

    def network_of(self, channel: str) -> str:
        return self.table.network_of(channel)

    def problems(self, channel: str, content: Content) -> list[str]:
        publisher = self.publishers.get(channel)
        if publisher is None:
            return self.table.problems(channel, content)
        return publisher.validate(channel, content)
