"""Audit export speed and memory: `clearpost audit export`'s path (keyset-paged reads, merged
rows, the streamed .xlsx or .csv writer) over a SQLite database of N events.

    .venv/bin/python benchmarks/audit_export_bench.py [events ...]   (default 10000 100000)

Events are inserted directly (100 per post; their hashes are not checked by an export). Time is
one run; peak memory is tracemalloc's peak in a separate run (Python allocations, which is what
would grow with the number of events if anything held them).
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert
from sqlmodel import Session

from adapters.audit_export import trail_rows, write_trail
from storage.audit_chain import events_between, purges_between
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.tables import AuditEventRow, PostRow

ZONE = ZoneInfo("America/New_York")
START = datetime(2026, 1, 1, tzinfo=UTC)
PER_POST = 100


def fill(engine: Engine, events: int) -> None:
    with Session(engine) as session:
        for p in range(1, events // PER_POST + 1):
            at = START + timedelta(minutes=p * PER_POST)
            session.execute(
                insert(PostRow).values(
                    id=p,
                    state="in_review",
                    proposer_platform="slack",
                    proposer_user_id="U1",
                    proposer_name="Nora Nurse",
                    created_at=at,
                    scheduled_at=at,
                    current_revision_id="r",
                    version=1,
                )
            )
            session.execute(
                insert(AuditEventRow),
                [
                    {
                        "id": f"{p}-{s}",
                        "post_id": p,
                        "seq": s,
                        "at": at + timedelta(minutes=s),
                        "actor_platform": "slack",
                        "actor_user_id": "U2",
                        "actor_name": "=Olga Officer",
                        "action": "commented",
                        "from_state": "in_review",
                        "to_state": None,
                        "revision_hash": "a" * 64,
                        "reason": "Please name the clinic and the hours; walk-ins?",
                        "channel": None,
                        "prev_hash": "b" * 64,
                        "hash": "c" * 64,
                    }
                    for s in range(1, PER_POST + 1)
                ],
            )
        session.commit()


def export(engine: Engine, out: Path) -> int:
    end = START + timedelta(days=3650)
    with Session(engine) as session:
        rows = trail_rows(events_between(session, START, end), purges_between(session, START, end))
        return write_trail(rows, out, ZONE)


def main(sizes: list[int]) -> None:
    print("| events | format | time | peak (tracemalloc) |")
    print("|-------:|--------|-----:|-------------------:|")
    for events in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
            upgrade(engine)
            fill(engine, events)
            for suffix in (".xlsx", ".csv"):
                out = Path(tmp) / f"trail{suffix}"
                began = time.perf_counter()
                assert export(engine, out) == events
                took = time.perf_counter() - began
                tracemalloc.start()
                export(engine, out)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                print(f"| {events:,} | {suffix} | {took:.1f} s | {peak / 2**20:.1f} MiB |")
            engine.dispose()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
