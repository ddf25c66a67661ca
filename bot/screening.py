"""Findings that suggest protected health information (PHI) in a post, for the reviewer to weigh.

These are prompts for a human, not verdicts: a finding never blocks a proposal, and the absence of
findings proves nothing. Patterns are deliberately simple and explainable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    """Plain-sentence findings, one per kind, in a stable order."""
    joined = "\n".join(texts)
    return [
        f"Possible PHI: the text seems to contain {what}. Check it before approving."
        for what, pattern in _PATTERNS
        if pattern.search(joined)
    ]
