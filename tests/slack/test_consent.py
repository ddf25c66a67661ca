"""Record consent in the approval thread: the compliance officer opens the form from the thread,
says who signed and where the form is kept; the thread hears it and the name finding then reads
"consent on file". The proposer and people who may not decide are refused by the core."""

from __future__ import annotations

from typing import Any

from adapters.slack import ids
from bot.domain import State

NAMED = "x tomorrow 9am Congrats to our patient Thiago on his new hip!"


def consent_values(who: str, form_ref: str) -> dict[str, Any]:
    def field(block_id: str, value: str) -> dict[str, Any]:
        return {block_id: {block_id: {"type": "plain_text_input", "value": value}}}

    return field(ids.FIELD_CONSENT_WHO, who) | field(ids.FIELD_CONSENT_FORM_REF, form_ref)


def parent_blocks(slack, post_id: int) -> list[dict[str, Any]]:
    """The thread parent as Slack shows it now: its last update, else as it was announced."""
    thread = slack.workflow.get(post_id).thread
    updates = [c.params for c in slack.api.called("chat.update") if c.params["ts"] == thread.ts]
    posted = [c.params for c in slack.api.called("chat.postMessage") if "thread_ts" not in c.params]
    return list((updates or posted)[-1]["blocks"])


def buttons(slack, post_id: int) -> list[str]:
    blocks = parent_blocks(slack, post_id)
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def parent_text(slack, post_id: int) -> str:
    return str(parent_blocks(slack, post_id))


def test_the_officer_records_consent_from_the_thread_and_the_name_reads_consent_on_file(slack):
    post_id = slack.propose("U_NURSE", NAMED)
    assert "Record consent" in buttons(slack, post_id)

    slack.click("U_OFFICER", ids.ACTION_RECORD_CONSENT, post_id)
    form = slack.last_view()
    slack.submit("U_OFFICER", form, consent_values("Thiago Silva", "EHR scan 2026-11-03 #4411"))

    assert form["title"]["text"] == "Record consent"
    assert slack.api.called("views.update") == []  # the officer's form was not refused
    thread = slack.workflow.get(post_id).thread
    assert any(
        "Consent on file (ref EHR scan 2026-11-03 #4411) from Thiago Silva, recorded by olga" in r
        for r in slack.api.thread_replies(thread.ts)
    )
    assert "Consent on file (ref EHR scan 2026-11-03 #4411) from Thiago Silva: Possible PHI" in (
        parent_text(slack, post_id)
    )
    event = next(e for e in slack.workflow.audit_trail(post_id) if e.action == "consent_recorded")
    assert event.actor.ref == "slack:U_OFFICER"
    slack.click("U_OFFICER", "approve", post_id)
    assert slack.workflow.get(post_id).state is State.APPROVED  # no override form needed


def test_the_proposer_sees_the_form_replaced_by_the_refusal_and_a_forged_submit_is_refused(slack):
    post_id = slack.propose("U_NURSE", NAMED)

    slack.click("U_NURSE", ids.ACTION_RECORD_CONSENT, post_id)
    form = slack.last_view()
    replaced = slack.api.called("views.update")[-1].params["view"]
    slack.submit("U_NURSE", form, consent_values("Thiago Silva", "EHR scan #4411"))

    assert "You proposed post" in str(replaced["blocks"])
    assert "You proposed post" in slack.last_reply()
    assert slack.workflow.consents_for(post_id) == []


def test_someone_who_may_not_decide_cannot_record_consent(slack):
    post_id = slack.propose("U_NURSE", NAMED)

    slack.click("U_STRANGER", ids.ACTION_RECORD_CONSENT, post_id)
    slack.submit("U_STRANGER", slack.last_view(), consent_values("Thiago Silva", "#4411"))

    assert "Only compliance approvers" in slack.last_reply()
    assert slack.workflow.consents_for(post_id) == []


def test_an_empty_or_too_long_field_comes_back_on_the_form_and_nothing_is_recorded(slack):
    post_id = slack.propose("U_NURSE", NAMED)
    slack.click("U_OFFICER", ids.ACTION_RECORD_CONSENT, post_id)
    form = slack.last_view()

    answer = slack.submit("U_OFFICER", form, consent_values("   ", "r" * 201))

    assert answer.status_code == 200
    errors = answer.json()["errors"]
    assert errors[ids.FIELD_CONSENT_WHO].startswith("Say who signed")
    assert "200 characters (this is 201)" in errors[ids.FIELD_CONSENT_FORM_REF]
    assert slack.workflow.consents_for(post_id) == []
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert inputs[ids.FIELD_CONSENT_WHO]["max_length"] == 120
    assert inputs[ids.FIELD_CONSENT_FORM_REF]["max_length"] == 200


def test_a_post_without_a_name_or_photo_finding_offers_no_consent(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    assert "Record consent" not in buttons(slack, post_id)
    assert "Approve" in buttons(slack, post_id)
