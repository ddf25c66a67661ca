"""Surnames, relatives and people who act in a post: names that carry no "patient" cue, and the
capitalised words of a holiday, a medicine or a team that look like names and are not."""

from __future__ import annotations

import pytest

from adapters.screening import ContextScreener, Practice

# The rules alone; what the learned model adds is tested in test_learned.py.
screener = ContextScreener(
    Practice.from_mapping(
        {
            "name": "Sunrise Family Health",
            "address": "412 Maple Ave, Springfield, IL 62704",
            "staff": ["Dr. Alicia Moreno", "Priya Shah"],
        }
    ),
    model_file=None,
)


def names_in(text: str) -> list[str]:
    return [text[f.start : f.end] for f in screener.findings(text) if f.category == "name"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Praying for a speedy recovery for R. Castellano after the accident.", "R. Castellano"),
        ("Remember the Nguyens? Their twins start kindergarten this fall!", "Nguyens"),
        ("Hoy celebramos con la familia Gutiérrez el alta de su bebé", "Gutiérrez"),
        ("Sergeant Alvarez was treated here after the crash and is recovering at home", "Alvarez"),
        ("Tía Chela nos trajo tamales para celebrar su recuperación", "Chela"),
        ("Ilse ran her first 5K since the stroke, and she smiled the whole way", "Ilse"),
        ("Casimir finally got his cast off today!", "Casimir"),
    ],
)
def test_a_surname_a_relative_or_a_person_who_acts_is_a_name(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Martin Luther King Jr. Day: our offices are closed Monday.",
        "Tylenol, Advil, or neither? Ask before your child's surgery.",
        "Go Cowboys! Wear your jersey to your checkup on Friday.",
        "We are closed for Cesar Chavez Day; the Los Angeles office stays open.",
        "Mayor Hollis cut the ribbon on our new pediatric wing today.",
    ],
)
def test_holidays_medicines_teams_and_officials_are_not_names(text: str) -> None:
    assert names_in(text) == []
