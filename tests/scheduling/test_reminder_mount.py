"""The scheduler `serve` starts also sweeps review reminders, with the `[schedule_rules]` SLA,
on the core's clock."""

from __future__ import annotations

import threading
from datetime import timedelta

from adapters.bootstrap import build_core
from adapters.scheduling_mount import build_scheduler
from adapters.settings import Settings
from bot.commands import ProposeRequest
from bot.domain import Person
from bot.ports import Notice
from tests.conftest import NOW
from tests.fakes import FakeNotifier, FixedClock


class SignallingNotifier(FakeNotifier):
    def __init__(self) -> None:
        super().__init__()
        self.reminded = threading.Event()

    def notify(self, notice: Notice) -> None:
        super().notify(notice)
        if notice.kind == "reminder":
            self.reminded.set()


def test_the_scheduler_sweep_sends_a_due_reminder_to_the_configured_approvers(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        channels={"blog": {"network": "wordpress"}},
        approvers=["console:officer"],
        schedule_rules={"review_sla_hours": 1, "backup_approvers": ["console:deputy"]},
    )
    clock = FixedClock(NOW)  # Wed 12:00 EST
    core = build_core(settings, clock=clock)
    notifier = SignallingNotifier()
    core.workflow.notifiers["console"] = notifier
    post = core.workflow.propose(
        ProposeRequest(("blog",), NOW + timedelta(days=1), "Flu shots"), Person("console", "nurse")
    )
    clock.advance(hours=1)
    scheduler = build_scheduler(core)

    try:
        scheduler.start()
        assert notifier.reminded.wait(timeout=15)
    finally:
        scheduler.shutdown(timeout=5)
        core.shutdown()

    [reminder] = [n for n in notifier.notices[post.id] if n.kind == "reminder"]
    assert [p.ref for p in reminder.tell_people] == ["console:officer"]
    assert scheduler.dispatcher.rules is core.workflow.rules
    assert core.workflow.is_approver(Person("console", "deputy"))  # a backup may then decide
