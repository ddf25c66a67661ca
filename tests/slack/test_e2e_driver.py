"""The e2e driver gives the integrator the same audit trail a person would leave in Slack."""

from __future__ import annotations

from tests.e2e.drivers.slack import make_slack_driver


def test_the_driver_leaves_the_audit_trail_of_review_edit_and_approval(tmp_path):
    with make_slack_driver(tmp_path) as slack:
        post_id = slack.propose("x-main", "tomorrow 9am", "Flu shots are in!")
        slack.request_changes(post_id, "Name the clinics")
        slack.edit(post_id, "Flu shots at Elm St")
        slack.approve(post_id)

        trail = slack.audit(post_id)

    assert [(e.action, e.actor.ref) for e in trail] == [
        ("proposed", "slack:U_NURSE"),
        ("changes_requested", "slack:U_OFFICER"),
        ("revised", "slack:U_NURSE"),
        ("approved", "slack:U_OFFICER"),
    ]
    assert trail[1].reason == "Name the clinics"
