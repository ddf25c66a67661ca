"""ContextScreener: the rule- and context-based detector behind bot.screening.TextScreener.

No network: findings come from patterns and their context in this package, so each is explainable
to a compliance officer, then a small learned model (learned.py) weighs the post as a whole. The
practice's own details are masked first, so its phone number or staff names never read as PHI.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from adapters.screening import lexicon as lx
from adapters.screening.given_names import given_names
from adapters.screening.learned import MODEL_PATH, LearnedModel, judge, learned_model
from adapters.screening.names import dates, names
from adapters.screening.new_staff import staff_introduced
from adapters.screening.practice import Practice
from adapters.screening.public_people import public_people
from adapters.screening.recognizers import (
    Recognizer,
    Scan,
    ages,
    claims,
    emails,
    links,
    neighbourhoods,
    numbers,
    phones,
    photos,
    places,
)
from adapters.screening.surnames import surnames
from adapters.screening.vocabulary import vocabulary
from bot.screening import Finding, FindingsScreener

# Order matters only for dates, which look at the names found before them.
RECOGNIZERS: tuple[Recognizer, ...] = (
    phones,
    emails,
    links,
    neighbourhoods,
    numbers,
    ages,
    places,
    photos,
    claims,
    names,
    given_names,
    surnames,
    neighbourhoods,
    dates,
)
_PATIENT = re.compile(lx.PATIENT_CONTEXT, re.I | re.U)
_SEVERITY_WEIGHT = {"high": 0.9, "medium": 0.6, "low": 0.3}


@dataclass(frozen=True)
class ContextScreener:
    """Finds Safe Harbor identifiers, claims language and banned words in one text."""

    practice: Practice = Practice()
    recognizers: tuple[Recognizer, ...] = RECOGNIZERS  # fewer only to measure what each adds
    model_file: Path | None = MODEL_PATH  # None: the rules alone (to train or measure them)

    def findings(self, text: str) -> list[Finding]:
        scan, found = self.rule_scan(text)
        model = self.model()
        if model is None:
            return found
        return judge(model, scan, found).findings

    def probability(self, text: str) -> float | None:
        """How likely the post model finds it that the text carries PHI (None: rules only)."""
        model = self.model()
        return None if model is None else judge(model, *self.rule_scan(text)).probability

    def model(self) -> LearnedModel | None:
        return learned_model(self.model_file) if self.model_file else None

    def rule_scan(self, text: str) -> tuple[Scan, list[Finding]]:
        """What the rules alone find, with the scan they found it in."""
        scan = Scan(
            text=text,
            practice=self.practice,
            known=self.practice.known_words,
            masked=self._practice_spans(text),
            patient=bool(_PATIENT.search(text)),
        )
        scan.known = scan.known | staff_introduced(scan) | public_people(scan)
        for recognize in self.recognizers:
            recognize(scan)
        # The practice's own name, address and staff are never PHI, whatever matched them.
        found = [f for f in scan.found if not (f.is_phi and scan.is_masked(f.start, f.end))]
        return scan, _without_overlaps(found)

    def with_practice(self, practice: Practice) -> ContextScreener:
        return ContextScreener(practice, self.recognizers, self.model_file)

    def _practice_spans(self, text: str) -> list[tuple[int, int]]:
        # Whole words only: the staff member "Tom" does not hide the patient "Tomás".
        pattern = _phrases_pattern((*self.practice.phrases, *lx.PUBLIC_PHRASES))
        return [m.span() for m in pattern.finditer(text)] if pattern else []


@lru_cache(maxsize=64)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Holidays and institutions named after people are masked like the practice's details."""
    longest_first = sorted((p for p in phrases if p.strip()), key=len, reverse=True)
    if not longest_first:
        return None
    either = "|".join(re.escape(p) for p in longest_first)
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)", re.I | re.U)


def score(findings: list[Finding]) -> float:
    """0 when nothing was found; otherwise the weight of the most severe finding."""
    return max((_SEVERITY_WEIGHT[f.severity] for f in findings), default=0.0)


def flags(findings: list[Finding]) -> bool:
    """Whether the post needs a reviewer's eye: a low-severity finding is only a hint."""
    return any(not f.is_hint for f in findings)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """The longest finding wins where two overlap; claims and banned words never hide PHI."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(k.start < f.end and f.start < k.end and k.is_phi == f.is_phi for k in kept):
            continue
        kept.append(f)
    return kept


def practice_screener(practice: Mapping[str, Any] | None) -> FindingsScreener:
    """The workflow's screener for a `[practice]` table (Settings.practice.model_dump()).

    The vocabulary and the learned model start loading now, on their own thread, so that the
    first post screened after start-up does not wait for them (a few seconds)."""
    threading.Thread(target=_load, name="screening-vocabulary", daemon=True).start()
    return FindingsScreener(ContextScreener(Practice.from_mapping(practice)))


def _load() -> None:
    vocabulary()
    learned_model()
