"""Reject, Request changes and Reschedule open their modal inside Slack's 3-second trigger,
before any Web API call about who may decide; the check follows and the core checks again on
submit. The Slack stand-in delays usergroups.users.list by 4 seconds and records when each
request arrived and was answered."""

from __future__ import annotations

import time
from pathlib import Path

from bot.domain import State
from tests.fakes import FakePublisher
from tests.slack.harness import SlackWorkspace, reason_values
from tests.slack.test_deliveries import dispatcher, missed

SLOW = 4.0


def test_reject_opens_its_modal_before_slack_says_who_is_in_the_approver_group(tmp_path: Path):
    with SlackWorkspace(tmp_path, slack_approver_group="compliance") as slack:
        slack.api.usergroups["compliance"] = ["U_GROUPIE"]
        post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
        slack.api.delays["usergroups.users.list"] = SLOW
        clicked = time.monotonic()

        slack.click("U_GROUPIE", "reject", post_id)

        opened = slack.api.called("views.open")[-1]
        membership = [c for c in slack.api.called("usergroups.users.list") if c.received >= clicked]
        assert opened.received - clicked < 3.0, "the trigger would have expired"
        assert membership, "the membership check did not run after the click"
        assert opened.received < membership[0].answered
        # The approver's form stays open (no refusal replaced it) and deciding works.
        assert slack.api.called("views.update") == []
        slack.submit("U_GROUPIE", opened.params["view"], reason_values("Wrong clinic hours"))
        assert slack.workflow.get(post_id).state is State.REJECTED


def test_request_changes_opens_first_and_a_non_member_then_sees_the_refusal(tmp_path: Path):
    with SlackWorkspace(tmp_path, slack_approver_group="compliance") as slack:
        slack.api.usergroups["compliance"] = ["U_GROUPIE"]
        post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
        slack.api.delays["usergroups.users.list"] = SLOW
        clicked = time.monotonic()

        slack.click("U_STRANGER", "request_changes", post_id)

        opened = slack.api.called("views.open")[-1]
        assert opened.received - clicked < 3.0
        replaced = slack.api.called("views.update")[-1]
        assert "Only compliance approvers" in str(replaced.params["view"]["blocks"])
        assert replaced.received > opened.answered


def test_a_reason_submitted_by_someone_who_may_not_decide_is_refused_with_a_sentence(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.click("U_STRANGER", "reject", post_id)
    form = slack.api.called("views.open")[-1].params["view"]

    # Submitted before the refusal replaced the form: the core checks again.
    slack.submit("U_STRANGER", form, reason_values("I do not like it"))

    assert "Only compliance approvers" in slack.last_reply()
    assert slack.workflow.get(post_id).state is State.IN_REVIEW


def test_reschedule_opens_its_modal_before_slack_says_who_is_in_the_approver_group(
    tmp_path: Path,
):
    with SlackWorkspace(tmp_path, slack_approver_group="compliance") as slack:
        slack.api.usergroups["compliance"] = ["U_GROUPIE"]
        with dispatcher(slack, FakePublisher()) as d:
            post_id = missed(slack, d)
        slack.api.delays["usergroups.users.list"] = SLOW
        clicked = time.monotonic()

        slack.click("U_GROUPIE", "reschedule_delivery", post_id, value=f"{post_id}:x-main")

        opened = slack.api.called("views.open")[-1]
        membership = [c for c in slack.api.called("usergroups.users.list") if c.received >= clicked]
        assert opened.received - clicked < 3.0, "the trigger would have expired"
        assert membership and opened.received < membership[0].answered
        assert slack.api.called("views.update") == []  # an approver keeps the form
