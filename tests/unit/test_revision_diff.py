"""What an edit changed, as the reviewer reads it in the thread."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import Content
from bot.revision_diff import MAX_LINES, revision_diff, text_changes
from tests.conftest import NOW, ZONE

BEFORE = Content(
    text="Flu shots are in! Walk-ins welcome Mon-Fri at the Elm St clinic.",
    channels=("x-main", "facebook-clinic"),
    scheduled_at=NOW + timedelta(days=1),
)


def edited(**changes: object) -> Content:
    fields = {
        "text": BEFORE.text,
        "channels": BEFORE.channels,
        "scheduled_at": BEFORE.scheduled_at,
        "overrides": BEFORE.overrides,
        "media": BEFORE.media,
        "link": BEFORE.link,
    } | changes
    return Content(**fields)  # type: ignore[arg-type]


def test_words_replaced_added_and_removed_are_each_a_line():
    after = edited(
        text="Flu shots are in! Appointments only Mon-Fri at the Elm St clinic. Bring ID."
    )

    lines = revision_diff(BEFORE, after, ZONE)

    assert lines == [
        "Text: 4 word(s) added, 2 removed",
        '  "Walk-ins welcome" → "Appointments only"',
        '  + "Bring ID."',
    ]


def test_time_channels_overrides_and_media_are_named():
    after = edited(
        scheduled_at=BEFORE.scheduled_at + timedelta(hours=2),
        channels=("x-main", "instagram-clinic"),
        overrides={"x-main": "Flu shots today"},
        media=("https://cdn.example/flu.jpg",),
    )

    lines = revision_diff(BEFORE, after, ZONE)

    assert lines == [
        "Time: Thu 26 Nov 2026 12:00 EST → Thu 26 Nov 2026 14:00 EST",
        "Channels: + instagram-clinic, − facebook-clinic",
        "Own text for x-main: added (15 characters)",
        "Media: + https://cdn.example/flu.jpg",
    ]


def test_a_long_rewrite_is_a_summary_not_the_whole_text():
    old = " ".join(f"old{i}" for i in range(900))  # about 5,000 characters each
    new = " ".join(f"new{i}" for i in range(900))

    lines = text_changes(old, new)

    assert lines == [
        f"Text: rewritten ({len(old):,} → {len(new):,} characters; 900 word(s) added, 900 removed)"
    ]


def test_many_small_edits_are_capped_and_each_stretch_is_clipped():
    words = [f"w{i}" for i in range(400)]
    changed = [w if i % 20 else f"CHANGED{'x' * 200}" for i, w in enumerate(words)]

    lines = revision_diff(edited(text=" ".join(words)), edited(text=" ".join(changed)), ZONE)

    assert len(lines) <= MAX_LINES
    assert lines[-1] == "  … and 14 more change(s)"
    assert sum(len(line) for line in lines) < 1_000
