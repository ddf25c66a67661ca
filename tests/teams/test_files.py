"""Files in Teams over HTTP: the calendar and the plan template sent in a personal chat through a
file consent card and an upload to OneDrive (the connector stand-in plays it), a link in a
channel, and a filled plan sent back to the bot imported as proposals."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import datetime

import openpyxl

from adapters.spreadsheets.import_pool import ImportPool
from adapters.spreadsheets.plan_import import write_template
from adapters.teams.app import TEAMS_KEY
from bot.domain import State
from bot.ports import PostQuery
from tests.teams.harness import NURSE, served_teams

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


def to_nurse(call) -> bool:  # type: ignore[no-untyped-def]
    return call.conversation == f"a:personal-{NURSE['id']}"


def attachment_of(call) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return call.body["attachments"][0]


def cells_of(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]


def ask_for(teams, connector, acts, text: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    teams.post(acts.message(NURSE, text))
    return attachment_of(connector.sent(to_nurse)[-1])


def test_calendar_export_in_a_personal_chat_asks_consent_then_saves_the_workbook(
    teams, connector, acts
):
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots are in"))
    card = ask_for(teams, connector, acts, "calendar export")
    url = connector.upload_url(card["name"])

    answer = teams.post(acts.file_consent(NURSE, "accept", card["content"]["acceptContext"], url))
    teams.settle()

    assert card["contentType"] == CONSENT
    assert card["name"] == "clearpost-calendar-2026-11-25.xlsx"
    assert answer.status_code == 200
    saved = connector.uploads[card["name"]]
    assert len(saved) == card["content"]["sizeInBytes"]
    assert any("Flu shots are in" in c for c in cells_of(saved))
    told = attachment_of(connector.sent(to_nurse)[-1])
    assert told["contentType"] == FILE_INFO
    assert told["name"] == card["name"] and told["content"]["fileType"] == "xlsx"
    assert told["contentUrl"].endswith(card["name"])


def test_declining_the_file_uploads_nothing_and_says_so(teams, connector, acts):
    card = ask_for(teams, connector, acts, "calendar export")

    answer = teams.post(acts.file_consent(NURSE, "decline", card["content"]["declineContext"]))
    teams.settle()

    assert answer.status_code == 200
    assert connector.upload_requests == []
    assert connector.sent(to_nurse)[-1].text.startswith("Okay, I did not send the calendar")


def test_accepting_the_same_offer_twice_uploads_once(teams, connector, acts):
    card = ask_for(teams, connector, acts, "calendar export")
    accept = acts.file_consent(
        NURSE, "accept", card["content"]["acceptContext"], connector.upload_url(card["name"])
    )

    teams.post(accept)
    teams.post(accept)
    teams.settle()

    assert len(connector.upload_requests) == 1
    assert len(connector.sent(lambda c: to_nurse(c) and c.body.get("attachments"))) == 2


def test_a_refused_upload_tells_the_person_how_to_try_again(teams, connector, acts):
    card = ask_for(teams, connector, acts, "calendar export")
    connector.fail_next_upload(403)

    teams.post(
        acts.file_consent(
            NURSE, "accept", card["content"]["acceptContext"], connector.upload_url(card["name"])
        )
    )
    teams.settle()

    assert card["name"] not in connector.uploads
    assert connector.sent(to_nurse)[-1].text == (
        "I could not save the calendar workbook to your OneDrive (OneDrive answered 403). "
        "Type `calendar export` to try again."
    )


def test_an_upload_that_meets_a_busy_onedrive_is_retried(teams, connector, acts):
    card = ask_for(teams, connector, acts, "calendar export")
    connector.fail_next_upload(503)

    teams.post(
        acts.file_consent(
            NURSE, "accept", card["content"]["acceptContext"], connector.upload_url(card["name"])
        )
    )
    teams.settle()

    assert [name for name, _ in connector.upload_requests] == [card["name"]] * 2
    assert attachment_of(connector.sent(to_nurse)[-1])["contentType"] == FILE_INFO


def test_the_plan_template_is_sent_the_same_way(teams, connector, acts):
    card = ask_for(teams, connector, acts, "calendar template")

    teams.post(
        acts.file_consent(
            NURSE, "accept", card["content"]["acceptContext"], connector.upload_url(card["name"])
        )
    )
    teams.settle()

    assert card["name"] == "clearpost-plan-template-2026-11-25.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(connector.uploads[card["name"]]))
    assert book["Plan"]["A1"].value == "Publish at"
    assert "x-main" in [c.value for c in book["Lists"]["A"]]


def test_the_plan_template_in_a_channel_is_a_short_lived_link(
    tmp_path, monkeypatch, connector, acts, teams_clock
):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    base = "https://clearpost.clinic.example"
    with served_teams(tmp_path, clock=teams_clock, public_base_url=base) as served:
        served.post(acts.channel_message(NURSE, "calendar template"))
        offer = connector.sent()[-1].text
        link = offer[offer.index(base) : offer.index(")")].replace(base, "")
        local = served.url.replace("/api/messages", "")
        template = served.http.get(local + link)
        as_calendar = served.http.get(local + link.replace("plan-template", "calendar"))

    assert offer.startswith("[Download the plan template]")
    assert template.status_code == 200
    assert "Publish at" in cells_of(template.content)
    assert as_calendar.status_code == 403  # a template link does not open the calendar


# -- a filled plan sent back ----------------------------------------------------------------------


def filled_plan(*rows: tuple[object, ...]) -> bytes:
    out = io.BytesIO()
    write_template(out, ["x-main", "facebook-clinic", "blog"])
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    for number, (when, channel, text) in enumerate(rows, start=2):
        book["Plan"].cell(row=number, column=1, value=when)
        book["Plan"].cell(row=number, column=2, value=channel)
        book["Plan"].cell(row=number, column=5, value=text)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


PLAN = filled_plan(
    (datetime(2026, 12, 1, 9, 0), "x-main", "Flu shots from Monday"),
    (datetime(2026, 12, 2, 9, 0), "myspace", "Clinic closed Friday"),
    (datetime(2026, 12, 3, 9, 0), "blog", "Meet our new nurse"),
)


def test_a_filled_plan_sent_to_the_bot_becomes_proposals_by_the_sender(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    url = connector.serve_file("plan.xlsx", PLAN)

    teams.post(acts.file_message(NURSE, "plan.xlsx", url))

    report = connector.sent(to_nurse)[-1].text
    assert "2 proposals created and sent for approval: #1, #2." in report
    assert "row 3:" in report and "myspace" in report
    posts = teams.core.workflow.posts(PostQuery())
    assert [p.content.text for p in posts] == ["Flu shots from Monday", "Meet our new nurse"]
    assert {p.proposer.user_id for p in posts} == {NURSE["aadObjectId"]}
    assert {p.state for p in posts} == {State.IN_REVIEW}


def test_a_redelivered_file_message_imports_once(teams, connector, acts):
    activity = acts.file_message(NURSE, "plan.xlsx", connector.serve_file("plan.xlsx", PLAN))

    teams.post(activity)
    teams.post(activity)

    assert connector.downloads == ["plan.xlsx"]
    assert len(teams.core.workflow.posts(PostQuery())) == 2
    assert len([c for c in connector.sent(to_nurse) if "proposals created" in c.text]) == 1


def test_the_same_plan_sent_again_reports_its_rows_as_already_imported(teams, connector, acts):
    url = connector.serve_file("plan.xlsx", PLAN)

    teams.post(acts.file_message(NURSE, "plan.xlsx", url))
    teams.post(acts.file_message(NURSE, "plan.xlsx", url))

    assert "2 rows already imported" in connector.sent(to_nurse)[-1].text
    assert len(teams.core.workflow.posts(PostQuery())) == 2


def test_a_file_that_is_not_a_workbook_is_refused_with_what_to_send(teams, connector, acts):
    url = connector.serve_file("notes.docx", b"PK not a plan")

    teams.post(acts.file_message(NURSE, "notes.docx", url, file_type="docx"))

    assert connector.sent(to_nurse)[-1].text.startswith(
        "That is a .docx file. Send the filled plan as an .xlsx workbook"
    )
    assert connector.downloads == []


def test_a_broken_workbook_is_refused_and_nothing_is_imported(teams, connector, acts):
    url = connector.serve_file("plan.xlsx", b"this is not a zip file")

    teams.post(acts.file_message(NURSE, "plan.xlsx", url))

    assert "not an Excel workbook (.xlsx) I can read" in connector.sent(to_nurse)[-1].text
    assert teams.core.workflow.posts(PostQuery()) == []


def test_a_file_that_cannot_be_downloaded_asks_to_send_it_again(teams, connector, acts):
    url = connector.serve_file("plan.xlsx", b"", status=404)

    teams.post(acts.file_message(NURSE, "plan.xlsx", url))

    assert connector.sent(to_nurse)[-1].text == (
        "I could not download that file from Teams (status 404); send it again."
    )


def test_a_file_sent_in_a_channel_is_not_imported(teams, connector, acts):
    activity = acts.channel_message(NURSE, "here is the plan")
    activity["attachments"] = acts.file_message(NURSE, "plan.xlsx", "http://x/")["attachments"]

    teams.post(activity)

    assert connector.sent()[-1].text.startswith("Send the filled plan to me in a personal chat")
    assert connector.downloads == []


def test_a_plan_bomb_sent_in_teams_is_refused_with_a_sentence(teams, connector, acts):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as archive:
        for n in range(500):
            archive.writestr(f"junk/{n}.xml", b"<a/>")
    url = connector.serve_file("plan.xlsx", bomb.getvalue())

    teams.post(acts.file_message(NURSE, "plan.xlsx", url))

    assert "That workbook has 500 parts" in connector.sent(to_nurse)[-1].text
    assert teams.core.workflow.posts(PostQuery()) == []


def test_plans_import_in_their_own_pool_and_one_too_many_is_refused(teams, connector, acts):
    plans = teams.app[TEAMS_KEY].bot.plans
    assert plans is not None and plans.pool is not None
    full = ImportPool(workers=1, waiting=0)
    gate = threading.Event()
    full.submit(gate.wait)
    plans.pool = full
    try:
        teams.post(acts.file_message(NURSE, "plan.xlsx", connector.serve_file("plan.xlsx", PLAN)))
    finally:
        gate.set()
        full.shutdown()

    assert connector.sent(to_nurse)[-1].text.startswith("Other plans are being imported right now")
    assert teams.core.workflow.posts(PostQuery()) == []
