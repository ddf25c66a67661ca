"""Names with no cue before them: the given-name recogniser, read in context as a reviewer would."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from adapters.screening import ContextScreener, Practice
from adapters.screening import vocabulary as vocabulary_module

# The rules alone; what the learned model adds is tested in test_learned.py.
screener = ContextScreener(
    Practice.from_mapping(
        {
            "name": "Sunrise Family Health",
            "address": "412 Maple Ave, Springfield, IL 62704",
            "staff": ["Dr. Alicia Moreno", "Priya Shah", "Tom Becker"],
        }
    ),
    model_file=None,
)


def names_in(text: str) -> list[str]:
    return [text[f.start : f.end] for f in screener.findings(text) if f.category == "name"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thiago is finally home after his heart surgery ❤️", "Thiago"),
        ("After six months of dialysis, Kwabena got his new kidney!", "Kwabena"),
        ("Big day for Brynn: her first steps since the knee replacement", "Brynn"),
        ("we love seeing rosalind at cardiac rehab every week", "rosalind"),
        (
            "Huge congratulations to Femi Adeyemi on becoming a dad after his surgery",
            "Femi Adeyemi",
        ),
        ("Wanjiru brought cookies for the whole front desk. Best patient ever 🍪", "Wanjiru"),
    ],
)
def test_a_name_with_no_cue_before_it_is_found(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Grace under pressure: our nurses saw 40 patients during last night's storm.",
        "Mark your calendars: the health fair is at the Civic Center on March 14.",
        "Hope you all had a restful Thanksgiving! We reopen Monday at 8am.",
        "Cancer survivors' picnic this Sunday at Washington Park, bring a dish to share.",
        "Tom Becker from billing can help with your statement after your surgery.",
        "Therapy dogs Biscuit and Pepper were a hit with our rehab patients today 🐶",
        "Governor Pritzker announced new funding for rural clinics this week.",
        "Our patient portal now supports Spanish. Free parking on 5th Street.",
    ],
)
def test_words_places_staff_officials_and_pets_are_not_names(text: str) -> None:
    assert names_in(text) == []


def test_a_name_in_a_post_about_no_patient_is_shown_as_less_severe() -> None:
    findings = screener.findings("A big thank-you from all of us to Thiago for the flowers")

    assert [(f.category, f.severity) for f in findings] == [("name", "medium")]


def test_screening_loads_its_vocabulary_and_screens_with_the_network_unreachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("screening tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    vocabulary_module.vocabulary.cache_clear()
    try:
        found = names_in("Thiago is finally home after his heart surgery")
    finally:
        vocabulary_module.vocabulary.cache_clear()

    assert found == ["Thiago"]


def test_the_name_list_is_built_from_the_installed_package_when_no_cache_exists(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLEARPOST_CACHE_DIR", str(tmp_path))

    built = vocabulary_module.given_name_list()
    again = vocabulary_module.given_name_list()

    assert built == again
    assert {"thiago", "kwabena", "brynn"} <= set(built[0])
    assert [p.name.startswith("given-names-") for p in tmp_path.iterdir()] == [True]
