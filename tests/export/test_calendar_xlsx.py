"""The calendar workbook, read back by openpyxl and by an independent reader (calamine)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from adapters.spreadsheets.calendar_xlsx import POSTS_COLUMNS, write_calendar
from adapters.spreadsheets.cells import MAX_CELL_TEXT, STATE_FILLS
from bot.calendar.model import MAX_PER_DAY
from bot.domain import Post, State
from tests.export.posts import make_post

ZONE = ZoneInfo("America/New_York")
DEC = datetime(2026, 12, 1, tzinfo=ZONE)
FEB = datetime(2027, 2, 1, tzinfo=ZONE)
COLUMN = {name: index for index, (name, _) in enumerate(POSTS_COLUMNS)}


def export(posts: list[Post], path: Path, **kw: object) -> Path:
    write_calendar(posts, path, zone=ZONE, start=DEC, end=FEB, now=DEC, **kw)  # type: ignore[arg-type]
    return path


def posts_rows(path: Path) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb["Posts"].iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def sample() -> list[Post]:
    return [
        make_post(
            1,
            datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
            "Flu shots are in! Walk-ins welcome.",
            state=State.PUBLISHED,
            overrides={"x-main": "Flu shots are in!"},
        ),
        make_post(
            3,
            datetime(2026, 12, 3, 15, 0, tzinfo=UTC),
            '=HYPERLINK("https://evil.example","click")',
            ("x-main",),
            state=State.APPROVED,
            problems=("Possible medical record number",),
        ),
        make_post(2, datetime(2027, 1, 15, 14, 30, tzinfo=UTC), "New year, new hours", ("blog",)),
    ]


def test_each_post_and_channel_is_one_row_with_the_channels_own_text(sample, tmp_path):
    rows = posts_rows(export(sample, tmp_path / "c.xlsx"))

    texts = {(r[COLUMN["Post"]], r[COLUMN["Channel"]]): r[COLUMN["Text"]] for r in rows}
    assert texts == {
        (1, "x-main"): "Flu shots are in!",
        (1, "facebook-clinic"): "Flu shots are in! Walk-ins welcome.",
        (3, "x-main"): '=HYPERLINK("https://evil.example","click")',
        (2, "blog"): "New year, new hours",
    }


def test_scheduled_time_is_a_real_local_date_time_with_a_number_format(sample, tmp_path):
    wb = openpyxl.load_workbook(export(sample, tmp_path / "c.xlsx"))
    first = wb["Posts"]["B2"]

    # 14:00 UTC on 1 December is 09:00 in New York (EST).
    assert first.value == datetime(2026, 12, 1, 9, 0)
    assert first.is_date and first.number_format == "yyyy-mm-dd hh:mm"
    assert wb["Posts"]["C2"].value == "America/New_York (EST)"


def test_a_second_reader_sees_the_same_values_and_types(sample, tmp_path):
    path = export(sample, tmp_path / "c.xlsx")

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Posts").to_python()

    assert rows[0][:5] == ["Post", "Scheduled (local)", "Time zone", "Channel", "Text"]
    assert rows[1][1] == datetime(2026, 12, 1, 9, 0)
    assert rows[1][COLUMN["Approved at (local)"]] == datetime(2026, 11, 28, 11, 0)
    assert rows[1][COLUMN["Revision"]] == 1
    assert rows[2][COLUMN["Text"]] == "Flu shots are in! Walk-ins welcome."
    assert rows[3][COLUMN["Text"]] == '=HYPERLINK("https://evil.example","click")'
    assert rows[3][COLUMN["Screening notes"]] == "Possible medical record number"


@pytest.mark.parametrize("text", ["=1+1", "+1 555 0100", "-20% on flu shots", "@clinic", "\tTab"])
def test_text_a_spreadsheet_would_run_is_stored_as_plain_text(text, tmp_path):
    path = export(
        [make_post(7, datetime(2026, 12, 2, 14, tzinfo=UTC), text, ("x-main",))],
        tmp_path / "c.xlsx",
    )

    cell = openpyxl.load_workbook(path)["Posts"]["E2"]
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Posts").to_python()

    assert cell.data_type == "s" and cell.value == text
    assert cell.quotePrefix  # stays text even after someone edits the cell
    assert calamine[1][COLUMN["Text"]] == text


def test_a_person_named_like_a_formula_is_not_run_either(tmp_path):
    from bot.domain import Person

    post = make_post(
        8,
        datetime(2026, 12, 2, 14, tzinfo=UTC),
        proposer=Person("slack", "U9", "=cmd|' /C calc'!A0"),
    )

    cell = openpyxl.load_workbook(export([post], tmp_path / "c.xlsx"))["Posts"]["H2"]

    assert cell.data_type == "s" and cell.value == "=cmd|' /C calc'!A0"


def test_the_posts_sheet_has_a_styled_frozen_filtered_header(sample, tmp_path):
    ws = openpyxl.load_workbook(export(sample, tmp_path / "c.xlsx"))["Posts"]

    assert [c.value for c in ws[1]] == [name for name, _ in POSTS_COLUMNS]
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("1F4E78")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:N5"  # every column, "Media (alt text)" the last
    assert ws.column_dimensions["E"].width == 60
    assert ws["E2"].alignment.wrap_text


def test_a_published_link_is_a_hyperlink_and_approvers_are_named(sample, tmp_path):
    ws = openpyxl.load_workbook(export(sample, tmp_path / "c.xlsx"))["Posts"]

    assert ws["L2"].hyperlink.target == "https://social.example/x-main/1"
    assert ws["L2"].value == "https://social.example/x-main/1"
    assert ws["I2"].value == "Olga Officer"
    assert ws["F2"].value == "published" and ws["G2"].value == "published"


def test_the_calendar_sheet_shows_each_day_with_posts_colored_by_state(sample, tmp_path):
    ws = openpyxl.load_workbook(export(sample, tmp_path / "c.xlsx"))["Calendar"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}

    published = cells["09:00 x-main, facebook-clinic · Flu shots are in! Walk-ins welcome."]
    approved = next(c for v, c in cells.items() if v.startswith("10:00 x-main · =HYPERLINK"))
    assert published.fill.fgColor.rgb.endswith(STATE_FILLS[State.PUBLISHED])
    assert approved.fill.fgColor.rgb.endswith(STATE_FILLS[State.APPROVED])
    assert approved.data_type == "s"
    assert {"December 2026", "January 2027", "Legend:", "in review", "failed"} <= set(cells)
    # 1 Dec 2026 is a Tuesday: the column under "Tue", the day above its posts.
    assert published.column == 2
    assert ws.cell(row=published.row - 1, column=2).value == datetime(2026, 12, 1)


def test_a_busy_day_lists_the_first_posts_and_says_how_many_more(tmp_path):
    posts = [
        make_post(n, datetime(2026, 12, 9, 14, n, tzinfo=UTC), f"Post {n}") for n in range(1, 13)
    ]

    ws = openpyxl.load_workbook(export(posts, tmp_path / "c.xlsx"))["Calendar"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]

    assert sum(v.startswith("09:") for v in values) == MAX_PER_DAY
    assert f"+ {12 - MAX_PER_DAY} more (see Posts)" in values


def test_the_summary_counts_posts_by_week_and_channel_by_state(sample, tmp_path):
    ws = openpyxl.load_workbook(export(sample, tmp_path / "c.xlsx"))["Summary"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "Week of")
    by_key = {r[0]: dict(zip(header, r, strict=False)) for r in rows if r[0] is not None}

    assert by_key[datetime(2026, 11, 30)]["published"] == 1
    assert by_key[datetime(2026, 11, 30)]["approved"] == 1
    assert by_key[datetime(2027, 1, 11)]["in review"] == 1
    assert by_key["x-main"]["Total"] == 2 and by_key["blog"]["in review"] == 1
    assert "3 posts, 4 post-and-channel rows." in [r[0] for r in rows]


def test_document_properties_name_the_calendar(sample, tmp_path):
    props = openpyxl.load_workbook(export(sample, tmp_path / "c.xlsx")).properties

    assert props.title == "Content calendar, 2026-12-01 to 2027-01-31"
    assert props.creator == "Clearpost"
    assert props.created == datetime(2026, 12, 1, 5, 0)  # midnight in New York, in UTC


def test_a_channel_filter_keeps_only_that_channels_rows(sample, tmp_path):
    rows = posts_rows(export(sample, tmp_path / "c.xlsx", channels=("facebook-clinic",)))

    assert [(r[0], r[COLUMN["Channel"]]) for r in rows] == [(1, "facebook-clinic")]


def test_text_too_long_for_a_cell_is_cut_with_a_note_and_control_characters_dropped(tmp_path):
    long = make_post(1, datetime(2026, 12, 2, 14, tzinfo=UTC), "a" * 40_000, ("blog",))
    odd = make_post(2, datetime(2026, 12, 2, 15, tzinfo=UTC), "bell\x07 here", ("blog",))

    rows = posts_rows(export([long, odd], tmp_path / "c.xlsx"))

    assert len(rows[0][COLUMN["Text"]]) == MAX_CELL_TEXT
    assert rows[0][COLUMN["Text"]].endswith("[cut: 40000 characters; a cell holds 32767]")
    assert rows[1][COLUMN["Text"]] == "bell here"


def test_a_failure_while_writing_leaves_no_file_behind(tmp_path):
    def broken() -> Iterator[Post]:
        yield make_post(1, datetime(2026, 12, 2, 14, tzinfo=UTC))
        raise ConnectionError("database went away")

    with pytest.raises(ConnectionError):
        export(broken(), tmp_path / "c.xlsx")  # type: ignore[arg-type]

    assert list(tmp_path.iterdir()) == []


def test_the_workbook_can_be_written_to_a_stream(sample):
    buffer = BytesIO()

    write_calendar(sample, buffer, zone=ZONE, start=DEC, end=FEB)

    assert openpyxl.load_workbook(BytesIO(buffer.getvalue())).sheetnames == [
        "Calendar",
        "Posts",
        "Summary",
    ]
