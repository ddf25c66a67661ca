"""Which posts are urgent: one rule, read from `[policy] urgent_tags`."""

from __future__ import annotations

import pytest

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
