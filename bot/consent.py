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


# Room for a guardian's name with the patient's, and for a scan's place and number; the form
# itself stays in the practice's records, never in Clearpost.
MAX_WHO = 120
MAX_FORM_REF = 200
FIELD_WHO, FIELD_FORM_REF = "who", "form_ref"


def one_line(text: str) -> str:
    """A form's field as one line: runs of spaces, tabs and line breaks become one space."""
    return " ".join((text or "").split())


def field_problems(who: str, form_ref: str) -> dict[str, str]:
    """What is wrong with a consent's two fields, by field; empty when both can be recorded."""
    problems: dict[str, str] = {}
    who, form_ref = one_line(who), one_line(form_ref)
    if not who:
        problems[FIELD_WHO] = "Say who signed the consent (the patient, or their guardian)."
    elif len(who) > MAX_WHO:
        problems[FIELD_WHO] = f"Keep who signed to {MAX_WHO} characters (this is {len(who)})."
    if not form_ref:
        problems[FIELD_FORM_REF] = "Say where the signed form is kept, e.g. EHR scan #4411."
    elif len(form_ref) > MAX_FORM_REF:
        problems[FIELD_FORM_REF] = (
            f"Keep where the form is kept to {MAX_FORM_REF} characters (this is {len(form_ref)})."
        )
    return problems


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
