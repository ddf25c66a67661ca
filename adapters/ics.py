"""An iCalendar (RFC 5545) feed of the posts that are going out or went out, for Outlook, Google
Calendar or Apple Calendar to subscribe to.

Only approved posts appear (approved, publishing, published, failed: FEED_STATES in
bot/calendar/model.py): a draft in review is not a plan yet, and the feed leaves the building
(calendar services fetch and keep it). Times are UTC ("Z"), so no VTIMEZONE is needed and every
client shows them in its own zone. Each post is one event whose UID never changes and whose
SEQUENCE is the revision number, so an edited post updates the existing event instead of adding a
second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from bot.calendar.model import FEED_STATES, first_words
from bot.domain import Post, State

EVENT_LENGTH = timedelta(minutes=15)  # a post is a moment; clients need an end to draw it
PRODID = "-//Clearpost//Content calendar//EN"


def uid_domain(public_base_url: str | None) -> str:
    """The right-hand side of every UID: the server's host, so two practices never collide."""
    host = urlsplit(public_base_url).hostname if public_base_url else None
    return host or "clearpost.invalid"


def post_event(post: Post, *, stamp: datetime, domain: str) -> Event:
    content = post.content
    event = Event()
    event.add("uid", f"post-{post.id}@{domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", content.scheduled_at.astimezone(UTC))
    event.add("dtend", content.scheduled_at.astimezone(UTC) + EVENT_LENGTH)
    event.add("sequence", post.revision.number)
    prefix = "" if post.state is State.APPROVED else f"[{post.state.label}] "
    event.add("summary", f"{prefix}{', '.join(content.channels)}: {first_words(content.text)}")
    lines = [content.text, "", f"Post #{post.id} · {post.state.label}"]
    for channel in content.channels:
        delivery = post.deliveries.get(channel)
        state = delivery.state.value if delivery else "unknown"
        url = f" {delivery.url}" if delivery and delivery.url else ""
        lines.append(f"{channel}: {state}{url}")
    event.add("description", "\n".join(lines))
    event.add("categories", list(content.channels))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a post does not make anyone busy
    published = [d.url for d in post.deliveries.values() if d.url]
    if published:
        event.add("url", published[0])
    return event


def build_calendar(
    posts: Iterable[Post],
    *,
    now: datetime,
    name: str = "Clearpost content calendar",
    public_base_url: str | None = None,
) -> Calendar:
    """The VCALENDAR of the feed posts among `posts` (others are skipped)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    domain = uid_domain(public_base_url)
    for post in posts:
        if post.state in FEED_STATES:
            cal.add_component(post_event(post, stamp=stamp, domain=domain))
    return cal


def write_ics(
    posts: Iterable[Post],
    *,
    now: datetime,
    name: str = "Clearpost content calendar",
    public_base_url: str | None = None,
) -> bytes:
    """The feed as bytes (CRLF line endings, folded at 75 octets, as RFC 5545 asks)."""
    return build_calendar(posts, now=now, name=name, public_base_url=public_base_url).to_ical()
