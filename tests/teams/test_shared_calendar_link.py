"""The calendar behind a link posted in a channel (anyone there can open it for 15 minutes,
without signing in) holds only what the ICS feed shows: approved and later. Before, it held
posts in review and withdrawn ones too."""

from __future__ import annotations

from adapters.teams.export import CalendarLinks
from bot.commands import ProposeRequest
from bot.domain import Person
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.teams.harness import NURSE, OFFICER, served_teams
from tests.teams.test_files import cells_of


def test_the_calendar_link_in_a_channel_shows_only_approved_and_later(
    tmp_path, monkeypatch, connector, acts, teams_clock
):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    base = "https://clearpost.clinic.example"
    nurse = Person("teams", NURSE["aadObjectId"], "Nora Nurse")
    officer = Person("teams", OFFICER["aadObjectId"], "Olga Officer")
    with served_teams(tmp_path, clock=teams_clock, public_base_url=base) as served:
        workflow = served.core.workflow

        def propose(text: str, day: int):  # type: ignore[no-untyped-def]
            when = f"2026-12-{day:02d} 09:00"
            return workflow.propose(ProposeRequest(("x-main",), when, text), nurse)

        approved = propose("Approved flu clinic", 1)
        workflow.approve(approved.id, officer, approved.revision.hash)
        propose("Draft still in review", 2)
        withdrawn = propose("Withdrawn open house", 3)
        workflow.withdraw(withdrawn.id, nurse)
        served.settle()  # the notices of those moves are out before the offer is read

        served.post(acts.channel_message(NURSE, "calendar export"))
        # Joining the channel also announces the waiting posts: find the offer among the sends.
        offer = next(c.text for c in reversed(connector.sent()) if base in (c.text or ""))
        link = offer[offer.index(base) : offer.index(")")].replace(base, "")
        local = served.url.replace("/api/messages", "")
        shared = served.http.get(local + link)

    assert shared.status_code == 200
    cells = " ".join(cells_of(shared.content))
    assert "Approved flu clinic" in cells
    assert "Draft still in review" not in cells
    assert "Withdrawn open house" not in cells


def test_link_parameters_of_another_form_are_refused_before_any_comparison(tmp_path):

    class Flow:
        clock = FixedClock(NOW)

    links = CalendarLinks(Flow(), "https://clearpost.example")  # type: ignore[arg-type]
    good = links.link()
    exp = good.split("exp=")[1].split("&")[0]
    sig = good.split("sig=")[1]

    assert links.valid(exp, sig)
    for bad_exp, bad_sig in [
        (exp, sig.upper()),
        (exp, sig + "0"),
        (exp, sig[:-1]),
        (exp, "g" * 64),
        (exp, "é" * 64),
        (exp, "0" * 100_000),
        ("1" * 17, sig),
        ("-1", sig),
        ("١٢٣", sig),  # digits, but not ASCII
    ]:
        assert not links.valid(bad_exp, bad_sig), (bad_exp[:20], bad_sig[:20])


def test_a_link_made_by_one_serve_opens_on_another_on_the_same_database(
    tmp_path, monkeypatch, connector, acts, teams_clock
):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    base = "https://clearpost.clinic.example"
    options = {"clock": teams_clock, "public_base_url": base}
    with served_teams(tmp_path, **options) as one, served_teams(tmp_path, **options) as other:
        one.post(acts.channel_message(NURSE, "calendar template"))
        offer = next(c.text for c in reversed(connector.sent()) if base in (c.text or ""))
        link = offer[offer.index(base) : offer.index(")")].replace(base, "")
        opened = other.http.get(other.url.replace("/api/messages", "") + link)

    assert opened.status_code == 200  # behind a load balancer, the other replica answers
