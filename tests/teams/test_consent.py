"""Record consent on the Teams approval card: an approver's view offers it when the revision has
a name or photo finding; pressed (Action.Execute through the bot's invoke route) it records the
consent with the core verb, the thread hears it and the finding reads "consent on file". The
proposer's view does not offer it, and a forged press is refused by the core."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams.consent import INPUT_FORM_REF, INPUT_WHO
from bot.domain import State
from tests.teams.harness import CHANNEL, NURSE, OFFICER, STRANGER
from tests.teams.test_post_actions import press, titles

NAMED = "propose x-main tomorrow 9am Congrats to our patient Thiago on his new hip!"


def proposed(teams, acts, text: str = NAMED):  # type: ignore[no-untyped-def]
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, text))
    return teams.core.workflow.get(1)


def view_of(teams, acts, who, post_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    answer = teams.post(acts.refresh(who, post_id))
    assert answer.status_code == 200
    return dict(answer.json()["value"])


def forged(teams, acts, who, post_id: int, **typed: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A press of "Record consent" by someone whose card never offered it."""
    answer = teams.post(acts.execute(who, "record_consent", {"post_id": post_id, **typed}))
    teams.settle()
    return dict(answer.json()["value"])


def test_the_officer_records_consent_on_the_card_and_the_name_reads_consent_on_file(
    teams, connector, acts
):
    post = proposed(teams, acts)
    card = view_of(teams, acts, OFFICER, post.id)

    shown = press(
        teams,
        acts,
        OFFICER,
        card,
        "Record consent",
        **{INPUT_WHO: "Thiago Silva", INPUT_FORM_REF: "EHR scan 2026-11-03 #4411"},
    )

    assert "Record consent" in titles(card)
    assert "Consent on file (ref EHR scan 2026-11-03 #4411) from Thiago Silva, recorded by" in (
        str(shown)
    )
    assert "Consent on file (ref EHR scan 2026-11-03 #4411) from Thiago Silva: Possible PHI" in (
        str(shown)
    )
    event = next(
        e for e in teams.core.workflow.audit_trail(post.id) if e.action == "consent_recorded"
    )
    assert event.actor.ref == "teams:aad-officer"
    thread = [c for c in connector.sent(lambda c: c.conversation.startswith(CHANNEL))]
    assert any("recorded by Olga Officer" in str(c.body) for c in thread)
    # The shared card in the channel, updated in place, reads it too.
    assert any(
        "Consent on file (ref EHR scan 2026-11-03 #4411) from" in str(c.body) for c in thread
    )
    teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    assert teams.core.workflow.get(post.id).state is State.APPROVED


@pytest.mark.parametrize(
    ("who", "refused"),
    [(NURSE, "You proposed post"), (STRANGER, "Only compliance approvers")],
    ids=["the proposer", "someone who may not decide"],
)
def test_only_an_approver_other_than_the_proposer_is_offered_consent_or_may_record_it(
    teams, acts, who, refused
):
    post = proposed(teams, acts)

    card = view_of(teams, acts, who, post.id)
    shown = forged(teams, acts, who, post.id, **{INPUT_WHO: "Thiago", INPUT_FORM_REF: "#1"})

    assert "Record consent" not in titles(card)
    assert refused in str(shown)
    assert teams.core.workflow.consents_for(post.id) == []


def test_a_missing_or_too_long_field_is_refused_on_the_card_keeping_what_was_typed(teams, acts):
    post = proposed(teams, acts)

    shown = forged(teams, acts, OFFICER, post.id, **{INPUT_WHO: "", INPUT_FORM_REF: "r" * 201})

    assert "Say who signed" in str(shown)
    assert "200 characters (this is 201)" in str(shown)
    assert teams.core.workflow.consents_for(post.id) == []
    button = next(a for a in shown["actions"] if a["title"] == "Record consent")
    inputs = {i["id"]: i for i in button["card"]["body"] if i["type"] == "Input.Text"}
    assert inputs[INPUT_WHO]["maxLength"] == 120 and inputs[INPUT_WHO]["isRequired"]
    assert inputs[INPUT_FORM_REF]["value"] == "r" * 200  # within the input's own limit


def test_a_post_without_a_name_or_photo_finding_offers_no_consent(teams, acts):
    post = proposed(teams, acts, "propose x-main tomorrow 9am Flu shots are in!")

    assert "Record consent" not in titles(view_of(teams, acts, OFFICER, post.id))
