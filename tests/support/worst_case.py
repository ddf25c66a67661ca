"""Worst-case posts, shared by the Slack and Teams limit tests: whatever a real practice could
send through Clearpost at its largest. Pure domain objects, no platform in here.

- 14 channels (one per network Clearpost publishes to), with long names;
- 5,000- and 60,000-character texts full of emoji, ZWJ sequences, combining marks and the
  characters chat formats treat specially (&, <, >, *, _);
- an override on every channel, media, a link, notes and one problem per channel;
- every delivery needing a person (failed, unknown, missed in turn);
- a proposer with a long display name;
- calendars of 300 posts.

Every builder takes a post from `worst_posts()` (or a calendar from `calendar_posts()`) and the
limit tests parametrize over them, so a new worst case added here is checked everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain import Content, Person, Post, ThreadRef, new_post
from bot.states import DeliveryState, State

NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
WHEN = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)

# One channel per network, each name near the longest a settings key would reasonably be.
NETWORKS = (
    "x",
    "facebook",
    "instagram",
    "linkedin",
    "youtube",
    "tumblr",
    "reddit",
    "plurk",
    "mastodon",
    "bluesky",
    "wordpress",
    "slack_channel",
    "teams_channel",
    "webhook",
)
CHANNELS: dict[str, str] = {
    f"{network.replace('_', '-')}-riverside-family-practice-main": network for network in NETWORKS
}
CHANNEL_NAMES = tuple(CHANNELS)

# Family emoji (ZWJ), flags (regional indicators), skin tones, a combining accent, CJK, RTL,
# and the characters Slack mrkdwn and Adaptive Cards markdown treat as control characters.
EMOJI = "👨‍👩‍👧‍👦 🏳️‍🌈 🇺🇸 👩🏽‍⚕️ 🧑‍🤝‍🧑 é 診療 مرحبا & <b> *bold* _it_ "
PIECE = f"Flu shots at the Riverside clinic this week {EMOJI}<!channel> <https://evil|x> "


def long_text(length: int, piece: str = PIECE) -> str:
    """Exactly `length` Python characters (code points) of realistic, awkward text."""
    repeated = piece * (length // len(piece) + 1)
    return repeated[:length]


TEXT_5000 = long_text(5_000)
TEXT_60000 = long_text(60_000)
TEXT_4999 = long_text(4_999)

LONG_NAME = "Dr. Maria-Guadalupe Fernández-Villanueva de la Cruz 👩🏽‍⚕️ (Compliance & Risk)"
PROPOSER = Person("slack", "U0PROPOSER1", LONG_NAME)
TEAMS_PROPOSER = Person("teams", "29:1a2b3c4d5e6f-proposer", LONG_NAME)

MEDIA = tuple(
    f"https://files.example.org/riverside/2026/12/flu-clinic-{i}-{'x' * 120}.jpg" for i in range(4)
)
LINK = "https://www.riverside-family-practice.example.org/flu/" + "a" * 180
NOTES = long_text(3_000, "Please check the dates with the front desk 📅 & <Anna>. ")
PROBLEMS = tuple(
    f"{name}: the text is {len(TEXT_60000):,} characters; this network takes far fewer "
    f"({EMOJI.strip()})"
    for name in CHANNEL_NAMES
)

# Each delivery needing a person, in turn: every action of ACTIONS_IN shows somewhere.
PERSON_STATES = (DeliveryState.FAILED, DeliveryState.UNKNOWN, DeliveryState.MISSED)


def worst_content(text: str, *, overrides: bool = True) -> Content:
    return Content(
        text=text,
        channels=CHANNEL_NAMES,
        scheduled_at=WHEN,
        overrides={name: f"{name}: {text}" for name in CHANNEL_NAMES} if overrides else {},
        media=MEDIA,
        link=LINK,
        notes=NOTES,
    )


def worst_post(
    text: str = TEXT_60000,
    *,
    state: State = State.IN_REVIEW,
    overrides: bool = True,
    needing_person: bool = False,
    proposer: Person = PROPOSER,
    number: int = 9_999_999,
) -> Post:
    """One post at its largest. `needing_person`: every delivery waits for a person's decision
    (the post then reads as FAILED, as the dispatcher leaves it)."""
    post = new_post(
        worst_content(text, overrides=overrides),
        proposer,
        NOW,
        problems=PROBLEMS,
        urgent=True,
    )
    post.id = number
    post.state = state
    if needing_person:
        post.state = State.FAILED
        for i, delivery in enumerate(post.deliveries.values()):
            delivery.state = PERSON_STATES[i % len(PERSON_STATES)]
            delivery.attempts = 5
            delivery.last_error = f"{delivery.channel} answered 503 {EMOJI}"
    post.thread = ThreadRef(
        proposer.platform, "C0APPROVALS", "1764000000.000100", "https://example.slack.com/x"
    )
    return post


def worst_posts() -> Iterator[tuple[str, Post]]:
    """(name, post) for each worst case, for pytest.mark.parametrize ids."""
    for label, text in (("5000", TEXT_5000), ("60000", TEXT_60000)):
        for state in (State.IN_REVIEW, State.APPROVED, State.CHANGES_REQUESTED):
            yield f"{label}-{state.value}", worst_post(text, state=state)
        yield f"{label}-needing-person", worst_post(text, needing_person=True)
        yield f"{label}-no-overrides", worst_post(text, overrides=False)


def calendar_posts(count: int = 300, text: str = TEXT_5000) -> list[Post]:
    """`count` posts over the next 14 days, each on every channel, each with a thread."""
    posts = []
    for i in range(count):
        post = worst_post(text, state=State.APPROVED, number=1_000_000 + i)
        when = WHEN + timedelta(minutes=67 * i)
        post.revisions[-1] = replace(
            post.revision, content=replace(post.revision.content, scheduled_at=when)
        )
        posts.append(post)
    return posts
