"""Teams over HTTP: the proposal dialog, the message action, thread replies, installs, auth."""

from __future__ import annotations

import io
import logging

import openpyxl

from bot.domain import Person, State
from bot.ports import PostQuery
from tests.teams.harness import CHANNEL, NURSE, OFFICER, served_teams


def form_of(answer) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return answer.json()["task"]["value"]["card"]["content"]


def filled(form: dict, **values: str) -> dict:  # type: ignore[type-arg]
    data = {i["id"]: i.get("value", "") for i in form["body"] if "id" in i}
    data.update(values)
    return {**data, **form["actions"][0]["data"]}


GOOD = {
    "channels": "x-main,blog",
    "date": "2026-11-27",
    "time": "10:30",
    "text": "Flu shots are in!",
    "overrides": "x-main: Flu shots! #health",
}


def test_propose_without_text_offers_the_form_in_a_dialog(teams, connector, acts):
    teams.post(acts.message(NURSE, "propose"))

    offer = connector.sent()[-1]
    button = offer.card["actions"][0]
    assert button["data"]["msteams"] == {"type": "task/fetch"}
    opened = teams.post(acts.invoke(NURSE, "task/fetch", {"data": button["data"]}))
    ids = [i.get("id") for i in form_of(opened)["body"]]
    assert ids == [
        "channels",
        "date",
        "time",
        "text",
        "overrides",
        "media",
        "media_alt",
        "notes",
        "urgent",
    ]


