"""Reading what a person typed into a proposal or reason modal, and putting refusals back on the
field they are about (`response_action: errors`), so a form is never lost."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from adapters.slack import ids
from bot.commands import ProposeRequest
from bot.domain import Content
from bot.drafting import Edit
from bot.errors import (
    ClearpostError,
    MediaDescriptionsRefused,
    TimeNotUnderstood,
    UnknownChannel,
)
from bot.media import alt_field, alt_lines


@dataclass(frozen=True)
class ProposalForm:
    """What a proposal or edit form sent. None: the field was not in the form (too long for a
    Slack input), so there is nothing to read and the post's value stays."""

    channels: tuple[str, ...]
    date: str | None
    time: str | None
    text: str | None
    media: tuple[str, ...] | None
    notes: str | None
    urgent: bool
    media_alt: tuple[str, ...] | None = None  # one line per media item, in the form's order

    @property
    def when(self) -> str:
        return f"{self.date} {self.time}"

    def missing(self) -> dict[str, str]:
        """Fields Slack let through empty (it only enforces non-optional inputs)."""
        errors: dict[str, str] = {}
        if not self.channels:
            errors[ids.FIELD_CHANNELS] = "Pick at least one channel."
        if not self.date:
            errors[ids.FIELD_DATE] = "Pick the day to publish."
        if not self.time:
            errors[ids.FIELD_TIME] = "Pick the time to publish."
        if self.text is not None and not self.text.strip():
            errors[ids.FIELD_TEXT] = "Write the text of the post."
        return errors

    def request(self, idempotency_key: str | None = None) -> ProposeRequest:
        return ProposeRequest(
            channels=self.channels,
            when=self.when,
            text=self.text or "",
            media=self.media or (),
            notes=self.notes,
            urgent=self.urgent,
            idempotency_key=idempotency_key,
            media_alt=self.media_alt or (),
        )


MAX_TEXT_PARTS = 20  # read at most this many text parts, whatever a payload claims


def _state(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict(view.get("state", {}).get("values", {}).get(block_id, {}).get(block_id) or {})


def _present(view: dict[str, Any], block_id: str) -> bool:
    return block_id in (view.get("state", {}).get("values", {}) or {})


def read_text(view: dict[str, Any]) -> str | None:
    """The text's parts joined as they are, or None when the form had no text input."""
    parts = []
    for i in range(MAX_TEXT_PARTS):
        block_id = ids.text_field(i)
        if not _present(view, block_id):
            break
        parts.append(_state(view, block_id).get("value") or "")
    return "".join(parts) if parts else None


def read_proposal(view: dict[str, Any]) -> ProposalForm:
    channels = _state(view, ids.FIELD_CHANNELS).get("selected_options") or []
    files = _state(view, ids.FIELD_MEDIA_FILES).get("files") or []
    urls = (_state(view, ids.FIELD_MEDIA_URLS).get("value") or "").split()
    urgent = _state(view, ids.FIELD_URGENT).get("selected_options") or []
    file_links = [str(f.get("permalink") or f.get("url_private") or f.get("id")) for f in files]
    media: tuple[str, ...] | None = tuple(file_links + urls)
    if not _present(view, ids.FIELD_MEDIA_URLS) and not file_links:
        media = None
    notes = _state(view, ids.FIELD_NOTES).get("value")
    alt = None
    if _present(view, ids.FIELD_MEDIA_ALT):
        alt = alt_lines(_state(view, ids.FIELD_MEDIA_ALT).get("value") or "")
    return ProposalForm(
        channels=tuple(str(o["value"]) for o in channels),
        date=_state(view, ids.FIELD_DATE).get("selected_date"),
        time=_state(view, ids.FIELD_TIME).get("selected_time"),
        text=read_text(view),
        media=media,
        notes=(notes or "") if _present(view, ids.FIELD_NOTES) else None,
        urgent=bool(urgent),
        media_alt=alt,
    )


def shown_alt(content: Content) -> tuple[str, ...]:
    """The descriptions as the form shows them: one line per media item, trailing blanks off."""
    return alt_lines(alt_field(content.media_alt))


# -- an edit changes only what the person changed -------------------------------------------


def digest(value: object) -> str:
    """A short fingerprint of a field as the form showed it (private_metadata holds 3,000)."""
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def shown(content: Content) -> dict[str, str]:
    """Fingerprints of the fields an edit form shows, kept in its private_metadata."""
    return {
        "text": digest(content.text),
        "channels": digest(list(content.channels)),
        "media": digest(list(content.media)),
        "notes": digest(content.notes or ""),
        "media_alt": digest(list(shown_alt(content))),
    }


def edit_from(form: ProposalForm, was_shown: dict[str, str]) -> Edit:
    """The fields the person changed; a field sent back as the form showed it is None (kept),
    so an edit never rewrites what nobody touched, even if the post changed meanwhile."""

    def changed(name: str, value: Any, fingerprint: object) -> Any:
        if value is None or was_shown.get(name) == digest(fingerprint):
            return None
        return value

    return Edit(
        text=changed("text", form.text, form.text),
        when=form.when,
        channels=changed("channels", form.channels, list(form.channels)),
        media=changed("media", form.media, list(form.media or ())),
        notes=changed("notes", form.notes, form.notes or ""),
        media_alt=changed("media_alt", form.media_alt, list(form.media_alt or ())),
    )


def read_reason(view: dict[str, Any]) -> str:
    return str(_state(view, ids.FIELD_REASON).get("value") or "")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def field_for(error: ClearpostError) -> str:
    """Which field of the proposal modal a refusal is about."""
    if isinstance(error, UnknownChannel):
        return ids.FIELD_CHANNELS
    if isinstance(error, TimeNotUnderstood):
        return ids.FIELD_DATE
    if isinstance(error, MediaDescriptionsRefused):
        return ids.FIELD_MEDIA_ALT
    if "channel" in str(error).split(".")[0].lower():
        return ids.FIELD_CHANNELS
    return ids.FIELD_TEXT


def field_errors(error: ClearpostError) -> dict[str, str]:
    """Slack shows at most ~150 characters under a field; the example line is dropped there."""
    text = str(error).split("\nExample:")[0]
    return {field_for(error): text[:150]}


def on_fields_shown(errors: dict[str, str], view: dict[str, Any]) -> dict[str, str]:
    """Errors keyed by blocks the form has: Slack refuses an error about a block it lacks (the
    text is not in an edit form when it is too long), so that one goes on the channels field."""
    present = view.get("state", {}).get("values", {}) or {}
    moved: dict[str, str] = {}
    for block_id, text in errors.items():
        key = block_id if block_id in present else ids.FIELD_CHANNELS
        moved[key] = f"{moved[key]} {text}" if key in moved else text
    return moved
