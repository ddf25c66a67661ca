"""Whether screening lets a revision be approved: a high-severity finding blocks approval until
an approver overrides it with a reason; a recorded consent covers the person's name and photo.

Findings reach the core as the sentences reviewers read (screening.sentence); the severity and
the kind are read back from them here, beside the code that writes them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.consent import COVERED_CATEGORIES, Consent
from bot.screening import CATEGORY_NAMES

_BY_DESCRIPTION = {what: category for category, what in CATEGORY_NAMES.items()}
_HIGH = re.compile(
    r'^(?:Possible PHI|Compliance) \(high\): ".*" (?:\(in .*\) )?looks like ('
    + "|".join(re.escape(what) for what in sorted(_BY_DESCRIPTION, key=len, reverse=True))
    + r"): ",
    re.S,
)


def high_findings(problems: Sequence[str]) -> list[str]:
    """The categories of the high-severity findings among a revision's problems, each once."""
    found = (_HIGH.match(p) for p in problems)
    return list(dict.fromkeys(_BY_DESCRIPTION[m.group(1)] for m in found if m))


def blocking_findings(problems: Sequence[str], consents: Sequence[Consent]) -> list[str]:
    """What still blocks approval: the high findings that no consent on file covers."""
    covered = COVERED_CATEGORIES if consents else frozenset()
    return [c for c in high_findings(problems) if c not in covered]


def describe(categories: Sequence[str]) -> str:
    return ", ".join(CATEGORY_NAMES.get(c, c) for c in categories)
