"""What the screener finds and leaves alone, read as a reviewer would: in context."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.bootstrap import build_core
from adapters.screening import ContextScreener, Practice
from adapters.settings import Settings
from bot.commands import ProposeRequest
from bot.domain import Person
from bot.screening import FindingsScreener
from tests.conftest import NOW
from tests.fakes import FixedClock

PRACTICE = Practice.from_mapping(
    {
        "name": "Sunrise Family Health",
        "address": "412 Maple Ave, Springfield, IL 62704",
        "phones": ["(217) 555-0142"],
        "fax": "(217) 555-0143",
        "emails": ["hello@sunrisefamilyhealth.org"],
        "websites": ["https://sunrisefamilyhealth.org", "@SunriseFamHealth"],
        "staff": ["Dr. Alicia Moreno", "Priya Shah"],
        "banned_words": ["botox party"],
    }
)
screener = ContextScreener(PRACTICE)


def found(text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.category) for f in screener.findings(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Call (217) 555-0142 or fax 217.555.0143 to book your flu shot.",
        "Email hello@sunrisefamilyhealth.org or visit sunrisefamilyhealth.org/flu",
        "Dr. Alicia Moreno and Priya will run Saturday's clinic at 412 Maple Ave, Springfield.",
        "Happy birthday to our own Priya! 🎂",
        "Thanks to Mayor Buscher for visiting our new wing.",
        "Our therapy dog Max visits every Tuesday.",
        "1 in 3 adults over 90 has a hearing loss; ask us about screenings.",
        "The flu clinic is on November 3 from 9 to noon. Follow us @SunriseFamHealth",
        "A patient asked us whether flu shots are safe with a cold. Usually yes.",
    ],
)
def test_the_practices_own_details_officials_pets_and_statistics_are_not_phi(text: str) -> None:
    assert [f for f in found(text) if f[1] != "claim"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("our patient maria's knee replacement went great!", ("maria", "name")),
        ("Big hugs to J.R. who rang the chemo bell today 🔔", ("J.R.", "name")),
        ("Nuestra paciente Lucía se recupera muy bien 💙", ("Lucía", "name")),
        ("¡Feliz cumpleaños a doña Carmen, que cumple 95 años!", ("95 años", "age")),
        ("At ninety-six, Harold still bikes to every checkup", ("ninety-six", "age")),
        ("Contact rosa.h(at)gmail(dot)com for the carpool", ("rosa.h(at)gmail(dot)com", "email")),
        ("Text Grace at 217 555 8190 about the walking group", ("217 555 8190", "phone")),
        ("Patient: Kowalski, Walter  MRN: 00448213", ("MRN: 00448213", "id")),
        ("Mr. Patel was admitted on Nov 3 and is home", ("Nov 3", "date")),
        ("Please fax Jorge's records to (312) 555-0177", ("(312) 555-0177", "fax")),
        ("Our patient from 18 Elm Street is doing well", ("18 Elm Street", "address")),
        ("Follow Evelyn's story at instagram.com/evelyn.b", ("instagram.com/evelyn.b", "url")),
        ("This tea cures diabetes!", ("cures", "claim")),
        ("Join our Botox Party on Friday", ("Botox Party", "banned")),
    ],
)
def test_identifiers_and_claims_are_found_with_their_exact_span(
    text: str, expected: tuple[str, str]
) -> None:
    assert expected in found(text)


def test_each_finding_says_why_and_what_to_do() -> None:
    found = FindingsScreener(screener)(["Welcome back, Bobby! 🎉", "Our patient Bobby is back"])
    sentences = [f.sentence() for f in found]

    assert sentences[0].startswith('Possible PHI (high): "Bobby" looks like a person\'s name')
    assert "Suggested fix:" in sentences[0]
    assert "(in a channel's own text)" in sentences[1]


def test_the_workflow_built_from_settings_screens_with_the_practice_settings(tmp_path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        channels={"x-main": {"network": "x"}},
        practice={"phones": ["(217) 555-0142"], "staff": ["Priya Shah"]},
    )
    core = build_core(settings, clock=FixedClock(NOW))
    when = NOW + timedelta(days=1)
    text = "Priya says call (217) 555-0142. Congrats to our patient Rosa on her new hip!"

    post = core.workflow.propose(
        ProposeRequest(("x-main",), when, text), by=Person("console", "nurse")
    )
    core.shutdown()

    problems = [p for p in post.revision.problems if p.startswith("Possible PHI")]
    assert len(problems) == 1
    assert '"Rosa"' in problems[0]
