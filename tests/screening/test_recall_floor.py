"""The screener's measured quality on the labelled set may not fall: a change that loses recall
fails here. The floors are what we measured (benchmarks/README.md), a little below, not targets.
The honest figures, on sets measured once before any tuning, are in benchmarks/README.md."""

from __future__ import annotations

from adapters.screening import ContextScreener, Practice
from tests.screening.evaluation import load, screen_all

# Measured 2026-11-29 (third session) on 4,775 posts: recall 0.968, precision 0.942.
RECALL_FLOOR = 0.96
PRECISION_FLOOR = 0.935
# The sets that other writers wrote without seeing the screener, each for practices of its own;
# each was measured once before it was tuned on (figures in benchmarks/README.md).
WRITER_SETS = ("fresh", "fresh2", *(f"final{n}" for n in range(1, 14)))
WRITER_RECALL_FLOOR = 0.91
WRITER_PRECISION_FLOOR = 0.88


# Two sets written for it and never tuned on (heldout14, heldout15): recall 0.935 and precision
# 0.855 together, measured once with the screener as shipped. Below the target (recall
# 0.95): a floor, not a claim.
HELD_OUT = ("heldout14", "heldout15")
HELD_OUT_RECALL_FLOOR = 0.93
HELD_OUT_PRECISION_FLOOR = 0.85


def test_post_level_recall_and_precision_stay_at_what_we_measured() -> None:
    practice, rows = load()
    screener = ContextScreener(Practice.from_mapping(practice))

    report = screen_all(screener, rows)

    assert report.posts >= 400
    assert report.phi.recall >= RECALL_FLOOR, f"missed: {report.missed}"
    assert report.phi.precision >= PRECISION_FLOOR, f"false alarms: {report.false_alarms}"
    for name in WRITER_SETS:
        counts = report.by_subset[name]
        assert counts.recall >= WRITER_RECALL_FLOOR, name
        assert counts.precision >= WRITER_PRECISION_FLOOR, name
    held_out = [report.by_subset[name] for name in HELD_OUT]
    tp, fp, fn = (sum(getattr(c, k) for c in held_out) for k in ("tp", "fp", "fn"))
    assert tp / (tp + fn) >= HELD_OUT_RECALL_FLOOR
    assert tp / (tp + fp) >= HELD_OUT_PRECISION_FLOOR


def test_the_evaluation_set_is_the_one_its_builder_writes() -> None:
    from tests.screening.build_eval_set import build

    _, rows = load()

    assert [r["text"] for r in rows] == [r["text"] for r in build()]
