"""Alt text through the spreadsheets: the plan template has an "Alt text" column (one line per
media URL), an import keeps it with its media, and the calendar export shows it, formula-safe."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
from python_calamine import CalamineWorkbook

from adapters.spreadsheets.calendar_xlsx import POSTS_COLUMNS, write_calendar
from adapters.spreadsheets.plan_import import import_plan, write_template
from tests.conftest import CHANNELS

ZONE = ZoneInfo("America/New_York")
FORMULA = '=HYPERLINK("https://evil.example","click")'


def filled_template(path, media: str, alt: str, typed_as_text: bool = True):  # type: ignore[no-untyped-def]
    """The template as a person fills one row of it in a spreadsheet program: the text columns
    are formatted as Text ("@"), so a typed "=…" is kept as text, as Excel and LibreOffice do."""
    write_template(path, sorted(CHANNELS), ZONE.key)
    wb = openpyxl.load_workbook(path)
    ws = wb["Plan"]
    column = {c.value: c.column for c in ws[1]}
    ws.cell(2, column["Publish at"], datetime(2026, 12, 1, 9, 0))
    ws.cell(2, column["Channel 1"], "x-main")
    ws.cell(2, column["Text"], "Flu shots are in!")
    ws.cell(2, column["Media"], media)
    described = ws.cell(2, column["Alt text"], alt)
    if typed_as_text:
        described.data_type = "s"
    wb.save(path)
    return path


def test_an_alt_text_column_imports_with_its_media_and_exports_formula_safe(
    workflow, nurse, tmp_path
):
    path = filled_template(
        tmp_path / "plan.xlsx",
        "https://clinic.example/a.jpg\nhttps://clinic.example/b.jpg",
        f"A nurse giving a flu shot\n{FORMULA}",
    )

    report = import_plan(str(path), workflow, nurse)

    ((_, post_id),) = report.created
    post = workflow.get(post_id)
    assert post.content.media_alt == ("A nurse giving a flu shot", FORMULA)

    out = tmp_path / "calendar.xlsx"
    start, end = datetime(2026, 12, 1, tzinfo=ZONE), datetime(2027, 1, 1, tzinfo=ZONE)
    write_calendar([post], out, zone=ZONE, start=start, end=end, now=start)
    index = [name for name, _ in POSTS_COLUMNS].index("Media (alt text)")
    cell = openpyxl.load_workbook(out)["Posts"].cell(2, index + 1)
    assert cell.data_type == "s"  # shown, never run
    assert 'https://clinic.example/a.jpg, alt text: "A nurse giving a flu shot"' in cell.value
    calamine = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Posts").to_python()
    assert FORMULA in calamine[1][index]


def test_reimporting_a_row_with_an_alt_text_adds_nothing(workflow, nurse, tmp_path):
    path = filled_template(tmp_path / "plan.xlsx", "https://clinic.example/a.jpg", "A nurse")

    first = import_plan(str(path), workflow, nurse)
    again = import_plan(str(path), workflow, nurse)

    assert len(first.created) == 1 and again.created == []
    assert again.existing == [(2, first.created[0][1])]


def test_more_alt_text_lines_than_media_is_a_row_problem(workflow, nurse, tmp_path):
    path = filled_template(tmp_path / "plan.xlsx", "https://clinic.example/a.jpg", "One\nTwo")

    report = import_plan(str(path), workflow, nurse)

    assert report.created == []
    assert "one description per item" in report.problems[0].reason
