"""Workflow throughput: propose + approve pairs per second through the service layer.

    python benchmarks/workflow_throughput.py [--posts 500] [--threads 1 4]

Runs on a fresh SQLite file (WAL) and on a throwaway PostgreSQL server on 127.0.0.1 (the same
one the tests use), with a no-op notifier, and prints one line per database and thread count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.channels import ChannelTable  # noqa: E402
from bot.commands import ProposeRequest  # noqa: E402
from bot.domain import Person  # noqa: E402
from bot.policies import ApprovalPolicy  # noqa: E402
from bot.ports import SystemClock  # noqa: E402
from bot.workflow import Workflow  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.sqlmodel_repo import SqlUnitOfWorkFactory  # noqa: E402
from tests.pg_server import PostgresServer, create_database, wait_until_ready  # noqa: E402

NURSE = Person("bench", "nurse", "Nurse")
OFFICER = Person("bench", "officer", "Officer")


def make_workflow(url: str) -> Workflow:
    engine = make_engine(url)
    upgrade(engine)
    return Workflow(
        uow=SqlUnitOfWorkFactory(engine),
        policy=ApprovalPolicy.of(["bench:officer"]),
        channels=ChannelTable({"x-main": "x", "blog": "wordpress"}),
        clock=SystemClock(),
        zone=ZoneInfo("America/New_York"),
    )


def run(workflow: Workflow, posts: int, threads: int) -> tuple[float, list[float]]:
    """(pairs per second, per-pair latencies in ms). The time phrase is parsed once up front,
    as an adapter's date picker would give it, so the figure is the workflow and database."""
    when = workflow.resolve_time("2030-06-01 09:00")
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(count: int, offset: int) -> None:
        for i in range(count):
            start = time.perf_counter()
            request = ProposeRequest(("x-main", "blog"), when, f"Clinic news {offset + i}")
            post = workflow.propose(request, by=NURSE)
            workflow.approve(post.id, OFFICER, post.revision.hash)
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)

    per = posts // threads
    pool = [threading.Thread(target=worker, args=(per, t * per)) for t in range(threads)]
    began = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    return per * threads / elapsed, latencies


def report(name: str, threads: int, result: tuple[float, list[float]]) -> None:
    rate, lat = result
    lat.sort()
    p50 = statistics.median(lat)
    p99 = lat[int(len(lat) * 0.99) - 1]
    print(
        f"{name:<10} threads={threads:<2} {rate:7.1f} pairs/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()

    databases: list[tuple[str, Callable[[], str]]] = []
    tmp = Path(tempfile.mkdtemp(prefix="clearpost-bench-"))
    server = PostgresServer()
    try:
        pg_root = server.start()
        wait_until_ready(pg_root)
        for threads in args.threads:
            sqlite_url = f"sqlite:///{tmp / f'bench-{threads}.db'}"
            pg_url = create_database(pg_root, f"bench_{threads}")
            databases = [("sqlite", lambda u=sqlite_url: u), ("postgresql", lambda u=pg_url: u)]
            for name, url in databases:
                workflow = make_workflow(url())
                run(workflow, 20, 1)  # warm up: imports, pools, first-parse caches
                report(name, threads, run(workflow, args.posts, threads))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
