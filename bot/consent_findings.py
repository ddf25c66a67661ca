"""How a post's findings read once a consent is on file, and whether a consent would cover any
of them: what the approval thread, the Teams card and the console show, and when they offer
"Record consent"."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.consent import COVERED_CATEGORIES, Consent, ConsentBook
from bot.domain import Post


def offers_consent(post: Post) -> bool:
    """The current revision has a name or photo finding (of any severity): what a signed
    consent can cover."""
    return any(f.category in COVERED_CATEGORIES for f in post.revision.findings)


def shown_findings(post: Post) -> list[str]:
    """The revision's problems as a reviewer reads them: a name or photo finding with a
    consent on file says so first."""
    consents = post.consents_on_file
    if not consents:
        return list(post.revision.problems)
    covered = {f.sentence() for f in post.revision.findings if f.category in COVERED_CATEGORIES}
    on_file = "; ".join(c.describe() for c in consents)
    return [
        f"{on_file[0].upper()}{on_file[1:]}: {p}" if p in covered else p
        for p in post.revision.problems
    ]


def with_consents(book: ConsentBook, then: Callable[[Post], Post]) -> Callable[[Post], Post]:
    """An annotator that attaches the consents on file (read only for a post a consent could
    cover), then does `then`'s annotating."""

    def annotate(post: Post) -> Post:
        found: Sequence[Consent] = book.for_post(post.id) if offers_consent(post) else ()
        post.consents_on_file = tuple(found)
        return then(post)

    return annotate
