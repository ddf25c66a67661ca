"""A failed delivery, seen and handled from the console: retry, mark published, cancel."""

from __future__ import annotations

import pytest

from adapters.console import ConsoleFrontEnd, ConsoleNotifier
from bot.domain import DeliveryState
from bot.ports import Failed
from tests.scheduling.conftest import DUE


@pytest.fixture
def console(workflow):
    shown: list[str] = []
    workflow.notifiers["console"] = ConsoleNotifier(workflow.zone, shown.append)
    front = ConsoleFrontEnd(workflow, shown.append)
    front.shown = shown  # type: ignore[attr-defined]
    return front


@pytest.fixture
def failed_on_x(console, make_dispatcher, x, clock):
    """Post #1 to x-main and facebook-clinic: Facebook published, X refused the token."""
    console.handle("/propose x,facebook 2026-11-25 12:30 Flu shots are in!")
    console.handle("as officer")
    console.handle("/approve 1")
    x.results.append(Failed("permanent", "X refused the token for x-main."))
    clock.set(DUE)
    make_dispatcher().dispatch_due()
    assert "x-main: failed (X refused the token for x-main.)" in console.handle("/show 1")
    return make_dispatcher


def test_an_approver_retries_a_failed_channel_and_it_goes_out(console, failed_on_x, x, workflow):
    said = console.handle("/retry 1 x-main")
    failed_on_x().dispatch_due()

    assert said == "Post #1 will be sent again shortly."
    assert len(x.jobs) == 2
    assert workflow.get(1).deliveries["x-main"].state is DeliveryState.PUBLISHED


def test_an_approver_records_a_post_found_on_the_network(console, failed_on_x, workflow):
    said = console.handle("/mark-published 1 x-main https://x.com/clinic/status/9")

    assert said == "Post #1 is recorded as published on x-main."
    assert workflow.get(1).deliveries["x-main"].url == "https://x.com/clinic/status/9"


def test_the_proposer_may_cancel_but_not_retry(console, failed_on_x, workflow):
    console.handle("as nurse")

    assert "Only compliance approvers can retry" in console.handle("/retry 1")
    assert console.handle("/cancel 1 x-main").startswith("Cancelled; post #1 is")
    assert workflow.get(1).deliveries["x-main"].state is DeliveryState.CANCELLED


def test_delivery_commands_explain_their_usage(console):
    assert "Example: /mark-published 12 x-main" in console.handle("/mark-published 1")
    assert "There is no post #7." in console.handle("/retry 7")
