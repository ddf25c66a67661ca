"""Planning in a spreadsheet from Slack: `/calendar template` sends the workbook to the person's
DM, and the filled template uploaded there comes back as proposals, with a report per row."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from slack_sdk import WebClient

from adapters.slack.plans import MAX_PLAN_BYTES, PlanFileRefused, SlackPlans
from bot.domain import Person, State
from tests.slack.harness import SlackWorkspace

NURSE = Person("slack", "U_NURSE")


def template(slack: SlackWorkspace) -> bytes:
    slack.command("U_NURSE", "template", command="/calendar")
    [upload] = slack.api.called("upload")
    return slack.api.uploaded[upload.path.split("/")[2]]


def filled(blank: bytes, *rows: list[object]) -> bytes:
    """The template with rows typed into its Plan sheet, saved as a person's Excel would."""
    workbook = load_workbook(io.BytesIO(blank))
    plan = workbook["Plan"]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            plan.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD = [datetime(2026, 12, 1, 9, 0), "x-main", None, None, "Flu shots are in!"]
ALSO_GOOD = [datetime(2026, 12, 2, 10, 30), "facebook-clinic", "blog", None, "Open house Friday"]
UNKNOWN_CHANNEL = [datetime(2026, 12, 3, 9, 0), "myspace", None, None, "Hello"]


def dm_messages(slack: SlackWorkspace, user: str) -> list[dict]:
    dm = "D" + user[1:]
    return [c.params for c in slack.api.succeeded("chat.postMessage") if c.params["channel"] == dm]


def test_calendar_template_sends_a_workbook_with_the_configured_channels_to_the_dm(slack):
    blank = template(slack)

    workbook = load_workbook(io.BytesIO(blank))
    assert [c.value for c in workbook["Plan"][1]][:5] == [
        "Publish at",
        "Channel 1",
        "Channel 2",
        "Channel 3",
        "Text",
    ]
    assert [r[0].value for r in workbook["Lists"].iter_rows()] == [
        "blog",
        "facebook-clinic",
        "x-main",
    ]
    [complete] = slack.api.called("files.completeUploadExternal")
    assert complete.params["channel_id"] == "D_NURSE"
    assert "upload it here" in complete.params["initial_comment"]
    assert slack.last_reply().startswith("Sent the plan template to your DMs")


def test_a_filled_template_uploaded_in_the_dm_becomes_proposals_waiting_for_approval(slack):
    plan = filled(template(slack), GOOD, ALSO_GOOD, UNKNOWN_CHANNEL)

    shared = slack.share_file("U_NURSE", "december.xlsx", plan)

    posts = slack.workflow.my_posts(NURSE)
    assert sorted(p.content.text for p in posts) == ["Flu shots are in!", "Open house Friday"]
    assert {p.state for p in posts} == {State.IN_REVIEW}
    assert all(p.thread is not None for p in posts)  # each has its approval thread
    [report] = dm_messages(slack, "U_NURSE")
    assert report["thread_ts"] == shared.ts  # under the uploaded file
    assert "2 proposals created and sent for approval" in report["text"]
    assert "1 row not imported:\n  row 4: " in report["text"]
    assert "myspace" in report["text"]
    assert [c.params for c in slack.api.called("download")] == [{"authorized": True}]


def test_a_retried_upload_event_imports_the_file_once(slack):
    shared = slack.share_file("U_NURSE", "december.xlsx", filled(template(slack), GOOD))

    slack.file_shared(shared, retry_num=1)
    slack.file_shared(shared, retry_num=2)

    assert len(slack.workflow.my_posts(NURSE)) == 1
    assert len(dm_messages(slack, "U_NURSE")) == 1
    assert len(slack.api.called("download")) == 1


def test_uploading_the_same_plan_again_creates_nothing_new_and_says_so(slack):
    plan = filled(template(slack), GOOD, ALSO_GOOD)
    slack.share_file("U_NURSE", "december.xlsx", plan)

    slack.share_file("U_NURSE", "december (1).xlsx", plan)

    assert len(slack.workflow.my_posts(NURSE)) == 2
    again = dm_messages(slack, "U_NURSE")[-1]["text"]
    assert "2 rows already imported: row 2 (post #1), row 3 (post #2)." in again
    assert "created" not in again


