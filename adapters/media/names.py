"""A file's name as people gave it, made safe to show and to log: never used as a path."""

from __future__ import annotations

import unicodedata

MAX_NAME = 80


def display_name(raw: object) -> str:
    """The name without control or format characters (bidi overrides, zero-width joiners) and
    without any folder part, at most MAX_NAME characters."""
    text = str(raw or "")
    text = "".join(c for c in text if not unicodedata.category(c).startswith("C"))
    text = text.replace("\\", "/").rsplit("/", 1)[-1].strip(" .")
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        keep = f".{ext}" if dot and len(ext) <= 5 else ""
        text = text[: MAX_NAME - len(keep) - 1] + "…" + keep
    return text
