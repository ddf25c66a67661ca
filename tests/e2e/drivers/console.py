"""The e2e scenario through the console front end, typed as a person would."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

from adapters.bootstrap import build_core
from adapters.console import ConsoleFrontEnd, console_chat
from adapters.settings import Settings
from bot.domain import AuditEvent
from tests.conftest import CHANNELS, NOW
from tests.fakes import FixedClock


class ConsoleDriver:
    def __init__(self, front: ConsoleFrontEnd) -> None:
        self.front = front

    def _as(self, who: str, line: str) -> str:
        self.front.handle(f"as {who}")
        return self.front.handle(line)

    def propose(self, channels: str, when: str, text: str) -> int:
        said = self._as("nurse", f'/propose {channels} "{when}" {text}')
        found = re.search(r"Proposed post #(\d+)", said)
        assert found, said
        return int(found.group(1))

    def request_changes(self, post_id: int, reason: str) -> None:
        said = self._as("officer", f"/request-changes {post_id} {reason}")
        assert "went back" in said, said

    def edit(self, post_id: int, text: str) -> None:
        said = self._as("nurse", f"/edit {post_id} {text}")
        assert "waiting for approval" in said, said

    def approve(self, post_id: int) -> None:
        said = self._as("officer", f"/approve {post_id}")
        assert "You approved" in said, said

    def audit(self, post_id: int) -> list[AuditEvent]:
        return self.front.workflow.audit_trail(post_id)


@contextlib.contextmanager
def make_console_driver(tmp_path: Path) -> Iterator[ConsoleDriver]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'console.db'}",
        approvers=["console:officer"],
        channels={name: {"network": network} for name, network in CHANNELS.items()},
    )
    shown: list[str] = []
    core = build_core(settings, clock=FixedClock(NOW), chat=[console_chat(shown.append)])
    try:
        yield ConsoleDriver(ConsoleFrontEnd(core.workflow, shown.append))
    finally:
        core.shutdown()
