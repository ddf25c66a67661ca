"""Identifiers that hide in a post's form: a testimonial's signature, a hashtag, a picture file, a
bare ZIP code; and the practice's own pages and staff, which stay clear however they are written."""

from __future__ import annotations

import pytest

from adapters.screening import ContextScreener, Practice

# The rules alone; what the learned model adds is tested in test_learned.py.
screener = ContextScreener(
    Practice.from_mapping(
        {
            "name": "Lumen Dermatology",
            "address": "88 Camelback Rd, Scottsdale, AZ 85251",
            "websites": [
                "https://lumendermaz.com",
                "@lumen.derm",
                "https://instagram.com/lumen.derm",
            ],
            "staff": ["Dr. Tom Reyes", "Ines Varga"],
        }
    ),
    model_file=None,
)


def found(text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.category) for f in screener.findings(text) if f.is_phi]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Best peel I ever had." — Marguerite D., Tempe ⭐⭐⭐⭐⭐', ("Marguerite D.", "name")),
        ('"Best peel I ever had." — Marguerite D., Tempe ⭐⭐⭐⭐⭐', ("Tempe", "address")),
        ('"Muy amables con mis hijos." — R.V.C., mamá de 2', ("R.V.C.", "name")),
        ("Six weeks of tretinoin 🌟 #TeamOksana #LumenResults", ("Oksana", "name")),
        ("Swipe for the before & after 📸 #SmileMakeover", ("before & after", "photo")),
        (
            "Laser session 4 of 6 🔥 📸 IMG_2231_client_neck.jpg",
            ("IMG_2231_client_neck.jpg", "photo"),
        ),
        ("Se fue a casa sanito 🥹 📸 foto del bebé con sus papás", ("foto del bebé", "photo")),
        ("Our raffle winner from 85016 is Paloma! 🎉", ("85016", "address")),
        ("Tomás came in for his mole check and brought us donuts", ("Tomás", "name")),
    ],
)
def test_identifiers_in_signatures_hashtags_pictures_and_zip_codes(
    text: str, expected: tuple[str, str]
) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "New on https://instagram.com/lumen.derm: a 60-second guide to double cleansing 🧼",
        '"The whole team was lovely." — Google review ⭐⭐⭐⭐⭐ Thank you!',
        "Dr. Tom Reyes answers your sunscreen questions live on Friday at 85251 HQ.",
        "Happy birthday to all our November birthday kiddos! 🎂",
        "Canela, our therapy pup 🐕, visits every Thursday.",
        "Join us at the parade Saturday: look for Pepe the Penguin 🐧",
        "Red eyes and a fever for more than 5 days? It could be Kawasaki disease.",
        "¡Feliz día de San Judas Tadeo! Horario normal hoy.",
        "Everyone's asking about the facial since Kim Kardashian posted hers.",
    ],
)
def test_the_practices_pages_reviews_groups_pets_characters_and_eponyms_are_clear(
    text: str,
) -> None:
    assert found(text) == []
