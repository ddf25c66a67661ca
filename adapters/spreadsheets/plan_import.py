"""Planning in a spreadsheet: a template to fill in, and importing it back as proposals.

Each filled row becomes one proposal through `Workflow.propose`, in the normal approval flow:
import never approves anything. A row that cannot be used (no text, an unknown channel, a time in
the past, a formula with no saved value…) is reported by its row number with the reason, and
nothing is saved for it; the other rows are unaffected. Every row carries an idempotency key made
from its content, so importing the same file again, or a row twice, creates nothing new.

This module reads and writes the workbooks (openpyxl) and proposes each row like any front end;
what a row must say, and the request it makes, is bot/calendar/plan.py.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.read_only import EmptyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from adapters.spreadsheets.cells import DATETIME_FORMAT, HEADER, register_styles
from adapters.spreadsheets.files import Target, finished_file
from bot.calendar.plan import REQUIRED_COLUMNS, PlanRowError, plan_columns, plan_request
from bot.domain import Person
from bot.errors import ClearpostError
from bot.workflow import Workflow

PLAN_SHEET = "Plan"
LISTS_SHEET = "Lists"
MAX_ROWS = 1000
CHANNEL_COLUMNS = 3

# Header, width, what the header's input message says.
TEMPLATE_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("Publish at", 18, "Date and time in the practice's time zone, e.g. 2026-12-01 09:00."),
    *(
        (f"Channel {n}", 18, "Pick a channel from the list. Use more channel columns for more.")
        for n in range(1, CHANNEL_COLUMNS + 1)
    ),
    ("Text", 60, "The post as it should be published."),
    ("Link", 30, "Optional: a link to publish with the post."),
    ("Media", 30, "Optional: image or video URLs, one per line."),
    ("Notes to reviewer", 30, "Optional: for the compliance officer; never published."),
    ("Campaign", 16, "Optional: a campaign name."),
    ("Tags", 16, "Optional: tags separated by commas."),
)


class ImportRefused(ClearpostError):
    """The file as a whole cannot be read as a plan; no row was imported."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str


@dataclass
class ImportReport:
    """What happened to each row: created (row, post id), already there, or refused."""

    created: list[tuple[int, int]] = field(default_factory=list)
    existing: list[tuple[int, int]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def summary(self) -> str:
        """Plain text for the person who imported, one line per refused row."""
        lines = []
        if self.created:
            ids = ", ".join(f"#{post}" for _, post in self.created)
            lines.append(f"{_rows(self.created, 'proposal')} created and sent for approval: {ids}.")
        if self.existing:
            seen = ", ".join(f"row {row} (post #{post})" for row, post in self.existing)
            lines.append(f"{_rows(self.existing)} already imported: {seen}.")
        if self.problems:
            lines.append(f"{_rows(self.problems)} not imported:")
            lines += [f"  row {p.row}: {p.reason}" for p in self.problems]
        return "\n".join(lines) or "The plan has no filled rows; nothing was imported."


def _rows(items: Sequence[object], noun: str = "row") -> str:
    return f"1 {noun}" if len(items) == 1 else f"{len(items)} {noun}s"


# -- the template -----------------------------------------------------------------------------


def write_template(out: Target, channels: Sequence[str], zone_name: str = "") -> None:
    """A workbook with the plan's columns, channel drop-downs and an instructions sheet."""
    wb = Workbook()
    register_styles(wb)
    plan = wb.active
    plan.title = PLAN_SHEET
    for index, (name, width, prompt) in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        plan.cell(row=1, column=index, value=name).style = HEADER
        plan.column_dimensions[letter].width = width
        if name == "Publish at":
            plan.column_dimensions[letter].number_format = DATETIME_FORMAT
        elif name in ("Text", "Notes to reviewer", "Media"):
            # "@" (Text) keeps a typed "=…" as text instead of a formula.
            plan.column_dimensions[letter].number_format = "@"
        check = DataValidation(showInputMessage=True, promptTitle=name, prompt=prompt[:255])
        if name.startswith("Channel"):
            check = DataValidation(
                type="list",
                formula1=f"={LISTS_SHEET}!$A$1:$A${max(len(channels), 1)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Unknown channel",
                error="Pick one of the configured channels from the list.",
                showInputMessage=True,
                promptTitle=name,
                prompt=prompt,
            )
        elif name == "Publish at":
            check = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="DATE(2000,1,1)",
                showErrorMessage=True,
                errorTitle="Not a date and time",
                error="Type a date and time, e.g. 2026-12-01 09:00.",
                showInputMessage=True,
                promptTitle=name,
                prompt=prompt,
            )
        check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        plan.add_data_validation(check)
    plan.freeze_panes = "A2"

    lists = wb.create_sheet(LISTS_SHEET)
    for row, name in enumerate(channels, start=1):
        lists.cell(row=row, column=1, value=name)
    lists.sheet_state = "hidden"

    howto = wb.create_sheet("How to")
    howto.column_dimensions["A"].width = 100
    zone_text = f" ({zone_name})" if zone_name else ""
    for line in (
        "How to plan posts in this workbook",
        "",
        "1. One row on the Plan sheet is one post: fill in Publish at, a Channel and the Text.",
        f"2. Publish at is the practice's local time{zone_text}, e.g. 2026-12-01 09:00.",
        "3. Pick channels from the drop-downs; a post may go to up to three channels.",
        "4. Send the file back (/calendar import in Slack, or `clearpost import plan.xlsx`).",
        "5. Every row becomes a proposal waiting for approval; nothing is approved by importing.",
        "6. Rows that cannot be used are listed with their row number and the reason;",
        "   fix them and import the same file again: rows already imported are not duplicated.",
        "",
        "Configured channels: " + (", ".join(channels) or "(none)"),
    ):
        howto.append([line])
    howto["A1"].style = "cp-title"
    wb.properties.title = "Clearpost plan template"
    wb.properties.creator = "Clearpost"
    with finished_file(out) as target:
        wb.save(target)


