"""The screener's measured quality on the labelled set may not fall: a change that loses recall
fails here. The floors are what we measured (benchmarks/README.md), a little below, not targets.
The honest figures, on sets measured once before any tuning, are in benchmarks/README.md."""

from __future__ import annotations

from collections.abc import Iterable

from adapters.screening import ContextScreener, Practice
from tests.screening.evaluation import HELD_OUT, Counts, Report, load, screen_all

# Measured 2026-11-29 (fourth session) on the 7,159 posts the model was trained on (all but the
# held-out sets), rules and learned model: recall 1.000, precision 0.990. These figures (and the
# writer sets') are what the model fits, not what it generalises to: they fall when the rules or the
# features change and the model is not retrained (scripts/train_screening_model.py).
RECALL_FLOOR = 0.99
PRECISION_FLOOR = 0.975
# The sets that other writers wrote without seeing the screener, each for practices of its own;
# each was measured once before it was tuned or trained on (figures in benchmarks/README.md).
WRITER_SETS = (
    "fresh",
    "fresh2",
    *(f"final{n}" for n in (*range(1, 14), *range(16, 26))),
    "heldout14",
    "heldout15",
)
WRITER_RECALL_FLOOR = 0.98
WRITER_PRECISION_FLOOR = 0.95


# Three sets written for it and never tuned or trained on (evaluation.HELD_OUT: 713 posts),
# measured once with the screener as shipped (the model retrained on final16-18 and 23-25):
# precision 0.848, recall 0.960. The target is recall 0.95 at precision 0.85: a floor,
# not a claim (benchmarks/README.md has every round).
HELD_OUT_RECALL_FLOOR = 0.95
HELD_OUT_PRECISION_FLOOR = 0.84


def test_post_level_recall_and_precision_stay_at_what_we_measured() -> None:
    practice, rows = load()
    screener = ContextScreener(Practice.from_mapping(practice))

    report = screen_all(screener, rows)

    trained = pooled(report, [name for name in report.by_subset if name not in HELD_OUT])
    assert trained.tp + trained.fp + trained.fn + trained.tn >= 400
    assert trained.recall >= RECALL_FLOOR, f"missed: {report.missed}"
    assert trained.precision >= PRECISION_FLOOR, f"false alarms: {report.false_alarms}"
    for name in WRITER_SETS:
        counts = report.by_subset[name]
        assert counts.recall >= WRITER_RECALL_FLOOR, name
        assert counts.precision >= WRITER_PRECISION_FLOOR, name
    held_out = pooled(report, HELD_OUT)
    assert held_out.recall >= HELD_OUT_RECALL_FLOOR
    assert held_out.precision >= HELD_OUT_PRECISION_FLOOR


def pooled(report: Report, names: Iterable[str]) -> Counts:
    total = Counts()
    for name in names:
        counts = report.by_subset[name]
        total.tp, total.fp = total.tp + counts.tp, total.fp + counts.fp
        total.fn, total.tn = total.fn + counts.fn, total.tn + counts.tn
    return total


def test_the_evaluation_set_is_the_one_its_builder_writes() -> None:
    from tests.screening.build_eval_set import build

    _, rows = load()

    assert [r["text"] for r in rows] == [r["text"] for r in build()]
