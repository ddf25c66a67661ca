"""Measuring a screener on the labelled set (eval_posts.jsonl): used by the recall-floor test and
by benchmarks/screening_eval.py, so both count the same way.

Post level: a post is PHI-positive when it has a labelled span of a PHI category, and flagged
when the screener finds anything of a PHI category in it. Per identifier type: a labelled span is
found when a finding of the same category overlaps it. Claims are counted apart the same way.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapters.screening import ContextScreener, Practice
from adapters.screening.detector import flags
from bot.screening import PHI_CATEGORIES, Finding

EVAL_SET = Path(__file__).with_name("eval_posts.jsonl")
# Never trained or tuned on: they measure the screener on writers it has never met.
HELD_OUT = ("heldout26", "heldout27", "heldout28")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, gold: bool, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1


@dataclass
class Report:
    posts: int = 0
    phi: Counts = field(default_factory=Counts)
    claims: Counts = field(default_factory=Counts)
    by_subset: dict[str, Counts] = field(default_factory=dict)
    spans_found: dict[str, list[int]] = field(default_factory=dict)  # category -> [found, total]
    times_ms: list[float] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # ids of PHI posts not flagged
    false_alarms: list[str] = field(default_factory=list)  # ids of clean posts flagged

    def percentile(self, p: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def load(path: Path = EVAL_SET) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The practice every post is screened with, and the labelled posts."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return lines[0]["practice"], lines[1:]


def subset(post_id: str) -> str:
    return post_id.split("-")[0]


def training_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the learned model may learn from: all but the held-out subsets."""
    return [row for row in rows if subset(row["id"]) not in HELD_OUT]


def trained_on(rows: list[dict[str, Any]]) -> str:
    """A fingerprint of labelled rows: the shipped model records the one it was trained on."""
    keys = ("id", "text", "spans", "practice")
    body = json.dumps([[row.get(k) for k in keys] for row in rows], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


Find = Callable[[str], list[Finding]]


def evaluate(
    find: Find,
    rows: list[dict[str, Any]],
    for_practice: Callable[[dict[str, Any]], Find] | None = None,
) -> Report:
    """`find` screens each post; a post that carries its own practice is screened by
    `for_practice(that practice)` when given (built once per practice, outside the timing)."""
    report = Report()
    by_practice: dict[str, Find] = {}
    for row in rows:
        text: str = row["text"]
        screen = find
        if for_practice is not None and "practice" in row:
            key = json.dumps(row["practice"], sort_keys=True)
            if key not in by_practice:
                by_practice[key] = for_practice(row["practice"])
            screen = by_practice[key]
        began = time.perf_counter()
        findings = screen(text)
        report.times_ms.append((time.perf_counter() - began) * 1000)
        report.posts += 1
        gold_phi = any(s["category"] in PHI_CATEGORIES for s in row["spans"])
        flagged = flags([f for f in findings if f.is_phi])
        report.phi.add(gold_phi, flagged)
        report.by_subset.setdefault(subset(row["id"]), Counts()).add(gold_phi, flagged)
        gold_claim = any(s["category"] == "claim" for s in row["spans"])
        report.claims.add(gold_claim, flags([f for f in findings if f.category == "claim"]))
        if gold_phi and not flagged:
            report.missed.append(row["id"])
        if flagged and not gold_phi:
            report.false_alarms.append(row["id"])
        for span in row["spans"]:
            tally = report.spans_found.setdefault(span["category"], [0, 0])
            tally[1] += 1
            tally[0] += any(
                f.category == span["category"]
                and not f.is_hint
                and f.start < span["end"]
                and span["start"] < f.end
                for f in findings
            )
    return report


def screen_all(screener: ContextScreener, rows: list[dict[str, Any]]) -> Report:
    """The screener on every post, each post with its own practice where it names one."""
    return evaluate(
        screener.findings,
        rows,
        lambda practice: screener.with_practice(Practice.from_mapping(practice)).findings,
    )
