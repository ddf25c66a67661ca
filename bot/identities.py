"""People, not platform accounts: the port through which the core asks who is behind an account.

Someone in both Slack and Teams is one person. The adapters link their accounts (by the
practice's settings, or by the e-mail address each platform's profile gives) and answer through
`Directory`; the core compares the keys it returns, so nobody approves their own post from the
other platform and an approver is an approver on both.
"""

from __future__ import annotations

from typing import Protocol

from bot.people import Person


class Directory(Protocol):
    """Who is behind an account. Keys are opaque to the core; equal keys are one person."""

    def identify(self, person: Person) -> str:
        """The person's key: the same for each of their linked accounts, `person.ref` when
        nothing links the account to anyone."""
        ...

    def identify_member(self, member: str) -> str:
        """A group member as the settings name it (a person's name, or `platform:user_id`)."""
        ...

    def display(self, key: str) -> str:
        """A name a reader recognises for a key, or "" when none is known."""
        ...

    def accounts(self, key: str) -> tuple[str, ...]:
        """The `platform:user_id` accounts known to be this person's."""
        ...


class AccountDirectory:
    """No linking: every account is its own person (the default, and the console's)."""

    def identify(self, person: Person) -> str:
        return person.ref

    def identify_member(self, member: str) -> str:
        return member.strip()

    def display(self, key: str) -> str:
        return ""  # an account's name is only known from what its platform sent

    def accounts(self, key: str) -> tuple[str, ...]:
        return (key,) if ":" in key else ()
