"""PHI screening quality and speed on the labelled set (tests/screening/eval_posts.jsonl).

    .venv/bin/python benchmarks/screening_eval.py [--misses]

Prints post-level precision and recall (PHI), recall per identifier type, claims precision and
recall, recall on each hand-written subset, and the time per post (p50/p95, the screener built
once, after one warm-up pass): the rules alone and the rules with the learned model. The held-out
sets (evaluation.HELD_OUT) were never tuned or trained on: theirs are the honest figures; the
other posts are what the model was trained on. The former eight-pattern screen
(`bot.screening.screen`) is measured beside it for reference; it sees no practice settings.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.screening import ContextScreener, Practice  # noqa: E402
from bot.screening import Finding, screen  # noqa: E402
from tests.screening.evaluation import (  # noqa: E402
    HELD_OUT,
    Counts,
    Report,
    evaluate,
    load,
    screen_all,
)


def old_screen(text: str) -> list[Finding]:
    """The former screen as a detector: one whole-text finding per sentence it returns."""
    return [Finding(0, len(text), "name", "high", s, "") for s in screen([text])]


def timed(screener: ContextScreener, rows: list[dict[str, Any]]) -> Report:
    screen_all(screener, rows)  # warm-up: vocabulary, regex caches, first-call costs
    return screen_all(screener, rows)


def show(title: str, report: Report, detail: bool) -> None:
    phi, claims = report.phi, report.claims
    print(f"## {title}: {report.posts} posts")
    print(
        f"PHI post level: precision {phi.precision:.3f}  recall {phi.recall:.3f}  "
        f"(tp {phi.tp}, fp {phi.fp}, fn {phi.fn}, tn {phi.tn})"
    )
    print(f"claims post level: precision {claims.precision:.3f}  recall {claims.recall:.3f}")
    print(
        f"time per post: p50 {report.percentile(0.5):.3f} ms  p95 {report.percentile(0.95):.3f} ms"
    )
    held = Counts()
    for name in HELD_OUT:
        counts = report.by_subset.get(name, Counts())
        held.tp, held.fp = held.tp + counts.tp, held.fp + counts.fp
        held.fn, held.tn = held.fn + counts.fn, held.tn + counts.tn
    if held.tp + held.fn:
        print(
            f"held out, never tuned or trained on ({', '.join(HELD_OUT)}, "
            f"{held.tp + held.fp + held.fn + held.tn} posts): precision {held.precision:.3f}  "
            f"recall {held.recall:.3f}"
        )
    if not detail:
        return
    for name, counts in sorted(report.by_subset.items()):
        print(f"  subset {name:9} recall {counts.recall:.3f}  precision {counts.precision:.3f}")
    for category, (found, total) in sorted(report.spans_found.items()):
        print(f"  {category:8} spans found {found:3}/{total:3}  recall {found / total:.3f}")


def main() -> None:
    practice, rows = load()
    screener = ContextScreener(Practice.from_mapping(practice))
    rules_only = ContextScreener(screener.practice, model_file=None)
    show("the rules alone (no learned model)", timed(rules_only, rows), False)
    report = timed(screener, rows)
    show("rules + learned model (ContextScreener, as shipped)", report, detail=True)
    if "--misses" in sys.argv:
        by_id = {r["id"]: r["text"] for r in rows}
        for ident in report.missed:
            print(f"  missed {ident}: {by_id[ident]}")
        for ident in report.false_alarms:
            print(f"  false alarm {ident}: {by_id[ident]}")
    show("former eight-pattern screen (bot.screening.screen)", evaluate(old_screen, rows), False)


if __name__ == "__main__":
    main()
