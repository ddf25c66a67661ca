"""The core's `Directory`: which accounts are one person.

Accounts are linked by `[policy.people]` (each person's Slack, Teams and console ids) and by
e-mail: each platform that can say an account's address (Slack's users.info profile, Teams'
member record) registers a lookup, and two accounts with the same address are one person, named
by `[policy.people]` when the address is listed there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from adapters.policy_settings import PersonSettings
from bot.people import Person

log = logging.getLogger(__name__)

EmailLookup = Callable[[str], "str | None"]  # a platform's user id -> e-mail, or None
MAX_SEEN = 10_000  # names and addresses remembered from activities (bounded: a long-running bot)


class PeopleDirectory:
    def __init__(
        self,
        people: Mapping[str, PersonSettings],
        email_lookups: Mapping[str, EmailLookup] | None = None,
    ) -> None:
        self._names = {key: p.name or key for key, p in people.items()}
        self._accounts = {key: tuple(p.accounts()) for key, p in people.items()}
        self._by_account = {ref: key for key, refs in self._accounts.items() for ref in refs}
        self._by_email = {p.email: key for key, p in people.items() if p.email}
        self._lookups: dict[str, EmailLookup] = dict(email_lookups or {})
        # An address links something only with a second platform or a person listed by it.
        self._seen_names: dict[str, str] = {}  # account ref -> the name its platform gave
        self._seen_emails: dict[str, str] = {}  # account ref -> address, once looked up
        self._lock = threading.Lock()

    def add_email_lookup(self, platform: str, lookup: EmailLookup) -> None:
        self._lookups[platform] = lookup

    def identify(self, person: Person) -> str:
        if person.name:
            self._remember(self._seen_names, person.ref, person.name)
        key = self._by_account.get(person.ref)
        if key is not None:
            return key
        email = self._email(person)
        if email is None:
            return person.ref
        return self._by_email.get(email, f"email:{email}")

    def identify_member(self, member: str) -> str:
        member = member.strip()
        if member in self._names:
            return member
        platform, _, user_id = member.partition(":")
        return self.identify(Person(platform, user_id)) if user_id else member

    def display(self, key: str) -> str:
        if key in self._names:
            return self._names[key]
        with self._lock:
            if key in self._seen_names:
                return self._seen_names[key]
            if key.startswith("email:"):
                refs = [r for r, e in self._seen_emails.items() if f"email:{e}" == key]
                return next((self._seen_names[r] for r in refs if r in self._seen_names), "")
        return ""

    def accounts(self, key: str) -> tuple[str, ...]:
        if key in self._accounts:
            return self._accounts[key]
        if key.startswith("email:"):
            with self._lock:
                return tuple(r for r, e in self._seen_emails.items() if f"email:{e}" == key)
        return (key,) if ":" in key else ()

    def _email(self, person: Person) -> str | None:
        if len(self._lookups) < 2 and not self._by_email:
            return None  # nothing an address could link: spare the platform the lookup
        with self._lock:
            known = self._seen_emails.get(person.ref)
        if known is not None:
            return known
        lookup = self._lookups.get(person.platform)
        if lookup is None:
            return None
        try:
            found = lookup(person.user_id)
        except Exception as exc:  # a profile we cannot read links nothing; decisions go on
            log.warning("e-mail of %s not read: %s", person.ref, type(exc).__name__)
            return None
        if not found or "@" not in found:
            return None
        email = found.strip().lower()
        self._remember(self._seen_emails, person.ref, email)
        return email

    def _remember(self, table: dict[str, str], ref: str, value: str) -> None:
        with self._lock:
            if ref not in table and len(table) >= MAX_SEEN:
                table.pop(next(iter(table)))
            table[ref] = value
