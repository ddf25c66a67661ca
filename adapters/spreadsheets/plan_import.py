"""Planning in a spreadsheet: a template to fill in, and importing it back as proposals.

Each filled row becomes one proposal through `Workflow.propose`, in the normal approval flow:
import never approves anything. A row that cannot be used (no text, an unknown channel, a time in
the past, a formula with no saved value…) is reported by its row number with the reason, and
nothing is saved for it; the other rows are unaffected. Every row carries an idempotency key made
from its content, so importing the same file again, or a row twice, creates nothing new.

This module reads and writes the workbooks (openpyxl) and proposes each row like any front end;
what a row must say, and the request it makes, is bot/calendar/plan.py.

A plan comes from anyone who can upload a file, so the work it costs is bounded before it is read:
    the file                 at most MAX_FILE_BYTES; a zip whose directory claims more than
                             MAX_ENTRIES entries, MAX_UNCOMPRESSED bytes in all or MAX_PART_BYTES
                             in one part is refused before any part is inflated (zipfile never
                             inflates past the size the directory claims)
    the sheet                its claimed dimension is ignored: the header is read from at most
                             MAX_COLUMNS cells, rows only up to the last template column used, and
                             every row up to MAX_ROWS + 1 counts, blank or not
    a row                    cells over MAX_CELL_CHARS (MAX_TEXT for the text), more than
                             MAX_MEDIA media, MAX_TAGS tags or MAX_CHANNELS channels: refused
    the import               at most `time_limit` seconds, or until `stop` is set; rows not
                             reached are reported, and importing the file again continues
    malformed XML            refused with a sentence, like a file that is not a workbook
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from openpyxl import Workbook, load_workbook
from openpyxl.cell.read_only import EmptyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from adapters.spreadsheets.cells import DATETIME_FORMAT, HEADER, register_styles
from adapters.spreadsheets.files import Target, finished_file
from bot.calendar.plan import REQUIRED_COLUMNS, PlanRowError, plan_columns, plan_request
from bot.domain import Person
from bot.drafting import MAX_TEXT
from bot.errors import ClearpostError
from bot.workflow import Workflow

PLAN_SHEET = "Plan"
LISTS_SHEET = "Lists"
MAX_ROWS = 1000
CHANNEL_COLUMNS = 3
MAX_FILE_BYTES = 10 * 1024 * 1024  # a full 1,000-row plan is well under 1 MB
MAX_ENTRIES = 100  # a workbook from Excel or LibreOffice has about 10-20 parts
MAX_UNCOMPRESSED = 32 * 1024 * 1024  # all parts, as the zip directory claims them
MAX_PART_BYTES = 16 * 1024 * 1024  # one part (the sheet, the shared strings)
MAX_COLUMNS = 64  # header cells read; the template has 12
MAX_CELL_CHARS = 10_000  # any cell but the text
MAX_MEDIA = 10
MAX_TAGS = 30
MAX_CHANNELS = 10
TIME_LIMIT = 120.0  # seconds per import

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
    (
        "Alt text",
        40,
        "Optional: what each image shows, for people who cannot see it; one line per media URL, "
        "in the same order. Published with the image, and screened like the text.",
    ),
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
        elif name in ("Text", "Notes to reviewer", "Media", "Alt text"):
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


NOT_A_WORKBOOK = (
    "That file is not an Excel workbook (.xlsx) I can read. Save it as .xlsx and send it "
    "again, or start from the template."
)
MAX_ELEMENTS = 200_000  # XML elements in all parts; a full plan has about 50,000
MAX_CELLS_PER_ROW = 256
KNOWN_COLUMNS = frozenset(
    (
        "publish at",
        "channel",
        "text",
        "link",
        "media",
        "alt text",
        "notes to reviewer",
        "campaign",
        "tags",
    )
)
Stop = Callable[[], bool]


def _too_big(what: str) -> ImportRefused:
    return ImportRefused(
        f"That workbook {what}, far more than a plan of {MAX_ROWS:,} rows needs; nothing was "
        "imported. Start from the template (/calendar template or `clearpost template`) and "
        "split big plans into several files."
    )


def _bounded_bytes(source: str | IO[bytes]) -> bytes:
    """The file's bytes, never more than MAX_FILE_BYTES read."""
    if isinstance(source, str):
        try:
            if os.path.getsize(source) > MAX_FILE_BYTES:
                raise _too_big(f"is bigger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            with open(source, "rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise ImportRefused(f"There is no file {source}.") from None
        except OSError:
            raise ImportRefused(NOT_A_WORKBOOK) from None
    else:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(f"is bigger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return data


class _Scan:
    """One cheap pass over every XML part before openpyxl sees it: well-formed, no DOCTYPE,
    at most MAX_ELEMENTS elements and MAX_CELLS_PER_ROW cells a row. Notes, per part, the last
    row number that holds a value (rows past MAX_ROWS + 1 are never read)."""

    def __init__(self) -> None:
        self.elements = 0
        self.last_filled: dict[str, int] = {}
        self._part = ""
        self._row = 0
        self._cells = 0

    def part(self, name: str, source: IO[bytes]) -> None:
        self._part, self._row, self._cells = name, 0, 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        parser.StartDoctypeDeclHandler = self._doctype
        parser.ParseFile(source)

    def _doctype(self, *_: Any) -> None:
        raise _Malformed("a DOCTYPE")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _too_big(f"holds more than {MAX_ELEMENTS:,} cells and other elements")
        local = name.rpartition(" ")[2]
        if local == "row":
            ref = attrs.get("r")
            self._row = int(ref) if ref is not None else self._row + 1
            self._cells = 0
        elif local == "c":
            self._cells += 1
            if self._cells > MAX_CELLS_PER_ROW:
                raise _too_big(f"has a row of more than {MAX_CELLS_PER_ROW} cells")
        elif local in ("v", "is"):
            last = self.last_filled.get(self._part, 0)
            self.last_filled[self._part] = max(last, self._row)


class _Malformed(Exception):
    pass


def _check(data: bytes) -> _Scan:
    """Refuses, from the zip directory and one cheap pass, what would cost more than a plan."""
    scan = _Scan()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise _too_big(f"has {len(infos):,} parts")
            total = sum(info.file_size for info in infos)
            if total > MAX_UNCOMPRESSED or any(i.file_size > MAX_PART_BYTES for i in infos):
                raise _too_big(f"unpacks to {total // (1024 * 1024):,} MB")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    # zipfile inflates no more than the directory claims (else a CRC error).
                    with archive.open(info) as part:
                        scan.part(info.filename, part)
    except (expat.ExpatError, _Malformed, ValueError) as exc:
        raise ImportRefused(
            "That workbook is damaged: part of it is not well-formed XML "
            f"({type(exc).__name__}). Open it in Excel or LibreOffice, save it as .xlsx and send "
            "it again; nothing was imported."
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise ImportRefused(NOT_A_WORKBOOK) from None
    return scan


def _open(data: bytes) -> tuple[Any, Any]:
    """Values and formulas of the same file (formulas only to tell 'no saved value' apart)."""
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused(NOT_A_WORKBOOK) from None
    except Exception as exc:  # openpyxl's many ways to fail on a part it cannot make sense of
        raise ImportRefused(f"{NOT_A_WORKBOOK} ({type(exc).__name__})") from None
    return values, formulas


@dataclass
class _Row:
    number: int
    cells: dict[str, list[Any]] = field(default_factory=dict)
    formats: dict[str, list[str]] = field(default_factory=dict)
    problem: str | None = None


def import_plan(
    source: str | IO[bytes],
    workflow: Workflow,
    proposer: Person,
    *,
    time_limit: float = TIME_LIMIT,
    stop: Stop = lambda: False,
) -> ImportReport:
    """Turn each filled row of a plan into a proposal by `proposer`; see the module docstring.

    Raises ImportRefused when the file is not a plan at all (then nothing is imported).
    """
    deadline = time.monotonic() + time_limit
    data = _bounded_bytes(source)
    scan = _check(data)
    values_wb, formulas_wb = _open(data)
    del data
    try:
        rows, unread = _read_rows(values_wb, formulas_wb, scan, deadline, stop)
    except ImportRefused:
        raise
    except Exception as exc:  # a part openpyxl cannot make sense of, found while reading rows
        raise ImportRefused(f"{NOT_A_WORKBOOK} ({type(exc).__name__})") from None
    finally:
        values_wb.close()
        formulas_wb.close()
    report = ImportReport()
    for index, row in enumerate(rows):
        if stop() or time.monotonic() > deadline:
            unread = f"Rows {row.number} to {rows[-1].number} were not imported: {_STOPPED}"
            if index == len(rows) - 1:
                unread = f"Row {row.number} was not imported: {_STOPPED}"
            report.problems.append(RowProblem(row.number, unread))
            return report
        _import_row(row, workflow, proposer, report)
    if unread:
        report.problems.append(RowProblem(MAX_ROWS + 2, unread))
    return report


_STOPPED = (
    "the import took longer than it may (or Clearpost is stopping). Import the same file again "
    "to continue: rows already imported are not duplicated."
)


def _read_rows(
    values_wb: Any, formulas_wb: Any, scan: _Scan, deadline: float, stop: Stop
) -> tuple[list[_Row], str]:
    """The filled rows (template columns only), and what was left unread, if anything."""
    name = PLAN_SHEET if PLAN_SHEET in values_wb.sheetnames else values_wb.sheetnames[0]
    values_ws, formulas_ws = values_wb[name], formulas_wb[name]
    # The sheet's claimed dimension is never used: every bound below is explicit.
    first = next(values_ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS), ())
    header = [c.value for c in first]
    columns = {k: v for k, v in plan_columns(header).items() if k in KNOWN_COLUMNS}
    missing = [n for n in REQUIRED_COLUMNS if n not in columns]
    if missing:
        names = ", ".join(f"“{n.capitalize()}”" for n in missing)
        raise ImportRefused(
            f"The sheet “{name}” has no {names} column in its first row. "
            "Start from the template (/calendar template or `clearpost template`)."
        )
    width = max(i for indexes in columns.values() for i in indexes) + 1
    last = MAX_ROWS + 1
    bounds = {"min_row": 2, "max_row": last, "max_col": width}
    rows: list[_Row] = []
    for number, (row, formula_row) in enumerate(
        zip(values_ws.iter_rows(**bounds), formulas_ws.iter_rows(**bounds), strict=False),
        start=2,
    ):
        if stop() or time.monotonic() > deadline:
            raise ImportRefused(
                "Reading the workbook took longer than an import may; nothing was imported. "
                "Split the plan into smaller files."
            )
        if all(c.value is None or str(c.value).strip() == "" for c in row):
            continue
        rows.append(_read_row(number, row, formula_row, columns, header))
    unread = ""
    part = getattr(values_ws, "_worksheet_path", None)
    if max(scan.last_filled.get(str(part), 0), 0) > last or (
        part is None and max(scan.last_filled.values(), default=0) > last
    ):
        unread = (
            f"Rows after row {last} were not read: at most {MAX_ROWS:,} rows per file; "
            "split the plan."
        )
    return rows, unread


def _read_row(
    number: int,
    row: Sequence[Any],
    formula_row: Sequence[Any],
    columns: dict[str, list[int]],
    header: Sequence[Any],
) -> _Row:
    read = _Row(number)
    for key, indexes in columns.items():
        for index in indexes:
            value = row[index].value if index < len(row) else None
            formula = formula_row[index] if index < len(formula_row) else None
            is_formula = formula is not None and not isinstance(formula, EmptyCell)
            if value is None and is_formula and formula.data_type == "f":
                read.problem = read.problem or (
                    f"{header[index]} is a formula with no saved result; paste the value "
                    "instead, or open and save the file in Excel or LibreOffice first."
                )
            limit = MAX_TEXT if key == "text" else MAX_CELL_CHARS
            if isinstance(value, str) and len(value) > limit:
                read.problem = read.problem or (
                    f"{header[index]} has {len(value):,} characters; the most it may have is "
                    f"{limit:,}."
                )
                value = None
            read.cells.setdefault(key, []).append(value)
            fmt = getattr(row[index], "number_format", "") if index < len(row) else ""
            read.formats.setdefault(key, []).append(fmt or "")
    return read


def _import_row(row: _Row, workflow: Workflow, proposer: Person, report: ImportReport) -> None:
    number = row.number
    try:
        if row.problem:
            raise PlanRowError(row.problem)
        request = plan_request(row.cells, row.formats)
        for what, found, most in (
            ("media", request.media, MAX_MEDIA),
            ("tags", request.tags, MAX_TAGS),
            ("channels", request.channels, MAX_CHANNELS),
        ):
            if len(found) > most:
                raise PlanRowError(f"{len(found):,} {what}; a post may have at most {most}.")
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
