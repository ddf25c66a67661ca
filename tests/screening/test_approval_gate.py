"""High-severity findings block approval until an approver overrides them with a reason, which
is audited and told in the thread; a recorded consent turns a name into "consent on file"."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest

from adapters.bootstrap import Core, build_core
from adapters.settings import Settings
from bot.commands import ProposeRequest
from bot.consent_findings import shown_findings
from bot.domain import Person, State
from bot.errors import (
    FindingsBlockApproval,
    IllegalTransition,
    NotAllowed,
    SelfApprovalRefused,
    UsageError,
)
from tests.conftest import NOW
from tests.fakes import FakeNotifier, FixedClock

NURSE = Person("console", "nurse", "Nina")
OFFICER = Person("console", "officer", "Olu")
NAMED = "Congrats to our patient Thiago on his new hip! 🎉"


@pytest.fixture
def core(tmp_path) -> Core:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        channels={"x-main": {"network": "x"}},
        approvers=["console:officer"],
    )
    built = build_core(settings, clock=FixedClock(NOW))
    built.workflow.notifiers["console"] = FakeNotifier()
    yield built
    built.shutdown()


def propose(core: Core, text: str) -> int:
    request = ProposeRequest(("x-main",), NOW + timedelta(days=1), text)
    return core.workflow.propose(request, by=NURSE).id


def thread(core: Core, post_id: int) -> list[str]:
    notifier = core.workflow.notifiers["console"]
    assert isinstance(notifier, FakeNotifier)
    return notifier.thread_replies(post_id)


def test_approving_a_post_with_a_named_patient_is_refused_with_the_way_forward(core) -> None:
    post_id = propose(core, NAMED)

    with pytest.raises(FindingsBlockApproval) as refused:
        core.workflow.approve(post_id, OFFICER)

    assert "a person's name (high severity)" in str(refused.value)
    assert '"Approve with override"' in str(refused.value)
    assert core.workflow.get(post_id).state is State.IN_REVIEW


def test_the_proposer_sees_the_findings_on_submit(core) -> None:
    post = core.workflow.get(propose(core, NAMED))

    assert "Reviewers will see: Possible PHI (high)" in core.workflow.confirmation(post)


def test_an_override_with_a_reason_approves_and_is_audited_and_told_in_the_thread(core) -> None:
    post_id = propose(core, NAMED)

    post = core.workflow.approve(post_id, OFFICER, override_reason="Signed release in his chart")

    assert post.state is State.APPROVED
    event = next(
        e for e in core.workflow.audit_trail(post_id) if e.action == "screening_overridden"
    )
    assert event.actor.ref == "console:officer"
    assert event.reason == "Signed release in his chart (findings overridden: name)"
    assert any(
        "overrode the screening findings (a person's name)" in t for t in thread(core, post_id)
    )


def test_an_override_without_a_reason_is_refused(core) -> None:
    post_id = propose(core, NAMED)

    with pytest.raises(UsageError, match="Say why you override"):
        core.workflow.approve(post_id, OFFICER, override_reason="  ")

    assert core.workflow.get(post_id).state is State.IN_REVIEW


def test_a_post_with_no_high_finding_is_approved_as_before(core) -> None:
    post_id = propose(core, "Flu shots are in! Walk-ins welcome until 4pm.")

    assert core.workflow.approve(post_id, OFFICER).state is State.APPROVED
    assert not [e for e in core.workflow.audit_trail(post_id) if e.action == "screening_overridden"]


def test_a_recorded_consent_shows_as_consent_on_file_and_lets_the_name_through(core) -> None:
    post_id = propose(core, NAMED)

    core.workflow.record_consent(post_id, "Thiago Silva", "EHR scan 2026-11-03 #4411", OFFICER)
    post = core.workflow.approve(post_id, OFFICER)

    assert post.state is State.APPROVED
    assert (
        "Consent on file (ref EHR scan 2026-11-03 #4411) from Thiago Silva"
        in thread(core, post_id)[-2]
    )
    recorded = [e for e in core.workflow.audit_trail(post_id) if e.action == "consent_recorded"]
    assert recorded[0].reason == "Thiago Silva; signed form EHR scan 2026-11-03 #4411"


def test_consent_does_not_cover_a_phone_number(core) -> None:
    post_id = propose(core, "Congrats to our patient Thiago! Call him at 312-555-0188")
    core.workflow.record_consent(post_id, "Thiago Silva", "EHR scan #4411", OFFICER)

    with pytest.raises(FindingsBlockApproval, match="a phone number"):
        core.workflow.approve(post_id, OFFICER)


def test_consent_add_and_list_from_the_command_line(core, tmp_path) -> None:
    post_id = propose(core, NAMED)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEARPOST_", "SLACK_"))}
    env |= {"CLEARPOST_DATABASE_URL": str(core.settings.database_url), "PYTHONPATH": os.getcwd()}

    def clearpost(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "adapters.cli", "consent", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )

    def add(post: int, by: str) -> subprocess.CompletedProcess[str]:
        who = ("--who", "Thiago Silva", "--form-ref", "4411")
        return clearpost("add", "--post", str(post), *who, "--by", by)

    by_the_proposer = add(post_id, "console:nurse")
    by_nobody_known = add(post_id, "Dr Who")
    added = add(post_id, "console:officer")
    listed = clearpost("list", "--post", str(post_id))
    unknown = add(999, "console:officer")

    assert by_the_proposer.returncode == 2
    assert "You proposed post" in by_the_proposer.stderr
    assert by_nobody_known.returncode == 2
    assert "--by names nobody Clearpost knows" in by_nobody_known.stderr
    assert added.returncode == 0, added.stderr
    assert f"Post #{post_id}: consent on file (ref 4411) from Thiago Silva" in added.stdout
    assert "consent on file (ref 4411) from Thiago Silva" in listed.stdout
    assert unknown.returncode == 2
    assert "999" in unknown.stderr
    recorded = [e for e in core.workflow.audit_trail(post_id) if e.action == "consent_recorded"]
    assert [e.actor.ref for e in recorded] == ["console:officer"]
    assert "entered with `clearpost consent add` by login" in (recorded[0].reason or "")
    assert core.workflow.approve(post_id, OFFICER).state is State.APPROVED


def test_the_proposer_may_not_record_consent_for_their_own_post(core) -> None:
    post_id = core.workflow.propose(
        ProposeRequest(("x-main",), NOW + timedelta(days=1), NAMED), by=OFFICER
    ).id

    with pytest.raises(SelfApprovalRefused, match="another approver has to record a patient's"):
        core.workflow.record_consent(post_id, "Thiago Silva", "EHR scan #4411", OFFICER)

    assert core.workflow.consents_for(post_id) == []
    assert not [e for e in core.workflow.audit_trail(post_id) if e.action == "consent_recorded"]


def test_only_someone_who_may_approve_the_post_records_a_consent(core) -> None:
    post_id = propose(core, NAMED)
    stranger = Person("console", "frontdesk", "Fran")

    with pytest.raises(NotAllowed, match="Only compliance approvers"):
        core.workflow.record_consent(post_id, "Thiago Silva", "EHR scan #4411", stranger)

    assert core.workflow.consents_for(post_id) == []


def test_a_consent_is_refused_where_there_is_no_name_or_photo_to_cover(core) -> None:
    post_id = propose(core, "Flu shots are in! Walk-ins welcome until 4pm.")

    with pytest.raises(UsageError, match="no finding of a person's name or photo"):
        core.workflow.record_consent(post_id, "Thiago Silva", "EHR scan #4411", OFFICER)


def test_a_consent_is_refused_once_the_post_has_ended(core) -> None:
    post_id = propose(core, NAMED)
    core.workflow.reject(post_id, OFFICER, "Not this one")

    with pytest.raises(IllegalTransition, match="rejected, so it cannot be given a patient"):
        core.workflow.record_consent(post_id, "Thiago Silva", "EHR scan #4411", OFFICER)


@pytest.mark.parametrize(
    ("who", "form_ref", "said"),
    [
        ("  ", "EHR scan #4411", "Say who signed"),
        ("Thiago Silva", "", "Say where the signed form is kept"),
        ("T" * 121, "EHR scan #4411", "Keep who signed to 120 characters (this is 121)"),
        ("Thiago Silva", "r" * 201, "to 200 characters (this is 201)"),
    ],
)
def test_a_consent_needs_who_signed_and_where_the_form_is_within_limits(
    core, who, form_ref, said
) -> None:
    post_id = propose(core, NAMED)

    with pytest.raises(UsageError, match=re.escape(said)):
        core.workflow.record_consent(post_id, who, form_ref, OFFICER)

    assert core.workflow.consents_for(post_id) == []


def test_the_findings_read_consent_on_file_once_it_is_recorded(core) -> None:
    post_id = propose(core, "Congrats to our patient Thiago! Call him at 312-555-0188")
    before = shown_findings(core.workflow.get(post_id))

    core.workflow.record_consent(post_id, "Thiago\nSilva", "EHR scan #4411", OFFICER)
    after = shown_findings(core.workflow.get(post_id))

    assert not any("onsent on file" in f for f in before)
    name = next(f for f in after if "a person's name" in f)
    phone = next(f for f in after if "a phone number" in f)
    assert name.startswith("Consent on file (ref EHR scan #4411) from Thiago Silva: Possible PHI")
    assert "onsent on file" not in phone
    assert "Consent on file (ref EHR scan #4411) from Thiago Silva" in thread(core, post_id)[-1]
