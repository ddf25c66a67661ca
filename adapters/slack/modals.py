"""Reading what a person typed into a proposal or reason modal, and putting refusals back on the
field they are about (`response_action: errors`), so a form is never lost."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from adapters.slack import ids
from bot.commands import ProposeRequest
from bot.errors import ClearpostError, TimeNotUnderstood, UnknownChannel


@dataclass(frozen=True)
class ProposalForm:
    channels: tuple[str, ...]
    date: str | None
    time: str | None
    text: str
    media: tuple[str, ...]
    notes: str | None
    urgent: bool

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
        if not self.text.strip():
            errors[ids.FIELD_TEXT] = "Write the text of the post."
        return errors

    def request(self, idempotency_key: str | None = None) -> ProposeRequest:
        return ProposeRequest(
            channels=self.channels,
            when=self.when,
            text=self.text,
            media=self.media,
            notes=self.notes,
            urgent=self.urgent,
            idempotency_key=idempotency_key,
        )


def _state(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict(view.get("state", {}).get("values", {}).get(block_id, {}).get(block_id) or {})


def read_proposal(view: dict[str, Any]) -> ProposalForm:
    channels = _state(view, ids.FIELD_CHANNELS).get("selected_options") or []
    files = _state(view, ids.FIELD_MEDIA_FILES).get("files") or []
    urls = (_state(view, ids.FIELD_MEDIA_URLS).get("value") or "").split()
    urgent = _state(view, ids.FIELD_URGENT).get("selected_options") or []
    file_links = [str(f.get("permalink") or f.get("url_private") or f.get("id")) for f in files]
    return ProposalForm(
        channels=tuple(str(o["value"]) for o in channels),
        date=_state(view, ids.FIELD_DATE).get("selected_date"),
        time=_state(view, ids.FIELD_TIME).get("selected_time"),
        text=_state(view, ids.FIELD_TEXT).get("value") or "",
        media=tuple(file_links + urls),
        notes=_state(view, ids.FIELD_NOTES).get("value"),
        urgent=bool(urgent),
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
    if "channel" in str(error).split(".")[0].lower():
        return ids.FIELD_CHANNELS
    return ids.FIELD_TEXT


def field_errors(error: ClearpostError) -> dict[str, str]:
    """Slack shows at most ~150 characters under a field; the example line is dropped there."""
    text = str(error).split("\nExample:")[0]
    return {field_for(error): text[:150]}
