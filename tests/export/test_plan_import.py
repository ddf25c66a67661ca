"""A filled plan becomes proposals in review; bad rows are reported; re-importing adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import openpyxl
import pytest

from adapters.spreadsheets.plan_import import ImportRefused, import_plan, write_template
from bot.domain import State
from tests.conftest import CHANNELS

HEADER = ["Publish at", "Channel 1", "Channel 2", "Channel 3", "Text", "Link", "Media",
          "Notes to reviewer", "Campaign", "Tags"]  # fmt: skip


def plan(path: Path | BinaryIO, rows: list[list[object]]) -> Path | BinaryIO:
    """The plan template's sheet with these rows, saved to a file or a stream."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD = [datetime(2026, 12, 1, 9, 0), "x-main", "facebook-clinic", None, "Flu shots are in!"]


def test_the_template_offers_the_configured_channels_in_drop_downs(tmp_path):
    write_template(tmp_path / "t.xlsx", sorted(CHANNELS), "America/New_York")

    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    plan_ws, lists = wb["Plan"], wb["Lists"]
    channel_lists = [dv for dv in plan_ws.data_validations.dataValidation if dv.type == "list"]

    assert [c.value for c in plan_ws[1]] == [*HEADER[:7], "Alt text", *HEADER[7:]]
    assert [c.value for c in lists["A"]] == sorted(CHANNELS)
    assert lists.sheet_state == "hidden"
    assert len(channel_lists) == 3
    assert channel_lists[0].formula1 == "=Lists!$A$1:$A$5"
    assert "B2:B1001" in str(channel_lists[0].sqref)


def test_an_untouched_template_imports_nothing(workflow, nurse, tmp_path):
    write_template(tmp_path / "t.xlsx", sorted(CHANNELS))

    report = import_plan(str(tmp_path / "t.xlsx"), workflow, nurse)

    assert report.created == [] and report.problems == []
    assert "nothing was imported" in report.summary()


def test_each_good_row_becomes_a_proposal_in_review_never_approved(workflow, nurse, tmp_path):
    path = plan(
        tmp_path / "p.xlsx",
        [
            GOOD,
            [datetime(2026, 12, 2, 10, 30), "blog", None, None, "Holiday hours",
             "https://clinic.example", "https://clinic.example/a.jpg\nhttps://clinic.example/b.jpg",
             "Check the dates", "Winter", "hours, holidays"],
        ],
    )  # fmt: skip

    report = import_plan(str(path), workflow, nurse)

    posts = [workflow.get(post_id) for _, post_id in report.created]
    assert [row for row, _ in report.created] == [2, 3]
    assert [p.state for p in posts] == [State.IN_REVIEW, State.IN_REVIEW]
    assert posts[0].channels == ("x-main", "facebook-clinic")
    assert posts[0].scheduled_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert posts[1].content.media == (
        "https://clinic.example/a.jpg",
        "https://clinic.example/b.jpg",
    )
    assert posts[1].content.link == "https://clinic.example"
    assert posts[1].content.notes == "Check the dates"
    assert posts[1].campaign == "Winter"
    assert posts[1].tags == ("hours", "holidays")
    assert all(p.proposer == nurse and p.live_approvals() == [] for p in posts)


def test_bad_rows_are_reported_by_number_and_reason_and_nothing_is_saved_for_them(
    workflow, nurse, tmp_path
):
    path = plan(
        tmp_path / "p.xlsx",
        [
            GOOD,
            [datetime(2026, 12, 1, 9, 0), "tiktok", None, None, "Dance"],
            [datetime(2026, 12, 1, 9, 0), "x-main", None, None, None],
            [datetime(2026, 11, 1, 9, 0), "x-main", None, None, "Too late"],
            [None, "x-main", None, None, "When?"],
            [datetime(2026, 12, 1, 9, 0), None, None, None, "Where?"],
            ["next blursday", "x-main", None, None, "Odd time"],
        ],
    )

    report = import_plan(str(path), workflow, nurse)

    reasons = {p.row: p.reason for p in report.problems}
    assert [row for row, _ in report.created] == [2]
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "Unknown channel `tiktok`" in reasons[3]
    assert "text is empty" in reasons[4]
    assert "in the past" in reasons[5]
    assert "Publish at is empty" in reasons[6]
    assert "No channel" in reasons[7]
    assert "could not read “next blursday”" in reasons[8]
    assert "row 4: The text is empty." in report.summary()
    assert len(workflow.my_posts(nurse)) == 1


def test_importing_the_same_file_again_creates_no_duplicates(workflow, nurse, tmp_path):
    path = plan(
        tmp_path / "p.xlsx", [GOOD, [datetime(2026, 12, 3, 9, 0), "blog", None, None, "Hi"]]
    )
    first = import_plan(str(path), workflow, nurse)

    second = import_plan(str(path), workflow, nurse)

    assert second.created == []
    assert second.existing == first.created
    assert len(workflow.my_posts(nurse)) == 2
    assert "2 rows already imported: row 2 (post #1), row 3 (post #2)." in second.summary()


def test_a_row_repeated_in_the_same_file_is_proposed_once(workflow, nurse, tmp_path):
    path = plan(tmp_path / "p.xlsx", [GOOD, list(GOOD)])

    report = import_plan(str(path), workflow, nurse)

    assert len(report.created) == 1 and [row for row, _ in report.existing] == [3]
    assert len(workflow.my_posts(nurse)) == 1


def test_a_date_without_a_time_is_refused(workflow, nurse, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([datetime(2026, 12, 1), "x-main", None, None, "Which hour?"])
    ws["A2"].number_format = "yyyy-mm-dd"
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)

    report = import_plan(buffer, workflow, nurse)

    assert [(p.row, p.reason) for p in report.problems] == [
        (2, "Publish at has a date but no time of day.")
    ]


def test_a_formula_with_no_saved_result_is_refused_not_imported_as_text(workflow, nurse, tmp_path):
    path = plan(tmp_path / "p.xlsx", [[datetime(2026, 12, 1, 9), "x-main", None, None, '=A1&"!"']])

    report = import_plan(str(path), workflow, nurse)

    assert report.created == []
    assert "Text is a formula with no saved result" in report.problems[0].reason


def test_a_file_that_is_not_a_workbook_is_refused_as_a_whole(workflow, nurse, tmp_path):
    (tmp_path / "notes.xlsx").write_text("just text")

    with pytest.raises(ImportRefused, match="not an Excel workbook"):
        import_plan(str(tmp_path / "notes.xlsx"), workflow, nurse)


def test_a_sheet_without_the_plan_columns_is_refused_naming_them(workflow, nurse, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Network", "Copy"])
    wb.save(tmp_path / "other.xlsx")

    with pytest.raises(ImportRefused, match="no “Publish at”, “Channel”, “Text” column"):
        import_plan(str(tmp_path / "other.xlsx"), workflow, nurse)