def test_a_file_that_is_not_a_workbook_is_refused_without_downloading_it(slack):
    slack.share_file("U_NURSE", "flyer.png", b"\x89PNG\r\n")

    [reply] = dm_messages(slack, "U_NURSE")
    assert "I can only import a filled plan template (.xlsx)" in reply["text"]
    assert "/calendar template" in reply["text"]
    assert slack.api.called("download") == []
    assert slack.workflow.my_posts(NURSE) == []


def test_a_file_too_big_is_refused_without_downloading_it(slack):
    slack.share_file("U_NURSE", "huge.xlsx", b"PK", size=MAX_PLAN_BYTES + 1)

    [reply] = dm_messages(slack, "U_NURSE")
    assert "bigger than 5 MB" in reply["text"]
    assert slack.api.called("download") == []


def test_a_download_longer_than_slack_said_stops_at_the_limit(slack):
    slack.share_file("U_NURSE", "plan.xlsx", b"PK" * (MAX_PLAN_BYTES // 2 + 1), size=1000)

    [reply] = dm_messages(slack, "U_NURSE")
    assert "bigger than 5 MB" in reply["text"]
    assert slack.workflow.my_posts(NURSE) == []


def test_a_corrupt_workbook_says_so_and_imports_nothing(slack):
    slack.share_file("U_NURSE", "plan.xlsx", b"PK\x03\x04 this is not really a zip")

    [reply] = dm_messages(slack, "U_NURSE")
    assert "That file is not an Excel workbook (.xlsx) I can read" in reply["text"]
    assert slack.workflow.my_posts(NURSE) == []


def test_a_workbook_that_is_not_a_plan_says_which_columns_are_missing(slack):
    workbook = Workbook()
    workbook.active.append(["Name", "Phone"])
    workbook.active.append(["Ada", "555-0100"])
    out = io.BytesIO()
    workbook.save(out)

    slack.share_file("U_NURSE", "contacts.xlsx", out.getvalue())

    [reply] = dm_messages(slack, "U_NURSE")
    assert "has no “Publish at”, “Channel”, “Text” column" in reply["text"]
    assert slack.workflow.my_posts(NURSE) == []


def test_a_file_slack_will_not_describe_is_reported_with_what_to_do(slack):
    slack.api.fail("files.info", "file_not_found")

    slack.share_file("U_NURSE", "plan.xlsx", b"PK")

    [reply] = dm_messages(slack, "U_NURSE")
    assert reply["text"] == (
        "Slack would not let me open that file (file_not_found). Upload it again here in our DM."
    )
    assert slack.api.called("download") == []


def test_files_shared_in_channels_or_by_the_bot_itself_are_left_alone(slack):
    plan = filled(template(slack), GOOD)
    slack.api.reset()

    slack.share_file("U_NURSE", "plan.xlsx", plan, channel="C_APPROVALS")
    slack.share_file("U_BOT", "clearpost-plan-template.xlsx", plan, channel="D_NURSE")

    assert slack.api.called("files.info") == []
    assert slack.api.called("chat.postMessage") == []
    assert slack.workflow.my_posts(NURSE) == []


def test_calendar_import_explains_how_to_send_a_plan(slack):
    slack.command("U_NURSE", "import", command="/calendar")

    assert slack.last_reply().startswith("Upload the filled plan template to me in our DM")


def test_the_bot_token_is_never_sent_to_a_host_that_is_not_slack(slack):
    plans = SlackPlans(slack.workflow)

    with pytest.raises(PlanFileRefused, match="not stored in Slack"):
        plans.download(slack.runtime.client, "https://files.example.org/plan.xlsx")

    assert slack.api.called("download") == []


def test_a_sign_in_page_instead_of_the_file_says_the_app_needs_files_read(slack):
    shared = slack.api.share_file("U_NURSE", "D_NURSE", "plan.xlsx", b"PK")
    refused = WebClient(token="xoxb-revoked", base_url=slack.api.api_url)
    url = f"{slack.api.base}/download/{shared.id}/plan.xlsx"

    with pytest.raises(PlanFileRefused, match="files:read"):
        SlackPlans(slack.workflow).download(refused, url)
