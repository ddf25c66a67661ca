"""Every field of a post is screened, and a finding says which field it is in."""

from __future__ import annotations

from datetime import timedelta

from adapters.bootstrap import build_core
from adapters.settings import Settings
from bot.commands import ProposeRequest
from bot.domain import Person
from tests.conftest import NOW
from tests.fakes import FixedClock


def proposed(
    tmp_path, text: str, media: tuple[str, ...], link: str, media_alt: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The problems reviewers see on a post proposed with this text, media and link."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        channels={"x-main": {"network": "x"}},
        practice={"websites": ["https://sunrisefamilyhealth.org"]},
    )
    core = build_core(settings, clock=FixedClock(NOW))
    request = ProposeRequest(
        ("x-main",), NOW + timedelta(days=1), text, media=media, link=link, media_alt=media_alt
    )
    try:
        return core.workflow.propose(request, by=Person("console", "nurse")).revision.problems
    finally:
        core.shutdown()


def test_media_file_names_and_the_link_are_screened_and_named_in_the_finding(tmp_path) -> None:
    found = proposed(
        tmp_path,
        "Look who is walking again after knee surgery! 🎉",
        media=("https://cdn.example.com/uploads/maria_delgado_post_op.jpg",),
        link="https://www.facebook.com/maria.delgado.5",
    )

    problems = "\n".join(found)
    assert '(in the media file name "maria_delgado_post_op.jpg")' in problems
    assert 'Possible PHI (high): "maria" (in the media file name' in problems
    assert '"https://www.facebook.com/maria.delgado.5" (in the link)' in problems


def test_a_name_in_a_media_alt_text_is_a_finding_that_says_it_is_in_the_alt_text(tmp_path) -> None:
    found = proposed(
        tmp_path,
        "Back on her feet and back on the trail!",
        media=("https://cdn.example.com/uploads/IMG_2231.jpg",),
        link="",
        media_alt=("Photo of Maria Lopez after her knee replacement",),
    )

    problems = "\n".join(found)
    assert 'Possible PHI (high): "Maria Lopez" (in the alt text of "IMG_2231.jpg")' in problems


def test_a_plain_alt_text_raises_nothing(tmp_path) -> None:
    found = proposed(
        tmp_path,
        "Flu shots are in! Walk-ins welcome.",
        media=("https://cdn.example.com/uploads/flu-clinic-2026.jpg",),
        link="",
        media_alt=("A nurse holding a flu vaccine vial in our waiting room",),
    )

    assert found == ()


def test_the_practices_own_link_and_a_plain_file_name_raise_nothing(tmp_path) -> None:
    found = proposed(
        tmp_path,
        "Flu shots are in! Walk-ins welcome.",
        media=("https://cdn.example.com/uploads/flu-clinic-2026.jpg",),
        link="https://sunrisefamilyhealth.org/flu",
    )

    assert found == ()


def test_a_required_disclaimer_missing_for_a_tag_or_a_channel_is_a_finding_with_its_fix(
    tmp_path,
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        channels={"x-main": {"network": "x"}, "facebook-main": {"network": "facebook"}},
        screening={
            "disclaimers": {
                "#wellness": "This is not medical advice.",
                "facebook-main": "Results vary.",
            }
        },
    )
    core = build_core(settings, clock=FixedClock(NOW))
    when = NOW + timedelta(days=1)
    nurse = Person("console", "nurse")

    missing = core.workflow.propose(
        ProposeRequest(
            ("x-main", "facebook-main"), when, "Walk 20 minutes a day!", tags=("wellness",)
        ),
        by=nurse,
    )
    present = core.workflow.propose(
        ProposeRequest(
            ("x-main",),
            when,
            "Walk 20 minutes a day! This is not medical advice.",
            tags=("wellness",),
        ),
        by=nurse,
    )
    untagged = core.workflow.propose(ProposeRequest(("x-main",), when, "Walk daily!"), by=nurse)
    core.shutdown()

    problems = missing.revision.problems
    assert 'the tag #wellness requires it. Suggested fix: append "This is not medical advice."' in (
        "\n".join(problems)
    )
    assert any(
        'channel facebook-main requires it. Suggested fix: append "Results vary."' in p
        for p in problems
    )
    assert present.revision.problems == ()
    assert untagged.revision.problems == ()
