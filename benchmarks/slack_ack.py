"""Slash-command acknowledgement latency: Clearpost's /propose beside a bare slack-bolt app.

Both apps are served the same way (aiohttp on 127.0.0.1:0, the same request translation, bolt's
dispatch on a thread pool) and get the same signed `/propose x tomorrow 9am …` form. The bare app
acks with a constant; Clearpost acks and then parses, writes the proposal to SQLite and posts the
approval thread to a stand-in Web API, all after the ack. Rounds of 50 concurrent requests
alternate between the two apps; between rounds Clearpost's after-ack work is allowed to finish.

    python -m benchmarks.slack_ack [--rounds 10] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from aiohttp import web
from slack_bolt import Ack, App
from slack_sdk import WebClient

from adapters.slack.app import to_aiohttp_response, to_bolt_request
from tests.slack.harness import SECRET, TOKEN, SlackWorkspace
from tests.support import slack_requests as slack
from tests.support.served import ServedApp


def bare_app(api_url: str) -> web.Application:
    bolt = App(
        client=WebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=False,
    )

    @bolt.command("/propose")
    def answer(ack: Ack) -> None:
        ack("ok")

    pool = ThreadPoolExecutor(max_workers=64)

    async def handle(request: web.Request) -> web.Response:
        body = (await request.read()).decode("utf-8")
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(pool, bolt.dispatch, to_bolt_request(request, body))
        return to_aiohttp_response(response)

    app = web.Application()
    app.router.add_post("/slack/events", handle)
    return app


def signed_command(n: int, round_no: int) -> tuple[str, dict[str, str]]:
    text = f"x tomorrow 9am Flu shots are in! ({round_no}-{n})"
    body = slack.slash_command(
        "U_NURSE", "nora", text, response_url="", trigger_id=f"bench.{round_no}.{n}"
    )
    return body, slack.signed_headers(body, slack.FORM, SECRET)


async def one_round(url: str, round_no: int, concurrency: int) -> list[float]:
    requests = [signed_command(n, round_no) for n in range(concurrency)]
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def timed(body: str, headers: dict[str, str]) -> float:
            start = time.perf_counter()
            response = await client.post("/slack/events", content=body, headers=headers)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"unexpected status {response.status_code}")
            return elapsed

        return list(await asyncio.gather(*(timed(b, h) for b, h in requests)))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, SlackWorkspace(Path(tmp)) as clearpost:
        with ServedApp(bare_app(clearpost.api.api_url)) as bare:
            results: dict[str, list[float]] = {"bare slack-bolt": [], "clearpost": []}
            asyncio.run(one_round(bare.url, -1, args.concurrency))  # warm-up
            asyncio.run(one_round(clearpost.served.url, -1, args.concurrency))
            clearpost.runtime.wait_idle(60)
            for round_no in range(args.rounds):
                results["bare slack-bolt"] += asyncio.run(
                    one_round(bare.url, round_no, args.concurrency)
                )
                results["clearpost"] += asyncio.run(
                    one_round(clearpost.served.url, round_no, args.concurrency)
                )
                clearpost.runtime.wait_idle(60)
            proposals = len(clearpost.workflow.calendar(days=30))

    print(f"{args.rounds} rounds x {args.concurrency} concurrent /propose requests per app")
    p99s = {}
    for name, values in results.items():
        p50, p99 = percentile(values, 50) * 1000, percentile(values, 99) * 1000
        p99s[name] = p99
        print(f"{name:16} n={len(values):4}  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms")
    ratio = p99s["clearpost"] / p99s["bare slack-bolt"]
    print(f"p99 ratio clearpost / bare: {ratio:.2f} (target <= 1.5)")
    print(f"proposals written after the acks: {proposals}")


if __name__ == "__main__":
    main()
