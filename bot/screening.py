"""Findings that suggest protected health information (PHI) or risky claims, for the reviewer.

These are prompts for a human, not verdicts: a finding never blocks a proposal, and the absence of
findings proves nothing. The core knows what a finding is and how a reviewer reads one; the
detector that finds them lives outside the core (adapters/screening) behind `TextScreener`, so a
model or recognizer library never becomes a dependency of the core. `screen` below is the small
fallback used when no detector is wired (tests, a bare Workflow).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from bot.media import stored_name

Severity = Literal["high", "medium", "low"]

# What a reviewer reads for each category: the kind of thing found.
CATEGORY_NAMES: dict[str, str] = {
    "name": "a person's name",
    "date": "a date tied to a person",
    "age": "an age over 89",
    "phone": "a phone number",
    "fax": "a fax number",
    "email": "an e-mail address",
    "address": "an address or a place smaller than a state",
    "id": "a record, account, plan, licence, device or other identifying number",
    "url": "a link or handle pointing at a person",
    "photo": "a photo or video of a patient",
    "claim": "medical-claims language",
    "banned": "a banned word",
    "disclaimer": "a post without its required disclaimer",
}
# Categories that are PHI (Safe Harbor identifiers); the others are compliance wording.
PHI_CATEGORIES = frozenset(CATEGORY_NAMES) - {"claim", "banned", "disclaimer"}


@dataclass(frozen=True)
class Finding:
    """One span of one text that a reviewer should look at: what, how serious, why, what to do."""

    start: int  # Python string indices into the screened text
    end: int
    category: str
    severity: Severity
    why: str
    fix: str

    @property
    def is_phi(self) -> bool:
        return self.category in PHI_CATEGORIES


class TextScreener(Protocol):
    """A detector: the findings in one text, in order of their start."""

    def findings(self, text: str) -> list[Finding]: ...


def sentence(finding: Finding, text: str, where: str = "") -> str:
    """How a reviewer reads one finding (Slack thread, Teams card, console, CLI)."""
    excerpt = text[finding.start : finding.end].replace("\n", " ")
    kind = "Possible PHI" if finding.is_phi else "Compliance"
    what = CATEGORY_NAMES.get(finding.category, finding.category)
    place = f" {where}" if where else ""
    return (
        f'{kind} ({finding.severity}): "{excerpt}"{place} looks like {what}: {finding.why}. '
        f"Suggested fix: {finding.fix}."
    )


class Screened(str):
    """A text to screen that says which field of the post it is ("in the link"); still a str,
    so a screener that only wants texts reads it as one."""

    where: str
    context: str  # read before it, so that a file name is read in the light of the post

    def __new__(cls, text: str, where: str, context: str = "") -> Screened:
        made = super().__new__(cls, text)
        made.where = where
        made.context = context
        return made


def post_fields(
    text: str,
    overrides: Iterable[str],
    media: Iterable[str],
    link: str | None,
    media_alt: Sequence[str] = (),
) -> list[str]:
    """Every field of a post that is published or shown: the text, each channel's own text, each
    media file's name (its separators read as spaces, so "maria_lopez.jpg" reads as a name) and
    description (alt text, published with the image), and the link."""
    fields: list[str] = [text, *(Screened(o, "(in a channel's own text)") for o in overrides)]
    for index, item in enumerate(media):
        # A file in Clearpost's store is named by the person who attached it, not by its URL.
        name = stored_name(item) or item.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        readable = re.sub(r"[-_.+%]", " ", name)
        fields.append(Screened(readable, f'(in the media file name "{name}")', text))
        alt = media_alt[index] if index < len(media_alt) else ""
        if alt:
            fields.append(Screened(alt, f'(in the alt text of "{name}")', text))
    if link:
        fields.append(Screened(link, "(in the link)", text))
    return fields


@dataclass(frozen=True)
class FindingsScreener:
    """Adapts a TextScreener to the workflow's screener: texts in, reviewer sentences out.

    The first text is the post's own; a `Screened` text says where it is; any other is a
    per-channel text."""

    detector: TextScreener

    def __call__(self, texts: Iterable[str]) -> list[str]:
        out: list[str] = []
        for index, text in enumerate(texts):
            where = "" if index == 0 else "(in a channel's own text)"
            where = getattr(text, "where", where)
            out.extend(sentence(f, str(text), where) for f in self._findings(text))
        return _unique(out)

    def _findings(self, text: str) -> list[Finding]:
        context = getattr(text, "context", "")
        if not context:
            return self.detector.findings(str(text))
        shift = len(context) + 2
        found = self.detector.findings(f"{context}\n\n{text}")
        return [
            replace(f, start=f.start - shift, end=f.end - shift) for f in found if f.start >= shift
        ]


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("a phone number", re.compile(r"\b(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")),
    ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")),
    ("a medical record number", re.compile(r"\b(?:MRN|medical record)\s*#?:?\s*\d+", re.I)),
    ("a date of birth", re.compile(r"\b(?:DOB|date of birth|born on)\b", re.I)),
    ("a Social Security number", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    (
        "a named patient",
        re.compile(r"\bpatient\s+(?:named\s+)?(?:Mr|Mrs|Ms|Miss|Mx)?\.?\s*[A-Z][a-z]+", re.U),
    ),
    (
        "a person's appointment",
        re.compile(r"\b(?:his|her|their|[A-Z][a-z]+'s)\s+appointment\b"),
    ),
    ("a diagnosis tied to a person", re.compile(r"\b(?:diagnosed with|was treated for)\b", re.I)),
]


def screen(texts: Iterable[str]) -> list[str]:
    """The fallback without a detector: plain-sentence findings, one per kind, in a stable order."""
    joined = "\n".join(texts)
    return [
        f"Possible PHI: the text seems to contain {what}. Check it before approving."
        for what, pattern in _PATTERNS
        if pattern.search(joined)
    ]
