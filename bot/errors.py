"""Errors the core raises for reasons a person can act on.

    ClearpostError                 refused for a business reason; str() is shown to the person
     ├── UsageError                a command or form could not be understood (carries an example)
     │    └── TimeNotUnderstood    unreadable, in the past, or in a DST gap or overlap
     ├── UnknownChannel            a channel name that is not configured
     ├── PostNotFound
     ├── IllegalTransition         the post's state does not allow this move
     ├── NotAllowed                the person lacks the role (not an approver, not the proposer)
     │    └── SelfApprovalRefused
     ├── RevisionChanged           the decision was about a revision that is no longer current
     ├── FindingsBlockApproval     high-severity screening findings: fix, or override with a reason
     └── ConcurrentChange          someone else changed the post first (compare-and-set lost)

Anything else escaping the core is a bug: adapters log it with a reference and say so.
"""

from __future__ import annotations


class ClearpostError(Exception):
    """Refused for a reason the person can act on; str() is shown to them unchanged."""


class UsageError(ClearpostError):
    """Input that could not be understood; the message ends with a correct example."""

    def __init__(self, problem: str, example: str | None = None) -> None:
        self.problem = problem
        self.example = example
        text = problem if example is None else f"{problem}\nExample: {example}"
        super().__init__(text)


class MediaDescriptionsRefused(UsageError):
    """The media descriptions (alt texts) do not fit the media: a form puts it on that field."""


class TimeNotUnderstood(UsageError):
    """A publish time that cannot be used; says what was understood."""


class UnknownChannel(ClearpostError):
    def __init__(self, names: list[str], known: list[str]) -> None:
        self.names = names
        listed = ", ".join(f"`{n}`" for n in names)
        choices = ", ".join(known) or "(none configured)"
        noun = "channel" if len(names) == 1 else "channels"
        super().__init__(f"Unknown {noun} {listed}. Configured channels: {choices}.")


class PostNotFound(ClearpostError):
    def __init__(self, post_id: int) -> None:
        self.post_id = post_id
        super().__init__(f"There is no post #{post_id}.")


class IllegalTransition(ClearpostError):
    def __init__(self, post_id: int | None, state: str, action: str) -> None:
        self.state = state
        self.action = action
        which = f"Post #{post_id}" if post_id is not None else "This post"
        super().__init__(f"{which} is {state.replace('_', ' ')}, so it cannot be {action}.")


class NotAllowed(ClearpostError):
    """The person is not allowed to do this; the message says who is."""


class SelfApprovalRefused(NotAllowed):
    def __init__(self, post_id: int, doing: str = "decide it") -> None:
        super().__init__(f"You proposed post #{post_id}, so another approver has to {doing}.")


class RevisionChanged(ClearpostError):
    def __init__(self, post_id: int, current_number: int) -> None:
        super().__init__(
            f"Post #{post_id} was edited since you looked at it (now revision "
            f"{current_number}). Review the new revision, then decide again."
        )


class ConcurrentChange(ClearpostError):
    def __init__(self, post_id: int) -> None:
        super().__init__(
            f"Someone else changed post #{post_id} at the same moment; your action was not "
            "applied. Look at the post again and retry if it still makes sense."
        )


class RetentionNotOver(ClearpostError):
    def __init__(self, before: str, earliest: str, years: int) -> None:
        super().__init__(
            f"Audit events and published revisions are kept {years} years (HIPAA "
            f"164.316(b)(2)); --before {before} would remove some younger than that. The "
            f"latest --before allowed today is {earliest}. Nothing was purged."
        )


class FindingsBlockApproval(ClearpostError):
    """High-severity screening findings on the revision; an approver may override with a reason."""

    def __init__(self, post_id: int, what: str) -> None:
        self.post_id = post_id
        super().__init__(
            f"Post #{post_id} cannot be approved yet: screening found {what} (high severity). "
            "Ask for changes, record the patient's consent, or approve it as it is with your "
            'reason ("Approve with override"; in Teams, write the reason and press Approve).'
        )
