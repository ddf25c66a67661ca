"""One line of chat text -> a ProposeRequest, or a UsageError with a correct example.

    /propose <channels> <when> <text> [--urgent] [--media URL [--alt DESCRIPTION]]… [--link URL]
             [--tag T]… [--campaign NAME] [--notes TEXT] [--for CHANNEL TEXT]…

`<channels>` is a comma-separated list; `<when>` is the longest run of words after it that reads as
a time (or a quoted phrase); the rest, up to the first option, is the post text. `--alt` describes
the `--media` just before it (its alt text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.errors import UsageError

PROPOSE_EXAMPLE = "/propose x,facebook tomorrow 9am Flu shots are in! Walk-ins welcome."
_MAX_TIME_WORDS = 6

FLAG_OPTIONS = {"--urgent"}
VALUE_OPTIONS = {"--media", "--alt", "--link", "--tag", "--campaign", "--notes", "--for"}


@dataclass(frozen=True)
class ProposeRequest:
    """Everything a proposal needs, platform-neutral. `when` is a phrase or an aware datetime."""

    channels: tuple[str, ...]
    when: str | datetime
    text: str
    overrides: Mapping[str, str] = field(default_factory=dict)
    media: tuple[str, ...] = ()
    link: str | None = None
    notes: str | None = None
    urgent: bool = False
    media_alt: tuple[str, ...] = ()  # each media item's description, in the order of `media`
    tags: tuple[str, ...] = ()
    campaign: str | None = None
    idempotency_key: str | None = None


def split_channels(raw: str) -> tuple[str, ...]:
    names = [n.strip().lower().lstrip("#") for n in re.split(r"[,\s]+", raw) if n.strip()]
    return tuple(dict.fromkeys(names))


def _split_options(words: list[str]) -> tuple[int, dict[str, list[str]]]:
    """How many words come before the first --option, and each option's values."""
    for i, word in enumerate(words):
        if word in FLAG_OPTIONS or word in VALUE_OPTIONS:
            first, rest = i, words[i:]
            break
    else:
        return len(words), {}
    options: dict[str, list[str]] = {}
    current: str | None = None
    for word in rest:
        if word in FLAG_OPTIONS:
            options.setdefault(word, []).append("yes")
            current = None
        elif word in VALUE_OPTIONS:
            options.setdefault(word, []).append("")
            current = word
        elif current is None:
            raise UsageError(f"I did not understand “{word}” after the options.", PROPOSE_EXAMPLE)
        else:
            values = options[current]
            values[-1] = f"{values[-1]} {word}".strip()
    for name, values in options.items():
        if name in VALUE_OPTIONS and any(not v for v in values):
            raise UsageError(f"`{name}` needs a value.", f"{PROPOSE_EXAMPLE} {name} …")
    return first, options


def _time_word_count(words: list[str], reads_as_time: Callable[[str], bool]) -> tuple[str, int]:
    """The time phrase at the start of `words` and how many words it spans."""
    if words and words[0][:1] in {'"', "“"}:
        closing = {'"': '"', "“": "”"}[words[0][0]]
        for i, word in enumerate(words):
            if word.endswith(closing) and (i > 0 or len(word) > 1):
                return " ".join(words[: i + 1])[1:-1], i + 1
        raise UsageError("The quoted time is missing its closing quote.", PROPOSE_EXAMPLE)
    for count in range(min(_MAX_TIME_WORDS, len(words)), 0, -1):
        phrase = " ".join(words[:count])
        if reads_as_time(phrase):
            return phrase, count
    raise UsageError("I could not find a publish time after the channels.", PROPOSE_EXAMPLE)


def _last(options: dict[str, list[str]], name: str) -> str | None:
    """An option given more than once: the last one counts."""
    values = options.get(name)
    return values[-1] if values else None


def _media_alt(option_words: list[str], options: dict[str, list[str]]) -> tuple[str, ...]:
    """Each `--alt` given to the `--media` just before it, in the order of the media."""
    alts = iter(options.get("--alt", []))
    described = [""] * len(options.get("--media", []))
    media_seen = 0
    for word in option_words:
        if word == "--media":
            media_seen += 1
        elif word == "--alt":
            if media_seen == 0:
                raise UsageError(
                    "`--alt` describes the `--media` just before it; give the media first.",
                    f"{PROPOSE_EXAMPLE} --media https://… --alt A nurse giving a flu shot",
                )
            described[media_seen - 1] = next(alts)
    return tuple(described) if any(described) else ()


def parse_propose(
    line: str, reads_as_time: Callable[[str], bool], idempotency_key: str | None = None
) -> ProposeRequest:
    """Parse the text after `/propose`. `reads_as_time` tells whether a phrase is a time."""
    spans = [m.span() for m in re.finditer(r"\S+", line)]
    words = [line[a:b] for a, b in spans]
    if len(words) < 3:
        raise UsageError(
            "A one-line proposal needs channels, a time and the text.", PROPOSE_EXAMPLE
        )
    channels = split_channels(words[0])
    options_at, options = _split_options(words[1:])
    body = words[1 : 1 + options_at]
    when, used = _time_word_count(body, reads_as_time)
    # Keep the text exactly as typed (line breaks included) between the time and the options.
    text_start = spans[1 + used][0] if 1 + used < len(spans) else len(line)
    text_end = spans[1 + options_at][0] if 1 + options_at < len(spans) else len(line)
    text = line[text_start:text_end].strip() if used < len(body) else ""
    if not text:
        raise UsageError("The post has no text after the time.", PROPOSE_EXAMPLE)
    overrides: dict[str, str] = {}
    for value in options.get("--for", []):
        channel, _, override = value.partition(" ")
        if not override.strip():
            raise UsageError(
                "`--for` takes a channel and its own text.",
                f"{PROPOSE_EXAMPLE} --for x Flu shots are in!",
            )
        overrides[channel.lower()] = override.strip()
    return ProposeRequest(
        channels=channels,
        when=when,
        text=text,
        overrides=overrides,
        media=tuple(options.get("--media", [])),
        media_alt=_media_alt(words[1 + options_at :], options),
        link=_last(options, "--link"),
        notes=_last(options, "--notes"),
        urgent="--urgent" in options,
        tags=tuple(options.get("--tag", [])),
        campaign=_last(options, "--campaign"),
        idempotency_key=idempotency_key,
    )
