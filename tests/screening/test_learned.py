"""The learned second opinion (adapters/screening/learned.py), as a reviewer meets it."""

from __future__ import annotations

from pathlib import Path

from adapters.screening import ContextScreener, Practice
from adapters.screening.detector import flags
from adapters.screening.learned import LearnedModel
from tests.screening.evaluation import load, trained_on, training_rows

PRACTICE = Practice.from_mapping(
    {
        "name": "Harbor Pediatrics",
        "phones": ["(207) 555-0140"],
        "staff": ["Dr. Nadia Ferris", "Colby Marsh"],
    }
)
screener = ContextScreener(PRACTICE)
rules_only = ContextScreener(PRACTICE, model_file=None)


def phi(text: str, s: ContextScreener = screener) -> list[tuple[str, str, str]]:
    return [(text[f.start : f.end], f.category, f.severity) for f in s.findings(text) if f.is_phi]


def test_the_shipped_model_was_trained_on_the_labelled_set_as_it_is() -> None:
    _, rows = load()

    shipped = LearnedModel.read()

    assert shipped.trained_on == trained_on(training_rows(rows)), (
        "the labelled posts changed since the model was trained: "
        "pip install -e '.[train]' && python scripts/train_screening_model.py"
    )


def test_a_lower_case_name_no_rule_knows_is_found_from_how_the_post_reads() -> None:
    text = "lol ok who's gonna tell bramwell his new cast is not a drum 😂 we love this kid"

    assert not flags(rules_only.findings(text))  # what the rules alone let through
    found = phi(text)

    assert ("bramwell", "name", "medium") in found
    assert flags(screener.findings(text))


def test_a_name_like_word_in_a_post_about_no_one_is_only_a_hint() -> None:
    text = "Snow closure ❄️ Wolf Hollow roads are impassable. Telehealth visits go on as scheduled."

    assert flags(rules_only.findings(text))  # the rules alone read "Telehealth" as a name
    found = screener.findings(text)

    assert not flags(found)
    assert [(text[f.start : f.end], f.severity) for f in found] == [("Telehealth", "low")]
    assert "does not read as being about a patient" in found[0].why


def test_a_phone_number_is_never_set_aside_however_harmless_the_post_reads() -> None:
    text = "Flu shots are in! Questions? Text 207-555-0199 any time 💉"

    assert ("207-555-0199", "phone", "high") in phi(text)


def test_the_practice_s_own_details_stay_clear_with_the_model() -> None:
    text = "Dr. Nadia Ferris and Colby Marsh welcome you to Harbor Pediatrics! Call (207) 555-0140."

    assert phi(text) == []


def test_a_checkout_without_a_trained_model_screens_with_the_rules(tmp_path: Path) -> None:
    missing = ContextScreener(PRACTICE, model_file=tmp_path / "model.json.gz")
    text = "Congrats to our patient Maria on her new knee!"

    assert missing.findings(text) == rules_only.findings(text)
    assert missing.probability(text) is None