def test_a_submitted_form_proposes_the_post_with_its_per_channel_text(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    form = form_of(teams.post(acts.invoke(NURSE, "task/fetch", {"data": {}})))

    answer = teams.post(acts.invoke(NURSE, "task/submit", {"data": filled(form, **GOOD)}))

    assert answer.json()["task"]["type"] == "message"
    post = teams.core.workflow.get(1)
    assert post.channels == ("x-main", "blog")
    assert post.content.overrides == {"x-main": "Flu shots! #health"}
    assert post.content.text == "Flu shots are in!"


def test_a_form_with_a_past_time_comes_back_with_the_reason_and_what_was_typed(
    teams, connector, acts
):
    form = form_of(teams.post(acts.invoke(NURSE, "task/fetch", {"data": {}})))
    typed = dict(GOOD, date="2026-11-01")

    answer = teams.post(acts.invoke(NURSE, "task/submit", {"data": filled(form, **typed)}))

    again = form_of(answer)
    assert again["body"][0]["color"] == "attention" and "past" in again["body"][0]["text"]
    values = {i["id"]: i.get("value") for i in again["body"] if "id" in i}
    assert values["text"] == "Flu shots are in!" and values["overrides"] == GOOD["overrides"]
    assert teams.core.workflow.posts(PostQuery()) == []


def test_a_form_submitted_twice_is_one_proposal(teams, connector, acts):
    form = form_of(teams.post(acts.invoke(NURSE, "task/fetch", {"data": {}})))
    data = filled(form, **GOOD)

    teams.post(acts.invoke(NURSE, "task/submit", {"data": data}))
    teams.post(acts.invoke(NURSE, "task/submit", {"data": data}))

    assert len(teams.core.workflow.posts(PostQuery())) == 1


def test_propose_as_post_turns_a_message_into_a_prefilled_form(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    payload = {"body": {"contentType": "html", "content": "<p>Clinic closed Friday</p>"}}
    value = {"commandId": "proposeAsPost", "commandContext": "message", "messagePayload": payload}

    opened = teams.post(acts.invoke(NURSE, "composeExtension/fetchTask", value))
    form = form_of(opened)
    data = filled(form, channels="x-main", date="2026-11-27", time="08:00")
    submitted = teams.post(
        acts.invoke(NURSE, "composeExtension/submitAction", {**value, "data": data})
    )

    assert {i.get("id"): i.get("value") for i in form["body"]}["text"] == "Clinic closed Friday"
    assert submitted.json()["task"]["type"] == "message"
    assert teams.core.workflow.get(1).content.text == "Clinic closed Friday"


def test_a_reply_in_the_thread_is_a_review_comment_recorded_once(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots"))
    root = teams.core.workflow.get(1).thread.ts
    reply = acts.channel_message(OFFICER, "Which clinics?", thread=root)

    teams.post(reply)
    teams.post(reply)

    events = teams.core.workflow.audit_trail(1)
    comments = [e for e in events if e.action == "commented"]
    assert [(c.actor.ref, c.reason) for c in comments] == [("teams:aad-officer", "Which clinics?")]


def test_the_first_channel_message_captures_the_approval_channel(teams, connector, acts):
    teams.post(acts.channel_message(OFFICER, "help"))

    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots"))

    assert teams.core.workflow.get(1).thread.channel == CHANNEL


def test_a_proposal_made_before_the_install_is_posted_once_clearpost_joins(teams, connector, acts):
    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots"))
    told = connector.sent()[-1].text

    teams.post(acts.installed_in_channel())
    cards = connector.wait_for(lambda c: c.conversation == CHANNEL)

    assert "could not be opened in the compliance channel yet" in told
    assert "Flu shots" in cards[0].card_text


def test_the_approval_channel_survives_a_restart(tmp_path, monkeypatch, connector, acts):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    with served_teams(tmp_path) as first:
        first.post(acts.installed_in_channel())

    with served_teams(tmp_path) as second:
        second.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots"))

        assert second.core.workflow.get(1).thread.channel == CHANNEL


def test_with_an_app_id_a_request_without_a_token_is_refused(tmp_path, connector, acts):
    settings = {
        "teams_app_id": "00000000-0000-0000-0000-000000000001",
        "teams_app_password": "not-a-real-secret",
        "teams_tenant_id": "tenant-1",
    }
    with served_teams(tmp_path, **settings) as served:
        answer = served.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots"))

        assert answer.status_code == 401
        assert served.core.workflow.posts(PostQuery()) == []


def test_calendar_shows_the_next_fourteen_days(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots"))

    teams.post(acts.message(NURSE, "calendar"))

    shown = connector.sent()[-1].card_text
    assert "The next 14 days" in shown and "#1" in shown and "in review" in shown


def test_an_unknown_command_suggests_the_right_one(teams, connector, acts):
    teams.post(acts.message(NURSE, "propse x-main tomorrow 9am Flu"))

    assert connector.sent()[-1].text.startswith("I don't know `propse`. Did you mean `propose`?")


def test_a_one_line_proposal_that_cannot_be_read_says_how_to_write_it(teams, connector, acts):
    teams.post(acts.message(NURSE, "propose x-main"))

    assert "Example: /propose" in connector.sent()[-1].text


def test_post_text_never_reaches_the_logs(teams, connector, acts, caplog):
    caplog.set_level(logging.INFO)
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am MARKER-7731 patient news"))
    post = teams.core.workflow.get(1)
    teams.post(
        acts.card_action(OFFICER, "reject", post.id, post.revision.hash, reason="MARKER-7731")
    )
    teams.settle()

    assert teams.core.workflow.get(1).state is State.REJECTED
    assert "MARKER-7731" not in caplog.text


def test_calendar_export_in_a_channel_offers_a_short_lived_link_to_the_workbook(
    tmp_path, monkeypatch, connector, acts, teams_clock
):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    base = "https://clearpost.clinic.example"
    with served_teams(tmp_path, clock=teams_clock, public_base_url=base) as served:
        served.post(acts.installed_in_channel())
        served.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots"))
        # The link is open to the whole channel: it shows approved posts, not ones in review.
        proposed = served.core.workflow.get(1)
        officer = Person("teams", "aad-officer", "Olga Officer")
        served.core.workflow.approve(proposed.id, officer, proposed.revision.hash)
        served.settle()

        served.post(acts.channel_message(NURSE, "calendar export"))
        offer = connector.sent()[-1].text
        link = offer[offer.index(base) : offer.index(")")].replace(base, "")
        local = served.url.replace("/api/messages", "")
        workbook = served.http.get(local + link)
        tampered = served.http.get(local + link[:-4] + "0000")
        teams_clock.advance(minutes=16)
        expired = served.http.get(local + link)

    assert "The link works for 15 minutes." in offer
    assert workbook.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True)
    cells = [
        str(c) for ws in sheets.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert any("Flu shots" in c for c in cells)
    assert tampered.status_code == 403 and expired.status_code == 403
    assert "expired" in expired.text
