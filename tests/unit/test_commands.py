"""One line of chat text into a proposal, or a usage message with a correct example."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.commands import PROPOSE_EXAMPLE, parse_propose
from bot.errors import UsageError
from bot.timeparse import looks_like_time

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)


def reads_as_time(phrase: str) -> bool:
    return looks_like_time(phrase, NY, NOW)


def parse(line: str):
    return parse_propose(line, reads_as_time)


def test_channels_time_and_text_are_split_from_one_line():
    request = parse("x,facebook tomorrow 9am Flu shots are in! Walk-ins welcome.")

    assert request.channels == ("x", "facebook")
    assert request.when == "tomorrow 9am"
    assert request.text == "Flu shots are in! Walk-ins welcome."


def test_a_two_word_iso_time_is_taken_whole():
    request = parse("blog 2026-12-01 09:00 Holiday hours")

    assert request.when == "2026-12-01 09:00"
    assert request.text == "Holiday hours"


def test_a_quoted_time_is_taken_as_written():
    request = parse('x "next monday 10:00" 3 new clinics open')

    assert request.when == "next monday 10:00"
    assert request.text == "3 new clinics open"


def test_line_breaks_in_the_text_are_kept():
    request = parse("blog tomorrow 9am Holiday hours:\nMon closed\nTue 9-5")

    assert request.text == "Holiday hours:\nMon closed\nTue 9-5"


def test_options_follow_the_text():
    request = parse(
        "x,blog tomorrow 9am Flu shots are in! --urgent --media https://c.example/flu.jpg "
        "--tag flu --tag vaccines --campaign Flu 2026 --notes Photo consent on file "
        "--for x Flu shots in!"
    )

    assert request.text == "Flu shots are in!"
    assert request.urgent is True
    assert request.media == ("https://c.example/flu.jpg",)
    assert request.tags == ("flu", "vaccines")
    assert request.campaign == "Flu 2026"
    assert request.notes == "Photo consent on file"
    assert request.overrides == {"x": "Flu shots in!"}


def test_alt_describes_the_media_just_before_it():
    request = parse(
        "x tomorrow 9am Flu shots! --media https://c.example/a.jpg --media https://c.example/b.jpg "
        "--alt A nurse giving a flu shot --link https://clinic.example"
    )

    assert request.media == ("https://c.example/a.jpg", "https://c.example/b.jpg")
    assert request.media_alt == ("", "A nurse giving a flu shot")
    assert request.link == "https://clinic.example"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("", "needs channels, a time and the text"),
        ("x tomorrow 9am Hello --alt A photo", "`--alt` describes the `--media` just before it"),
        ("x tomorrow", "needs channels, a time and the text"),
        ("x whenever you like", "could not find a publish time"),
        ("x tomorrow 9am --urgent", "no text after the time"),
        ("x tomorrow 9am Hello --media", "`--media` needs a value"),
        ('x "tomorrow 9am Hello', "missing its closing quote"),
        ("x tomorrow 9am Hello --for x", "`--for` takes a channel and its own text"),
    ],
)
def test_bad_lines_get_a_usage_message_with_an_example(line, problem):
    with pytest.raises(UsageError) as refused:
        parse(line)

    assert problem in str(refused.value)
    assert "Example: /propose" in str(refused.value)


def test_the_example_in_messages_is_itself_a_valid_proposal():
    request = parse(PROPOSE_EXAMPLE.removeprefix("/propose "))

    assert request.channels == ("x", "facebook")
