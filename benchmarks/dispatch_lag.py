"""Dispatch lag: from a delivery's due time to its publisher call, 1,000 deliveries in one minute.

    python benchmarks/dispatch_lag.py [--posts 1000] [--spread 60] [--replicas 1] [--db sqlite]

What runs is what production runs: approved posts in a real database (SQLite file or a throwaway
PostgreSQL from tests/pg_server.py), the real APScheduler Scheduler and Dispatcher, and the real
Mastodon publisher (httpx) pointed at a stand-in on 127.0.0.1:0 that answers at once and counts
every Idempotency-Key. The posts are proposed and approved for tomorrow, then their deliveries
are given due times spread over the next `--spread` seconds (next_attempt_at, the same column a
retry uses), so setup time does not eat into the measurement. `--replicas 2` runs two schedulers
on the same database, as two `clearpost serve` processes would.

Prints p50/p99/max lag, the number of calls per delivery (must be exactly 1) and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from sqlalchemy import Engine, update  # noqa: E402

from adapters.publishers.base import ChannelConfig  # noqa: E402
from adapters.publishers.mastodon import MastodonPublisher  # noqa: E402
from adapters.scheduling import Scheduler  # noqa: E402
from bot.channels import ChannelTable  # noqa: E402
from bot.commands import ProposeRequest  # noqa: E402
from bot.dispatch import Dispatcher, DispatchPolicy  # noqa: E402
from bot.domain import Person  # noqa: E402
from bot.policies import ApprovalPolicy  # noqa: E402
from bot.ports import PublishJob, PublishResult, SystemClock  # noqa: E402
from bot.workflow import Workflow  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory  # noqa: E402
from storage.sqlmodel_repo import SqlUnitOfWorkFactory  # noqa: E402
from storage.tables import DeliveryRow  # noqa: E402
from tests.pg_server import PostgresServer, create_database, wait_until_ready  # noqa: E402

CHANNEL = "social"
NURSE = Person("console", "nurse", "Nora")
OFFICER = Person("console", "officer", "Olga")


class StandInMastodon(ThreadingHTTPServer):
    """POST /api/v1/statuses answered at once; counts keys; refuses beyond `cap` requests."""

    daemon_threads = True

    def __init__(self, cap: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.cap = cap
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API would
    disable_nagle_algorithm = True  # else headers and body as two writes wait ~40 ms for an ACK
    server: StandInMastodon

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        with self.server.lock:
            self._answer(200, dict(self.server.keys))

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            total = sum(self.server.keys.values())
            key = self.headers.get("Idempotency-Key", "")
            if total < self.server.cap:
                self.server.keys[key] += 1
        if total >= self.server.cap:
            self._answer(503, {"error": "stand-in request cap reached"})
            return
        status_id = uuid.uuid4().hex[:12]
        self._answer(200, {"id": status_id, "url": f"{self.server.url}/@clinic/{status_id}"})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return


def serve_stand_in(cap: int, urls: Any) -> None:
    """The stand-in's own process, so the network does not share the dispatcher's GIL."""
    server = StandInMastodon(cap)
    urls.put(server.url)
    server.serve_forever(poll_interval=0.1)


def stand_in_counts(url: str) -> Counter[str]:
    return Counter(httpx.get(f"{url}/_counts", timeout=10).json())


class TimedPublisher:
    """The real publisher, with the moment of each call noted before it is made."""

    def __init__(self, inner: MastodonPublisher) -> None:
        self.inner = inner
        self.network = inner.network
        self.idempotent = True
        self.called: dict[int, list[float]] = {}
        self.lock = threading.Lock()

    def validate(self, channel: str, content: Any) -> list[str]:
        return []

    def publish(self, job: PublishJob) -> PublishResult:
        with self.lock:
            self.called.setdefault(job.post_id, []).append(time.time())
        return self.inner.publish(job)

    def check(self) -> str:
        return self.inner.check()


def create_posts(engine: Engine, count: int) -> list[int]:
    clock = SystemClock()
    workflow = Workflow(
        uow=SqlUnitOfWorkFactory(engine),
        policy=ApprovalPolicy.of(["console:officer"]),
        channels=ChannelTable({CHANNEL: "mastodon"}),
        clock=clock,
        zone=UTC,  # type: ignore[arg-type]
    )
    when = clock.now() + timedelta(days=1)
    ids = []
    for i in range(count):
        request = ProposeRequest((CHANNEL,), when, f"Clinic update number {i}")
        post = workflow.propose(request, by=NURSE)
        workflow.approve(post.id, OFFICER)
        ids.append(post.id)
    return ids


def set_due_times(engine: Engine, ids: list[int], start: float, spread: float) -> dict[int, float]:
    due = {pid: start + spread * i / len(ids) for i, pid in enumerate(ids)}
    with engine.begin() as conn:
        for pid, at in due.items():
            conn.execute(
                update(DeliveryRow)
                .where(DeliveryRow.post_id == pid)
                .values(next_attempt_at=datetime.fromtimestamp(at, UTC))
            )
    return due


def run(
    engine: Engine, label: str, posts: int, spread: float, replicas: int, policy: DispatchPolicy
) -> None:
    ids = create_posts(engine, posts)
    urls: Any = multiprocessing.Queue()
    network = multiprocessing.Process(target=serve_stand_in, args=(posts * 3, urls), daemon=True)
    network.start()
    url = urls.get(timeout=30)
    config = ChannelConfig(
        CHANNEL, "mastodon", {"base_url": url}, {"CLEARPOST_SOCIAL_ACCESS_TOKEN": "bench"}
    )
    publisher = TimedPublisher(MastodonPublisher(config))
    schedulers = [
        Scheduler(
            Dispatcher(
                SqlDispatchUnitOfWorkFactory(engine),
                {CHANNEL: publisher},
                SystemClock(),
                tell=lambda notice: None,
                policy=policy,
            ),
            sweep_every=timedelta(seconds=60),
        )
        for _ in range(replicas)
    ]
    due = set_due_times(engine, ids, time.time() + 3.0, spread)
    for scheduler in schedulers:
        scheduler.start()  # the first sweep plans a wake-up for each due second
    deadline = time.time() + spread + 120
    try:
        while len(publisher.called) < posts and time.time() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # let any duplicate show itself
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(timeout=30)
        publisher.inner.http.close()
        keys = stand_in_counts(url)
        network.terminate()
        network.join(timeout=10)

    lags = sorted(calls[0] - due[pid] for pid, calls in publisher.called.items())
    calls_per_delivery = Counter(len(c) for c in publisher.called.values())
    twice = sum(1 for n in keys.values() if n > 1)
    quantiles = statistics.quantiles(lags, n=100, method="inclusive") if len(lags) > 1 else lags
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {len(lags)}/{posts} published, spread {spread:.0f}s, replicas {replicas}, "
        f"batch {policy.batch}, workers {policy.workers}; "
        f"lag p50 {quantiles[49] * 1000:.0f} ms, p99 {quantiles[98] * 1000:.0f} ms, "
        f"max {lags[-1] * 1000:.0f} ms; calls per delivery {dict(calls_per_delivery)}; "
        f"network saw {len(keys)} keys, {twice} of them twice; peak RSS {peak_mib:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=60.0)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--batch", type=int, default=DispatchPolicy.batch)
    parser.add_argument("--workers", type=int, default=DispatchPolicy.workers)
    args = parser.parse_args()
    policy = DispatchPolicy(batch=args.batch, workers=args.workers)
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/bench.db")
            upgrade(engine)
            run(engine, "SQLite", args.posts, args.spread, args.replicas, policy)
            engine.dispose()
    if args.db in ("postgresql", "both"):
        server = PostgresServer()
        try:
            url = server.start()
            wait_until_ready(url)
            engine = make_engine(create_database(url, f"bench_{uuid.uuid4().hex[:8]}"))
            upgrade(engine)
            run(engine, "PostgreSQL", args.posts, args.spread, args.replicas, policy)
            engine.dispose()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
