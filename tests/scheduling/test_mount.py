"""`clearpost serve` dispatches while it runs and stops dispatching gracefully with it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.bootstrap import build_core
from adapters.scheduling_mount import mount_scheduling
from adapters.settings import Settings
from bot.commands import ProposeRequest
from bot.domain import Person, State
from tests.fakes import FakePublisher


def test_the_server_publishes_an_approved_post_and_stops_its_scheduler_on_exit(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        channels={"x-main": {"network": "x"}},
        approvers=["console:officer"],
    )
    core = build_core(settings)
    x = FakePublisher("x")
    core.publishers = {"x-main": x}
    app = web.Application()
    mount_scheduling(app, core)
    nurse, officer = Person("console", "nurse"), Person("console", "officer")

    async def serve_until_published() -> None:
        server = TestServer(app, host="127.0.0.1", port=0)
        await server.start_server()
        try:
            assert core.workflow.observers, "the scheduler did not subscribe to approvals"
            due = datetime.now(UTC) + timedelta(seconds=1)
            post = core.workflow.propose(ProposeRequest(("x-main",), due, "Flu shots"), by=nurse)
            core.workflow.approve(post.id, officer)
            loop = asyncio.get_running_loop()
            assert await loop.run_in_executor(None, x.started.wait, 15)
        finally:
            await server.close()

    try:
        asyncio.run(serve_until_published())
        [job] = x.jobs
        assert core.workflow.get(job.post_id).state is State.PUBLISHED
        assert core.workflow.observers == []
    finally:
        core.shutdown()