# -- importing --------------------------------------------------------------------------------


def _open(source: str | IO[bytes]) -> tuple[Any, Any]:
    """Values and formulas of the same file (formulas only to tell 'no saved value' apart)."""
    try:
        values = load_workbook(source, read_only=True, data_only=True)
        if not isinstance(source, str):
            source.seek(0)
        formulas = load_workbook(source, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise ImportRefused(f"There is no file {exc.filename}.") from None
        raise ImportRefused(
            "That file is not an Excel workbook (.xlsx) I can read. Save it as .xlsx and send it "
            "again, or start from the template."
        ) from None
    return values, formulas


def import_plan(source: str | IO[bytes], workflow: Workflow, proposer: Person) -> ImportReport:
    """Turn each filled row of a plan into a proposal by `proposer`; see the module docstring.

    Raises ImportRefused when the file is not a plan at all (then nothing is imported).
    """
    values_wb, formulas_wb = _open(source)
    try:
        name = PLAN_SHEET if PLAN_SHEET in values_wb.sheetnames else values_wb.sheetnames[0]
        value_rows = values_wb[name].iter_rows()
        formula_rows = formulas_wb[name].iter_rows()
        header = [c.value for c in next(value_rows, ())]
        next(formula_rows, None)
        columns = plan_columns(header)
        missing = [n for n in REQUIRED_COLUMNS if n not in columns]
        if missing:
            names = ", ".join(f"“{n.capitalize()}”" for n in missing)
            raise ImportRefused(
                f"The sheet “{name}” has no {names} column in its first row. "
                "Start from the template (/calendar template or `clearpost template`)."
            )
        report = ImportReport()
        for number, (row, formula_row) in enumerate(
            zip(value_rows, formula_rows, strict=False), start=2
        ):
            if all(c.value is None or str(c.value).strip() == "" for c in row):
                continue
            if len(report.created) + len(report.existing) + len(report.problems) >= MAX_ROWS:
                report.problems.append(
                    RowProblem(number, f"At most {MAX_ROWS} rows per file; split the plan.")
                )
                break
            _import_row(number, row, formula_row, columns, header, workflow, proposer, report)
        return report
    finally:
        values_wb.close()
        formulas_wb.close()


def _import_row(
    number: int,
    row: Sequence[Any],
    formula_row: Sequence[Any],
    columns: dict[str, list[int]],
    header: Sequence[Any],
    workflow: Workflow,
    proposer: Person,
    report: ImportReport,
) -> None:
    cells: dict[str, list[Any]] = {}
    formats: dict[str, list[str]] = {}
    try:
        for key, indexes in columns.items():
            for index in indexes:
                value = row[index].value if index < len(row) else None
                formula = formula_row[index] if index < len(formula_row) else None
                is_formula = formula is not None and not isinstance(formula, EmptyCell)
                if value is None and is_formula and formula.data_type == "f":
                    raise PlanRowError(
                        f"{header[index]} is a formula with no saved result; paste the value "
                        "instead, or open and save the file in Excel or LibreOffice first."
                    )
                cells.setdefault(key, []).append(value)
                fmt = getattr(row[index], "number_format", "") if index < len(row) else ""
                formats.setdefault(key, []).append(fmt or "")
        request = plan_request(cells, formats)
        with workflow.uow() as uow:
            earlier = uow.posts.by_idempotency_key(request.idempotency_key or "")
        if earlier is not None:
            report.existing.append((number, earlier.id))
            return
        post = workflow.propose(request, by=proposer)
    except PlanRowError as exc:
        report.problems.append(RowProblem(number, str(exc)))
        return
    except ClearpostError as exc:
        report.problems.append(RowProblem(number, " ".join(str(exc).split("\n")[:1])))
        return
    report.created.append((number, post.id))
