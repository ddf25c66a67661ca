"""A patient's recorded consent to appear in a post: who, the signed form's reference, who
recorded it and when. Recorded consent turns a named-patient finding into "consent on file"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.people import Person

# Findings a signed consent covers: the consenting person's name and pictures of them. A phone
# number, an address or a record number stays a finding whatever the form says.
COVERED_CATEGORIES = frozenset({"name", "photo"})


@dataclass(frozen=True)
class Consent:
    post_id: int
    who: str  # the person who signed (the patient, or their guardian on their behalf)
    form_ref: str  # where the signed form is kept, e.g. "EHR scan 2026-11-03 #4411"
    recorded_by: Person
    recorded_at: datetime

    def describe(self) -> str:
        return f"consent on file (ref {self.form_ref}) from {self.who}"


class ConsentBook(Protocol):
    """Where consents are kept (storage/consents.py)."""

    def add(self, consent: Consent) -> None: ...

    def for_post(self, post_id: int) -> Sequence[Consent]: ...


class NoConsents:
    """A workflow without a consent store: nothing is on file."""

    def add(self, consent: Consent) -> None:
        raise NotImplementedError("this Clearpost has no consent store")

    def for_post(self, post_id: int) -> Sequence[Consent]:
        return ()
