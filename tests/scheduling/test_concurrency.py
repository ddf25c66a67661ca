"""Several dispatchers on one database: every delivery goes out exactly once."""

from __future__ import annotations

import threading
from collections import Counter

from bot.domain import State
from tests.scheduling.conftest import DUE


def test_two_dispatchers_publish_each_of_many_deliveries_exactly_once(
    approved, make_dispatcher, clock, workflow, x, facebook
):
    posts = [approved(text=f"Clinic news number {i}") for i in range(60)]
    replicas = [make_dispatcher(batch=7, workers=4), make_dispatcher(batch=5, workers=4)]
    clock.set(DUE)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run(dispatch) -> None:  # type: ignore[no-untyped-def]
        start.wait(timeout=10)
        try:
            dispatch()
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(d.dispatch_due,)) for d in replicas] + [
        threading.Thread(target=run, args=(d.sweep,)) for d in replicas
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    calls = Counter(j.idempotency_key for j in x.jobs + facebook.jobs)
    assert errors == []
    assert len(calls) == 2 * len(posts)
    assert set(calls.values()) == {1}
    assert {workflow.get(p.id).state for p in posts} == {State.PUBLISHED}
