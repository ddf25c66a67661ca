"""Screening's consent and override in the local console, as in Slack and Teams: an approver
records a patient's signed consent, and the second signer sees who overrode the findings and why.
With the practice's real detector, on SQLite."""

from __future__ import annotations

import pytest

from adapters.bootstrap import Core, build_core
from adapters.console import ConsoleFrontEnd, ConsoleNotifier
from adapters.settings import Settings
from tests.conftest import NOW
from tests.fakes import FixedClock

NAMED = "/propose x-main tomorrow 9am Congrats to our patient Thiago on his new hip! 🎉"


@pytest.fixture
def console(tmp_path) -> ConsoleFrontEnd:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        channels={"x-main": {"network": "x"}},
        approvers=["console:officer", "console:officer2"],
        required_approvals=2,
    )
    core: Core = build_core(settings, clock=FixedClock(NOW))
    shown: list[str] = []
    core.workflow.notifiers["console"] = ConsoleNotifier(core.workflow.zone, shown.append)
    front = ConsoleFrontEnd(core.workflow, shown.append)
    front.shown = shown  # type: ignore[attr-defined]
    yield front
    core.shutdown()


def test_an_approver_records_consent_and_the_name_reads_consent_on_file(console) -> None:
    console.handle(NAMED)
    console.handle("as officer")

    said = console.handle('/consent 1 Thiago Silva --form "EHR scan 2026-11-03 #4411"')

    assert said == (
        "Recorded for post #1: consent on file (ref EHR scan 2026-11-03 #4411) from Thiago Silva."
    )
    assert "! Consent on file (ref EHR scan 2026-11-03 #4411) from Thiago Silva: Possible PHI" in (
        console.handle("/show 1")
    )
    assert console.handle("/approve 1") == "You approved post #1; it is in review."
    assert "consent_recorded" in console.handle("/audit 1")


def test_consent_without_who_or_the_form_is_refused_with_an_example(console) -> None:
    console.handle(NAMED)
    console.handle("as officer")

    for typed in ("/consent 1 Thiago Silva", '/consent 1 --form "EHR #1"', "/consent 1"):
        said = console.handle(typed)
        assert "Say who signed the consent and where the signed form is." in said
        assert '/consent 12 Thiago Silva --form "EHR scan 2026-11-03 #4411"' in said
    assert "consent_recorded" not in console.handle("/audit 1")


def test_the_proposer_cannot_record_consent_for_their_own_post(console) -> None:
    console.handle(NAMED)

    said = console.handle('/consent 1 Thiago Silva --form "EHR #1"')

    assert said == (
        "You proposed post #1, so another approver has to record a patient's consent for it."
    )
    assert "consent_recorded" not in console.handle("/audit 1")


def test_the_second_signer_sees_who_overrode_the_findings_and_why(console) -> None:
    console.handle(NAMED)
    console.handle("as officer")
    console.handle('/approve 1 --override "Signed release in his chart"')

    console.handle("as officer2")
    shown = console.handle("/show 1")

    assert (
        "Screening findings (a person's name) overridden by officer: Signed release in his chart"
        in shown
    )
    assert console.handle("/approve 1") == "You approved post #1; it is approved."
