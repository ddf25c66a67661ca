"""Findings that suggest protected health information (PHI) or risky claims, for the reviewer.

These are prompts for a human, not verdicts: a finding never blocks a proposal, and the absence of
findings proves nothing. The core knows what a finding is and how a reviewer reads one; the
detector that finds them lives outside the core (adapters/screening) behind `TextScreener`, so a
model or recognizer library never becomes a dependency of the core. `fallback_screener` below is
the small fallback used when no detector is wired (tests, a bare Workflow).

A revision keeps its findings (PostFinding: the finding and the field it is in); the sentences
reviewers read are made from them, and approval is decided on them, never on the sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from bot.media import stored_name

Severity = Literal["high", "medium", "low"]
FieldKind = Literal["text", "override", "media", "alt", "link"]

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
    "health": "a person's health or care",  # the fallback screen's cue words
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

    @property
    def is_hint(self) -> bool:
        """Low severity: shown to the reviewer, but it does not flag the post on its own."""
        return self.severity == "low"


class TextScreener(Protocol):
    """A detector: the findings in one text, in order of their start."""

    def findings(self, text: str) -> list[Finding]: ...


@dataclass(frozen=True)
class Place:
    """Which field of a post a finding is in: the text, a channel's own text (`name`: the
    channel, when known), a media file's name or its alt text (`name`: the file name) or the
    link."""

    field: FieldKind = "text"
    name: str = ""

    def where(self) -> str:
        """How the sentence a reviewer reads says where it is ("" for the post's text)."""
        if self.field == "override":
            return f"(in {self.name}'s own text)" if self.name else "(in a channel's own text)"
        if self.field == "media":
            return f'(in the media file name "{self.name}")'
        if self.field == "alt":
            return f'(in the alt text of "{self.name}")'
        if self.field == "link":
            return "(in the link)"
        return ""


@dataclass(frozen=True)
class PostFinding:
    """A finding in one field of a revision, kept with the revision: approval is decided on
    these (screening_gate.py), and the sentence reviewers read is made from them."""

    finding: Finding
    place: Place
    excerpt: str  # the span as it was screened, so the sentence never needs the field again

    @property
    def category(self) -> str:
        return self.finding.category

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    def sentence(self) -> str:
        return _reads(self.finding, self.excerpt, self.place.where())


# The workflow's screener: a post's fields (post_fields) in, its findings out.
PostScreener = Callable[[Sequence[str]], list[PostFinding]]


def sentence(finding: Finding, text: str, where: str = "") -> str:
    """How a reviewer reads one finding (Slack thread, Teams card, console, CLI)."""
    return _reads(finding, text[finding.start : finding.end], where)


def _reads(finding: Finding, excerpt: str, where: str) -> str:
    kind = "Possible PHI" if finding.is_phi else "Compliance"
    what = CATEGORY_NAMES.get(finding.category, finding.category)
    place = f" {where}" if where else ""
    shown = excerpt.replace("\n", " ")
    return (
        f'{kind} ({finding.severity}): "{shown}"{place} looks like {what}: {finding.why}. '
        f"Suggested fix: {finding.fix}."
    )


def sentences(findings: Iterable[PostFinding]) -> list[str]:
    """What reviewers read for these findings, each sentence once."""
    return _unique([f.sentence() for f in findings])


class Screened(str):
    """A text to screen that says which field of the post it is (the link); still a str, so a
    screener that only wants texts reads it as one."""

    place: Place
    context: str  # read before it, so that a file name is read in the light of the post

    def __new__(cls, text: str, place: Place, context: str = "") -> Screened:
        made = super().__new__(cls, text)
        made.place = place
        made.context = context
        return made


def post_fields(
    text: str,
    overrides: Mapping[str, str],
    media: Iterable[str],
    link: str | None,
    media_alt: Sequence[str] = (),
) -> list[str]:
    """Every field of a post that is published or shown: the text, each channel's own text, each
    media file's name (its separators read as spaces, so "maria_lopez.jpg" reads as a name) and
    description (alt text, published with the image), and the link."""
    fields: list[str] = [text]
    fields += [Screened(own, Place("override", channel)) for channel, own in overrides.items()]
    for index, item in enumerate(media):
        # A file in Clearpost's store is named by the person who attached it, not by its URL.
        name = stored_name(item) or item.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        readable = re.sub(r"[-_.+%]", " ", name)
        fields.append(Screened(readable, Place("media", name), text))
        alt = media_alt[index] if index < len(media_alt) else ""
        if alt:
            fields.append(Screened(alt, Place("alt", name), text))
    if link:
        fields.append(Screened(link, Place("link"), text))
    return fields


@dataclass(frozen=True)
class FindingsScreener:
    """Adapts a TextScreener to the workflow's screener: fields in, placed findings out.

    The first text is the post's own; a `Screened` text says where it is; any other is a
    per-channel text."""

    detector: TextScreener

    def __call__(self, texts: Iterable[str]) -> list[PostFinding]:
        out: list[PostFinding] = []
        for index, text in enumerate(texts):
            place = getattr(text, "place", Place("text" if index == 0 else "override"))
            out += [PostFinding(f, place, str(text)[f.start : f.end]) for f in self._findings(text)]
        return list(dict.fromkeys(out))

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


# The fallback's patterns: what a match may be, and the category its finding gets.
_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "a phone number",
        "phone",
        re.compile(r"\b(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"),
    ),
    ("an email address", "email", re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")),
    (
        "a medical record number",
        "id",
        re.compile(r"\b(?:MRN|medical record)\s*#?:?\s*\d+", re.I),
    ),
    ("a date of birth", "date", re.compile(r"\b(?:DOB|date of birth|born on)\b", re.I)),
    ("a Social Security number", "id", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    (
        "a named patient",
        "name",
        re.compile(r"\bpatient\s+(?:named\s+)?(?:Mr|Mrs|Ms|Miss|Mx)?\.?\s*[A-Z][a-z]+", re.U),
    ),
    (
        "a person's appointment",
        "health",
        re.compile(r"\b(?:his|her|their|[A-Z][a-z]+'s)\s+appointment\b"),
    ),
    (
        "a diagnosis tied to a person",
        "health",
        re.compile(r"\b(?:diagnosed with|was treated for)\b", re.I),
    ),
]


def screen(texts: Iterable[str]) -> list[str]:
    """The fallback without a detector: plain-sentence findings, one per kind, in a stable order."""
    joined = "\n".join(texts)
    return [
        f"Possible PHI: the text seems to contain {what}. Check it before approving."
        for what, _, pattern in _PATTERNS
        if pattern.search(joined)
    ]


class FallbackDetector:
    """The fallback's patterns as a TextScreener: medium findings, for a person to look at; they
    never block approval, as the fallback never did."""

    def findings(self, text: str) -> list[Finding]:
        found = [
            Finding(m.start(), m.end(), category, "medium", f"it may be {what}", "check it")
            for what, category, pattern in _PATTERNS
            for m in pattern.finditer(text)
        ]
        return sorted(found, key=lambda f: f.start)


# The workflow's screener when no detector is wired (tests, a bare Workflow).
fallback_screener = FindingsScreener(FallbackDetector())
