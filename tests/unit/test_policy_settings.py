"""`[policy]`: which posts are urgent (one rule), and stages, groups and people checked on load."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.settings import Settings
from bot.domain import Content, Person, new_post
from bot.policies import ApprovalPolicy, is_urgent
from tests.conftest import NOW

NURSE = Person("console", "nurse", "Nora Nurse")


def post(tags: tuple[str, ...] = (), urgent: bool = False):  # type: ignore[no-untyped-def]
    content = Content("Clinic closed today: flooding", ("x-main",), NOW)
    return new_post(content, NURSE, NOW, tags=tags, urgent=urgent)


def test_a_post_tagged_urgent_or_ticked_urgent_is_urgent_and_others_are_not():
    assert is_urgent(post(tags=("urgent",)))
    assert is_urgent(post(urgent=True))
    assert not is_urgent(post(tags=("flu", "clinical")))


def test_the_practice_chooses_its_urgent_tags():
    policy = ApprovalPolicy.of(["console:officer"], urgent_tags=["#Closure", "outbreak"])

    assert policy.is_urgent(post(tags=("closure",)))
    assert policy.is_urgent(post(tags=("outbreak",)))
    assert not policy.is_urgent(post(tags=("urgent",)))


@pytest.mark.usefixtures("clean_env")
def test_urgent_tags_are_read_from_the_policy_section(tmp_path):
    (tmp_path / "clearpost.toml").write_text('[policy]\nurgent_tags = ["Closure", "#weather"]\n')

    assert Settings().policy.urgent_tags == ["closure", "weather"]
    (tmp_path / "clearpost.toml").unlink()
    assert Settings().policy.urgent_tags == ["urgent"]


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("toml", "said"),
    [
        (
            '[[policy.rules]]\ntags = ["clinical"]\nstages = [{ group = "clinicians" }]\n',
            "stage group clinicians is not in [policy.groups]",
        ),
        (
            '[policy.groups]\nclinicians = ["alice"]\n',
            "alice is neither a [policy.people] name nor an account written platform:user_id",
        ),
        (
            '[policy.groups]\nx = ["slack:U1"]\n[[policy.rules]]\nstages = [{ group = "x" }]\n',
            "a rule needs channels, tags or campaigns to match",
        ),
        (
            '[policy.people.a]\nslack = "U1"\n[policy.people.b]\nslack = "U1"\n',
            "slack:U1 belongs to both a and b",
        ),
        (
            '[policy.groups]\nx = ["slack:U1"]\n[[policy.rules]]\ntags = ["t"]\n'
            'stages = [{ group = "x", mode = "most" }]\n',
            "'any' or 'all'",
        ),
        (
            '[[policy.rules]]\ntags = ["t"]\nstages = [{ group = "approvers", mode = "all" }]\n',
            "cannot be listed whole",
        ),
    ],
)
def test_a_policy_that_would_lock_a_stage_is_refused_with_how_to_fix_it(tmp_path, toml, said):
    (tmp_path / "clearpost.toml").write_text(toml)

    with pytest.raises(ValidationError) as refused:
        Settings()

    assert said in str(refused.value)


@pytest.mark.usefixtures("clean_env")
def test_a_policy_section_gives_the_core_its_stages_in_order(tmp_path):
    (tmp_path / "clearpost.toml").write_text(
        '[policy.people.alice]\nname = "Alice"\nslack = "U1"\nteams = "aad-1"\n'
        '[policy.groups]\nclinicians = ["alice"]\ncompliance = ["slack:U2"]\n'
        '[[policy.rules]]\ntags = ["Clinical"]\n'
        'stages = [{ group = "clinicians" }, { group = "compliance", mode = "all" }]\n'
    )

    plan = Settings().policy.plan()

    assert [(s.group, s.mode) for s in plan.rules[0].stages] == [
        ("clinicians", "any"),
        ("compliance", "all"),
    ]
    assert plan.rules[0].tags == {"clinical"}
    assert Settings().policy.people["alice"].accounts() == ["slack:U1", "teams:aad-1"]
