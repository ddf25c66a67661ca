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
from tests.support.served import ServedApp
from tests.support.teams_activities import NURSE, Activities
from tests.teams.harness import served_teams, teams_settings


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def echo_app(settings: Any) -> web.Application:
    """The bare bot: the sample's shape, nothing else."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(auth_config(settings)))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


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
        with (
            ServedApp(echo_app(teams_settings(Path(tmp)))) as echo,
            served_teams(Path(tmp), clock=FixedClock(NOW)) as clearpost,
        ):
            clearpost.post(acts.installed_in_channel())
            samples: dict[str, list[float]] = {"echo": [], "clearpost": []}
            finished: list[float] = []
            for number in range(args.rounds + 1):  # round 0 warms both up and is not counted
                batch = [acts.message(NURSE, args.text) for _ in range(args.concurrency)]
                echo_times = asyncio.run(one_round(echo.url + "/api/messages", batch))
                batch = [acts.message(NURSE, args.text) for _ in range(args.concurrency)]
                started = time.perf_counter()
                ours = asyncio.run(one_round(clearpost.url, batch))
                clearpost.settle()
                done = time.perf_counter() - started
                if number:
                    samples["echo"] += echo_times
                    samples["clearpost"] += ours
                    finished.append(done)
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
