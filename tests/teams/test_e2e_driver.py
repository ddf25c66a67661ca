"""The Teams e2e driver runs the shared scenario and leaves the same trail as the console."""

from __future__ import annotations

from tests.e2e.drivers.teams import make_teams_driver


def test_the_shared_scenario_through_teams_leaves_the_expected_audit_trail(tmp_path):
    with make_teams_driver(tmp_path) as teams:
        post_id = teams.propose("x-main", "tomorrow 9am", "Flu shots are in!")
        teams.request_changes(post_id, "Name the clinics")
        teams.edit(post_id, "Flu shots at Elm St")
        teams.approve(post_id)
        events = teams.audit(post_id)

    assert [(e.action, e.actor.ref) for e in events] == [
        ("proposed", "teams:aad-nurse"),
        ("changes_requested", "teams:aad-officer"),
        ("revised", "teams:aad-nurse"),
        ("approved", "teams:aad-officer"),
    ]
    assert events[1].reason == "Name the clinics"
