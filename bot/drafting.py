"""From what a person typed or filled in to checked content: channels, time, text, problems.

Every front end hands its request here, so a channel's short name, a time phrase, an edit that
keeps the old time, "nothing changed" and the problems a reviewer sees mean the same on Slack,
Teams and the console.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import timeparse
from bot.commands import ProposeRequest
from bot.disclaimers import missing_disclaimers
from bot.domain import Content, Post
from bot.errors import MediaDescriptionsRefused, UnknownChannel, UsageError
from bot.ports import ChannelRules, Clock
from bot.schedule_rules import ScheduleRules
from bot.screening import PostFinding, PostScreener, fallback_screener, post_fields, sentences

MAX_TEXT = 100_000
MAX_REASON = 4_000
# A description is a sentence or two; each network's own limit (Mastodon 1,500, Bluesky and X
# 1,000 …) is its publisher's to check, this only keeps a pasted page out of the database.
MAX_ALT = 5_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# How each changed field of a revision reads in the thread: "the text, the time changed."
FIELD_WORDS: Mapping[str, str] = {
    "text": "the text",
    "channels": "the channels",
    "scheduled_at": "the time",
    "overrides": "the per-channel texts",
    "media": "the media",
    "media_alt": "the media descriptions",
    "link": "the link",
    "notes": "the notes to the reviewer",
}


def clean(text: str) -> str:
    """Drop control characters (a NUL would break PostgreSQL) and normalise line ends."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def require_reason(reason: str, doing: str) -> str:
    reason = clean(reason or "")[:MAX_REASON]
    if not reason:
        raise UsageError(f"Say why you {doing}, so the proposer knows what to fix.")
    return reason


def example(known: Sequence[str]) -> str:
    first = ",".join(list(known)[:2]) or "x-main"
    return f"/propose {first} tomorrow 9am Flu shots are in!"


@dataclass(frozen=True)
class Edit:
    """What an edit form sends: None leaves a field as it is. A form that shows the current
    time and sends it back unchanged keeps that time, even if it has passed meanwhile."""

    text: str | None = None
    when: str | datetime | None = None
    channels: Sequence[str] | None = None
    overrides: Mapping[str, str] | None = None
    media: Sequence[str] | None = None
    link: str | None = None
    notes: str | None = None
    media_alt: Sequence[str] | None = None  # in the order of the edit's (or the post's) media


