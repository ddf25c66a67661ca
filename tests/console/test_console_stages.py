"""The console shows a post's approval stages as the chat platforms do."""

from __future__ import annotations

from adapters.console import ConsoleFrontEnd, ConsoleNotifier
from tests.workflow.policy_setup import staged_policy, staged_workflow


def test_show_lists_each_stage_who_signed_it_and_who_is_next(engine, clock, notifier):
    workflow = staged_workflow(engine, clock, notifier, staged_policy())
    shown: list[str] = []
    workflow.notifiers["console"] = ConsoleNotifier(workflow.zone, shown.append)
    console = ConsoleFrontEnd(workflow, shown.append)
    console.handle("/propose blog tomorrow 9am Flu shots are in! --tag clinical --tag closure")
    assert " URGENT " in console.handle("/show 1")
    console.handle("/propose blog tomorrow 9am Flu shots are in! --tag clinical")

    console.handle("as bob")
    console.handle("/approve 2")

    assert console.handle("/show 2").splitlines()[3:5] == [
        "  ✓ 1/2 clinicians (any one): signed by Bob Clinician",
        "  → 2/2 compliance (any one): waiting for Carol Compliance or Dave Compliance",
    ]
