"""Teams activity handling latency: Clearpost's /api/messages beside a bare botbuilder echo bot.

Both bots are served the same way (botbuilder CloudAdapter on aiohttp, 127.0.0.1 port 0,
unauthenticated local mode) and reply through the same connector stand-in. The echo bot handles
the turn before answering, as botbuilder's own `CloudAdapter.process` does; Clearpost answers
once the activity is authenticated and handles it after. Rounds of N concurrent message activities
alternate between the two; after each Clearpost round its work is allowed to finish, and the time
until the last reply reached the connector is reported too.

    python -m benchmarks.teams_latency [--rounds 10] [--concurrency 50] [--text "propose …"]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from adapters.teams.app import auth_config
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.bot_connector import BotConnectorStandIn
from tests.teams.harness import NURSE, Activities, served_teams, teams_settings


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


class ServedEcho:
    """The bare bot: the sample's shape, nothing else."""

    def __init__(self, settings: Any) -> None:
        adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(auth_config(settings)))
        bot = EchoBot()

        async def messages(request: web.Request) -> web.StreamResponse:
            response = await adapter.process(request, bot)
            return response if response is not None else web.Response(status=201)

        self.app = web.Application()
        self.app.router.add_post("/api/messages", messages)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.runner = web.AppRunner(self.app)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.ready.set()
        self.loop.run_forever()

    def start(self) -> ServedEcho:
        self.thread.start()
        self.ready.wait(30)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"


async def one_round(url: str, activities: list[dict[str, Any]]) -> list[float]:
    async with httpx.AsyncClient(timeout=60) as client:

        async def timed(activity: dict[str, Any]) -> float:
            started = time.perf_counter()
            response = await client.post(url, json=activity)
            response.raise_for_status()
            return time.perf_counter() - started

        return list(await asyncio.gather(*(timed(a) for a in activities)))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--text", default="propose x-main tomorrow 9am Flu shots are in!")
    args = parser.parse_args()
    os.environ["CLEARPOST_TEAMS_ENABLED"] = "1"
    with tempfile.TemporaryDirectory() as tmp, BotConnectorStandIn() as connector:
        acts = Activities(connector.url)
        echo = ServedEcho(teams_settings(Path(tmp))).start()
        with served_teams(Path(tmp), clock=FixedClock(NOW)) as clearpost:
            clearpost.post(acts.installed_in_channel())
            samples: dict[str, list[float]] = {"echo": [], "clearpost": []}
            finished: list[float] = []
            for number in range(args.rounds + 1):  # round 0 warms both up and is not counted
                batch = [acts.message(NURSE, args.text) for _ in range(args.concurrency)]
                echo_times = asyncio.run(one_round(echo.url, batch))
                batch = [acts.message(NURSE, args.text) for _ in range(args.concurrency)]
                started = time.perf_counter()
                ours = asyncio.run(one_round(clearpost.url, batch))
                clearpost.settle()
                done = time.perf_counter() - started
                if number:
                    samples["echo"] += echo_times
                    samples["clearpost"] += ours
                    finished.append(done)
            echo.stop()
    print(f"{args.rounds} rounds of {args.concurrency} concurrent activities: {args.text!r}")
    print(f"{'bot':<10} {'p50':>10} {'p99':>10}")
    for name, values in samples.items():
        print(f"{name:<10} {ms(statistics.median(values)):>10} {ms(quantile(values, 0.99)):>10}")
    ratio = quantile(samples["clearpost"], 0.99) / quantile(samples["echo"], 0.99)
    print(f"p99 ratio clearpost/echo: {ratio:.2f} (target <= 1.5)")
    print(
        f"clearpost round fully handled (last reply sent): median {ms(statistics.median(finished))}"
    )


if __name__ == "__main__":
    main()
