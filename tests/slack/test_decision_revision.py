"""A chat decision always carries the revision it was shown for: a button value without the
revision hash decides nothing (before, it approved whatever revision was current)."""

from __future__ import annotations

import pytest

from bot.domain import State


@pytest.mark.parametrize("action", ["approve", "request_changes", "reject"])
def test_a_button_without_its_revision_hash_decides_nothing(slack, action):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", action, post_id, value=str(post_id))

    assert slack.workflow.get(post_id).state is State.IN_REVIEW
    assert "does not say which revision" in slack.last_reply()
    assert not slack.api.called("views.open")


def test_the_same_button_with_its_hash_approves(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", "approve", post_id)

    assert slack.workflow.get(post_id).state is State.APPROVED
