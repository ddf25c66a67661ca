"""Whether screening lets a revision be approved: a high-severity finding blocks approval until
an approver overrides it with a reason; a recorded consent covers the person's name and photo.

Decided on the revision's findings as data (Revision.findings), never on the sentences reviewers
read, so rewording a sentence cannot change who may approve. One approver's override covers the
revision for the stages after theirs; an edit makes a new revision, screened anew, that no
override covers."""

from __future__ import annotations

from collections.abc import Sequence

from bot.consent import COVERED_CATEGORIES, Consent
from bot.domain import Approval, Post
from bot.screening import CATEGORY_NAMES, PostFinding


def high_findings(findings: Sequence[PostFinding]) -> list[str]:
    """The categories of the high-severity findings, each once, in order."""
    return list(dict.fromkeys(f.category for f in findings if f.severity == "high"))


def blocking_findings(findings: Sequence[PostFinding], consents: Sequence[Consent]) -> list[str]:
    """What blocks approval on its own: the high findings that no consent on file covers."""
    covered = COVERED_CATEGORIES if consents else frozenset()
    return [c for c in high_findings(findings) if c not in covered]


def override_of(post: Post) -> Approval | None:
    """The first live approval of the current revision given over screening findings."""
    return next((a for a in post.live_approvals() if a.override_reason), None)


def still_blocking(post: Post, consents: Sequence[Consent]) -> list[str]:
    """What blocks the next signature: the blocking findings no earlier override let through."""
    earlier = override_of(post)
    let_through = earlier.overridden if earlier else ()
    return [c for c in blocking_findings(post.revision.findings, consents) if c not in let_through]


def override_line(post: Post) -> str | None:
    """Who overrode this revision's findings and why, for the signers after them."""
    earlier = override_of(post)
    if earlier is None:
        return None
    return (
        f"Screening findings ({describe(earlier.overridden)}) overridden by "
        f"{earlier.by.display}: {earlier.override_reason}"
    )


def describe(categories: Sequence[str]) -> str:
    return ", ".join(CATEGORY_NAMES.get(c, c) for c in categories)
