"""Plan imports run in their own bounded pool: a slow plan never holds up a proposal, one too many
is refused with a sentence, and shutdown tells a running import to stop instead of waiting."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from adapters.slack import plans as slack_plans
from adapters.spreadsheets.import_pool import ImportPool
from tests.slack.test_plans import GOOD, dm_messages, filled, template


@pytest.fixture
def blocked(slack, monkeypatch):  # type: ignore[no-untyped-def]
    """Imports wait at a gate; the harness does not wait for them."""
    gate = threading.Event()
    started = threading.Event()
    stopped = threading.Event()
    real = slack_plans.import_plan

    def slow(source: Any, workflow: Any, person: Any, *, stop: Any) -> Any:
        started.set()
        while not gate.wait(0.01):
            if stop():
                stopped.set()
                raise slack_plans.PlanFileRefused("stopped")
        return real(source, workflow, person, stop=stop)

    monkeypatch.setattr(slack_plans, "import_plan", slow)
    pool = ImportPool(workers=1, waiting=0)
    plans = slack.runtime.listeners.plans
    original = plans.pool
    plans.pool = pool
    monkeypatch.setattr(pool, "wait_idle", lambda timeout=10.0: True)
    yield gate, started, stopped, pool
    gate.set()
    pool.shutdown()
    plans.pool = original


def test_a_slow_import_holds_up_neither_proposals_nor_acks_and_one_more_is_refused(slack, blocked):
    gate, started, _, pool = blocked
    plan = filled(template(slack), GOOD)
    slack.share_file("U_NURSE", "one.xlsx", plan)
    assert started.wait(5)

    slack.share_file("U_NURSE", "two.xlsx", plan)
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Open house Friday")

    assert "Other plans are being imported right now" in dm_messages(slack, "U_NURSE")[-1]["text"]
    post = slack.workflow.get(post_id)
    assert post.thread is not None  # announced while the import still runs
    gate.set()
    assert ImportPool.wait_idle(pool, 10)
    assert slack.runtime.work.wait_idle(10)
    assert "1 proposal created" in dm_messages(slack, "U_NURSE")[-1]["text"]


def test_shutdown_tells_a_running_import_to_stop_and_does_not_wait(slack, blocked):
    _, started, stopped, pool = blocked
    slack.share_file("U_NURSE", "one.xlsx", filled(template(slack), GOOD))
    assert started.wait(5)

    began = time.monotonic()
    pool.shutdown()

    assert time.monotonic() - began < 0.5
    assert stopped.wait(2)
    assert ImportPool.wait_idle(pool, 5)
