"""Record consent in the approval thread: the button opens a form (who signed, where the
signed form is kept), open first within the trigger's 3 seconds; the core then says whether
this person may record one, and checks again when the form is submitted."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from adapters.slack import blocks, ids, modals
from adapters.slack.replies import guarded, person_from
from adapters.slack.thread_listeners import ThreadListeners
from bot.consent import FIELD_FORM_REF, FIELD_WHO, MAX_FORM_REF, MAX_WHO, field_problems
from bot.domain import Post

# The core's field names -> the form's block ids, so its refusals land under their field.
FIELDS = {FIELD_WHO: ids.FIELD_CONSENT_WHO, FIELD_FORM_REF: ids.FIELD_CONSENT_FORM_REF}


def consent_modal(post: Post, private_metadata: dict[str, Any]) -> dict[str, Any]:
    def field(block_id: str, label: str, limit: int, hint: str) -> dict[str, Any]:
        element = {"type": "plain_text_input", "action_id": block_id, "max_length": limit}
        return {
            "type": "input",
            "block_id": block_id,
            "label": {"type": "plain_text", "text": label},
            "element": element,
            "hint": {"type": "plain_text", "text": hint},
        }

    about = (
        f"Post #{post.id} by {post.proposer.display}: a signed consent from the person it "
        "names or shows. Their name and photo findings then read “consent on file”; any other "
        "finding still counts."
    )
    return {
        "type": "modal",
        "callback_id": ids.VIEW_CONSENT,
        "title": {"type": "plain_text", "text": "Record consent"},
        "submit": {"type": "plain_text", "text": "Record consent"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(private_metadata),
        "blocks": [
            {"type": "section", "text": blocks.plain(blocks.clip(about))},
            field(ids.FIELD_CONSENT_WHO, "Who signed", MAX_WHO, "The patient, or their guardian"),
            field(
                ids.FIELD_CONSENT_FORM_REF,
                "Where the signed form is kept",
                MAX_FORM_REF,
                "e.g. EHR scan 2026-11-03 #4411; the form itself stays in your records",
            ),
        ],
    }


def _typed(view: dict[str, Any], block_id: str) -> str:
    values = view.get("state", {}).get("values", {}) or {}
    return str((values.get(block_id, {}).get(block_id) or {}).get("value") or "")


class ConsentListeners(ThreadListeners):
    def on_record_consent_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        person, tell, post_id = self.clicked(ack, body, action, client)

        def open_first() -> None:
            post = self.workflow.get(post_id)
            meta = {"post_id": post_id, "response_url": body.get("response_url")}
            opened = client.views_open(
                trigger_id=body["trigger_id"], view=consent_modal(post, meta)
            )
            self.after_ack(
                tell,
                "check record consent",
                lambda: self.refuse_in_modal(
                    client, opened, lambda: self.workflow.check_record_consent(person, post)
                ),
            )

        guarded(tell, "open consent modal", open_first)

    def on_consent_modal_submitted(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        who = _typed(view, ids.FIELD_CONSENT_WHO)
        form_ref = _typed(view, ids.FIELD_CONSENT_FORM_REF)
        problems = field_problems(who, form_ref)
        if problems:
            ack(response_action="errors", errors={FIELDS[k]: v for k, v in problems.items()})
            return
        ack()
        person = person_from(body)
        meta = modals.metadata(view)
        tell = self.teller(client, person, meta.get("response_url"))
        post_id = int(meta.get("post_id", 0))
        # The core checks again who may record it: the form may have been open for a while.
        self.after_ack(
            tell,
            "record consent",
            lambda: self.workflow.record_consent(post_id, who, form_ref, self.named(person)),
        )
