"""Record consent on the Teams approval card: a button, for a reader the core lets record one,
that shows the two fields (who signed, where the signed form is kept) and an Action.Execute
that goes through the bot's invoke route to the same core verb as Slack's form. The core checks
again on the press; a refusal comes back on the card with what was typed kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.teams import cards
from adapters.teams.post_actions import PostActions
from bot.consent import FIELD_FORM_REF, FIELD_WHO, MAX_FORM_REF, MAX_WHO, field_problems
from bot.consent_findings import offers_consent
from bot.domain import Person, Post
from bot.errors import ClearpostError
from bot.workflow import Workflow

RECORD = "record_consent"
# The inputs' ids: what Action.Execute merges into the press's data.
INPUT_WHO, INPUT_FORM_REF = "consent_who", "consent_form_ref"


def may_record(workflow: Workflow, person: Person, post: Post) -> bool:
    """Offered only where the core would take it: a name or photo finding, a reader who may
    decide the post (not its proposer), a post that can still change."""
    if not offers_consent(post):
        return False
    try:
        workflow.check_record_consent(person, post)
    except ClearpostError:
        return False
    return True


def consent_button(post: Post, typed: Mapping[str, str] | None = None) -> dict[str, Any]:
    typed = typed or {}
    about = (
        f"A signed consent from the person post #{post.id} names or shows. Their name and "
        "photo findings then read “consent on file”; any other finding still counts."
    )

    def field(input_id: str, label: str, limit: int, placeholder: str) -> dict[str, Any]:
        return {
            "type": "Input.Text",
            "id": input_id,
            "label": label,
            "isRequired": True,
            "maxLength": limit,
            "placeholder": placeholder,
            "errorMessage": f"Required, at most {limit} characters.",
            "value": str(typed.get(input_id) or "")[:limit],
        }

    press = cards.execute_button("Record consent", RECORD, {"post_id": post.id})
    return {
        "type": "Action.ShowCard",
        "title": "Record consent",
        "card": {
            "type": "AdaptiveCard",
            "body": [
                cards.text_block(about),
                field(INPUT_WHO, "Who signed", MAX_WHO, "The patient, or their guardian"),
                field(
                    INPUT_FORM_REF,
                    "Where the signed form is kept",
                    MAX_FORM_REF,
                    "e.g. EHR scan 2026-11-03 #4411",
                ),
            ],
            "actions": [press],
        },
    }


class ConsentPresses(PostActions):
    """Answers "Record consent" as the post's other presses are answered (PostActions: the
    core on the bot's threads, the approval card drawn for the person who pressed)."""

    async def on_press(
        self,
        post_id: int,
        data: dict[str, Any],
        person: Person,
        decider: Person | None,
        refusal: str,
    ) -> dict[str, Any]:
        """Record it (`decider` is the person if the press may decide: a Teams work account);
        the approval card comes back with what happened, or the refusal and what was typed."""
        who, form_ref = str(data.get(INPUT_WHO) or ""), str(data.get(INPUT_FORM_REF) or "")
        typed = {INPUT_WHO: who, INPUT_FORM_REF: form_ref}
        problems = field_problems(who, form_ref)
        shown: dict[str, Any] = {"consent_typed": typed}
        if decider is None:
            shown["error"] = refusal
        elif problems:
            shown["error"] = " ".join(
                problems[k] for k in (FIELD_WHO, FIELD_FORM_REF) if k in problems
            )
        else:
            try:
                consent = await self.core(
                    self.workflow.record_consent, post_id, who, form_ref, decider
                )
            except ClearpostError as exc:
                shown["error"] = str(exc)
            else:
                said = consent.describe()
                shown = {"status": f"{said[0].upper()}{said[1:]}, recorded by {decider.display}."}
        post = await self._post(post_id)
        if isinstance(post, dict):  # a card saying why there is no such post
            return post
        return await self.approval_view(post, decider or person, **shown)