def media_with_alt(
    media: Sequence[str], alts: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The media items a person gave and their descriptions, cleaned and kept in step: blank
    items are dropped with their description, a description is one line; () when none has one.
    More descriptions than items is refused rather than guessed at."""
    items = [m.strip() for m in media]
    described = [" ".join(clean(a).split()) for a in alts]
    if any(described[len(items) :]):
        raise MediaDescriptionsRefused(
            f"There are {len(described)} media descriptions but {len(items)} media item(s); give "
            "one description per item, in the same order (an empty line for an item without one)."
        )
    kept = [(m, described[i] if i < len(described) else "") for i, m in enumerate(items) if m]
    for number, (_, description) in enumerate(kept, start=1):
        if len(description) > MAX_ALT:
            raise MediaDescriptionsRefused(
                f"The description of media {number} is {len(description):,} characters; the "
                f"most Clearpost takes is {MAX_ALT:,}."
            )
    alts = tuple(a for _, a in kept)
    return tuple(m for m, _ in kept), alts if any(alts) else ()


def kept_alt(old: Content, media: Sequence[str]) -> tuple[str, ...]:
    """An edit that changes the media but not the descriptions: each item that stays keeps its
    description, a new one has none."""
    by_item = {m: old.alt_for(i) for i, m in enumerate(old.media)}
    return tuple(by_item.get(m.strip(), "") for m in media)


@dataclass
class Drafting:
    channels: ChannelRules
    clock: Clock
    zone: ZoneInfo
    date_order: str = "MDY"
    screener: PostScreener = field(default=fallback_screener)
    disclaimers: Mapping[str, str] = field(default_factory=dict)  # channel or #tag -> sentence
    rules: ScheduleRules = field(default_factory=ScheduleRules)

    def resolve_time(self, when: str | datetime) -> datetime:
        now = self.clock.now()
        if isinstance(when, str):
            return timeparse.parse_time(when, self.zone, now, date_order=self.date_order)
        return timeparse.check_moment(when, self.zone, now)

    def reads_as_time(self, phrase: str) -> bool:
        return timeparse.looks_like_time(phrase, self.zone, self.clock.now(), self.date_order)

    def resolve_channels(self, names: Sequence[str]) -> tuple[str, ...]:
        """Configured names, or a network name / unique prefix that picks exactly one channel."""
        known = self.channels.names()
        resolved: list[str] = []
        unknown: list[str] = []
        for raw in names:
            name = raw.strip().lower().lstrip("#")
            if not name:
                continue
            if name in known:
                resolved.append(name)
                continue
            by_network = [c for c in known if self.channels.network_of(c) == name]
            by_prefix = [c for c in known if c.startswith(name)]
            matches = by_network if len(by_network) == 1 else by_prefix
            if len(matches) == 1:
                resolved.append(matches[0])
            else:
                unknown.append(name)
        if unknown:
            raise UnknownChannel(unknown, known)
        if not resolved:
            raise UsageError("Name at least one channel to publish on.", example(known))
        return tuple(dict.fromkeys(resolved))

    def build_content(
        self, request: ProposeRequest, scheduled_at: datetime | None = None
    ) -> Content:
        """Validated content; `scheduled_at` keeps an already-accepted time instead of parsing."""
        channels = self.resolve_channels(request.channels)
        text = clean(request.text)
        if not text:
            raise UsageError("The post has no text.", example(self.channels.names()))
        if len(text) > MAX_TEXT:
            raise UsageError(
                f"The text is {len(text)} characters; the most Clearpost takes is {MAX_TEXT}."
            )
        overrides: dict[str, str] = {}
        for raw_channel, override in request.overrides.items():
            channel = self.resolve_channels([raw_channel])[0]
            if channel not in channels:
                raise UsageError(
                    f"There is a text for `{channel}`, but the post is not going to `{channel}`.",
                )
            if clean(override):
                overrides[channel] = clean(override)[:MAX_TEXT]
        media, media_alt = media_with_alt(request.media, request.media_alt)
        when = scheduled_at or self.resolve_time(request.when)
        # Blackouts and quiet hours: refused here, like a time in the past, on every front end.
        self.rules.check(channels, when)
        return Content(
            text=text,
            channels=channels,
            scheduled_at=when,
            overrides=overrides,
            media=media,
            link=(request.link or "").strip() or None,
            notes=clean(request.notes or "")[:MAX_REASON] or None,
            media_alt=media_alt,
        )

    def form_time(self, moment: datetime) -> str:
        """How an edit form shows a time (date and time pickers, the practice's wall clock)."""
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def revised(self, post: Post, edit: Edit) -> Content:
        """The post's content after an edit, or UsageError when the edit changes nothing."""
        old = post.content
        when = edit.when
        if when == old.scheduled_at or when == self.form_time(old.scheduled_at):
            when = None  # the form sent back the time it showed
        media = tuple(edit.media) if edit.media is not None else old.media
        if edit.media_alt is not None:
            media_alt = tuple(edit.media_alt)
        else:
            media_alt = kept_alt(old, media)
        request = ProposeRequest(
            channels=tuple(edit.channels) if edit.channels is not None else old.channels,
            when=when if when is not None else old.scheduled_at,
            text=edit.text if edit.text is not None else old.text,
            overrides=edit.overrides if edit.overrides is not None else old.overrides,
            media=media,
            link=edit.link if edit.link is not None else old.link,
            notes=edit.notes if edit.notes is not None else old.notes,
            media_alt=media_alt,
        )
        # Keeping the old time is fine even if it has passed: the scheduler decides lateness.
        content = self.build_content(request, None if when is not None else old.scheduled_at)
        if not content.changes_from(old):
            raise UsageError(f"That is what post #{post.id} already says; nothing was changed.")
        return content

    def check(self, content: Content, tags: Sequence[str] = ()) -> Checked:
        """What the networks would refuse and what screening found, for the new revision."""
        found = [p for ch in content.channels for p in self.channels.problems(ch, content)]
        texts = post_fields(
            content.text, content.overrides, content.media, content.link, content.media_alt
        )
        findings = [*self.screener(texts), *missing_disclaimers(content, tags, self.disclaimers)]
        return Checked(tuple(found + sentences(findings)), tuple(findings))

    def problems(self, content: Content, tags: Sequence[str] = ()) -> list[str]:
        return list(self.check(content, tags).problems)


@dataclass(frozen=True)
class Checked:
    """A revision's problems as reviewers read them, and its screening findings as data."""

    problems: tuple[str, ...]
    findings: tuple[PostFinding, ...]
