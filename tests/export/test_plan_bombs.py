"""Hostile plans are refused (or bounded) before they cost more than a plan: each bomb in well
under a few seconds and 100 MB of Python allocations (benchmarks/README.md has the numbers).

Before the bounds, the claimed-dimension sheet ran for many minutes, the shared-strings bomb took
gigabytes, the blank rows ran past 400 s, a row took 400,000 media URLs and broken XML ended in a
raw traceback."""

from __future__ import annotations

import logging
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from io import BytesIO

import pytest

from adapters.spreadsheets.plan_import import (
    MAX_MEDIA,
    MAX_ROWS,
    ImportRefused,
    import_plan,
)
from tests.export.test_plan_import import plan

GOOD = [datetime(2026, 12, 1, 9, 0), "x-main", None, None, "Flu shots are in!"]
log = logging.getLogger(__name__)
SHEET = "xl/worksheets/sheet1.xml"
# A hang guard, not a speed target: an unbounded import of these bombs ran for many minutes,
# a bounded one takes about a second on an idle machine (benchmarks/plan_bombs.py has the
# figures). Under tracemalloc on a loaded 2-core CI machine 8 s was seen, so the guard is wide.
SECONDS = 60.0
MEGABYTES = 100


def workbook(*rows: list[object]) -> bytes:
    out = BytesIO()
    plan(out, list(rows))
    return out.getvalue()


def rewritten(data: bytes, name: str, change: Callable[[bytes], bytes | Iterator[bytes]]) -> bytes:
    """The same workbook with one part replaced (streamed, so a big part costs the test little)."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        infos = list(src.infolist())
        if name not in src.namelist():  # openpyxl writes no shared strings: add the part
            infos.append(zipfile.ZipInfo(name))
        for info in infos:
            body = src.read(info) if info.filename in src.namelist() else b""
            if info.filename != name:
                dst.writestr(info, body, zipfile.ZIP_DEFLATED)
                continue
            new = change(body)
            replaced = zipfile.ZipInfo(name)
            replaced.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(replaced, "w", force_zip64=True) as part:
                for chunk in [new] if isinstance(new, bytes) else new:
                    part.write(chunk)
    return out.getvalue()


def blank_rows(up_to: int) -> Callable[[bytes], Iterator[bytes]]:
    """A sheet change: empty <row> elements from row 3 to `up_to`, streamed."""

    def change(xml: bytes) -> Iterator[bytes]:
        head, _, tail = xml.partition(b"</sheetData>")
        yield head
        for start in range(3, up_to, 10_000):
            yield b"".join(b'<row r="%d"/>' % n for n in range(start, start + 10_000))
        yield b"</sheetData>" + tail

    return change


def shared_strings(megabytes: int) -> Callable[[bytes], Iterator[bytes]]:
    """A sharedStrings part of one `megabytes` MB string (it compresses to almost nothing)."""

    def change(_: bytes) -> Iterator[bytes]:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        for _ in range(megabytes):
            yield b"a" * (1024 * 1024)
        yield b"</t></si></sst>"

    return change


@contextmanager
def bounded(seconds: float = SECONDS, megabytes: int = MEGABYTES) -> Iterator[dict[str, float]]:
    measured: dict[str, float] = {}
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield measured
    finally:
        measured["seconds"] = time.perf_counter() - started
        measured["megabytes"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    log.info("bounded: %.2f s, %.1f MB peak", measured["seconds"], measured["megabytes"])
    assert measured["seconds"] < seconds, measured
    assert measured["megabytes"] < megabytes, measured


def test_a_sheet_claiming_every_cell_of_excel_is_read_only_as_far_as_its_rows_go(workflow, nurse):
    bomb = rewritten(
        workbook(GOOD),
        SHEET,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(BytesIO(bomb)).read(SHEET)

    with bounded():
        report = import_plan(BytesIO(bomb), workflow, nurse)

    assert len(report.created) == 1 and report.problems == []


def test_a_shared_strings_bomb_is_refused_from_the_zip_directory(workflow, nurse):
    bomb = rewritten(workbook(GOOD), "xl/sharedStrings.xml", shared_strings(64))
    assert len(bomb) < 1024 * 1024

    with bounded(), pytest.raises(ImportRefused, match="unpacks to 64 MB") as refused:
        import_plan(BytesIO(bomb), workflow, nurse)
    assert "nothing was imported" in str(refused.value)


def test_half_a_million_blank_rows_are_refused_after_a_bounded_count(workflow, nurse):
    bomb = rewritten(workbook(GOOD), SHEET, blank_rows(500_000))

    with bounded(), pytest.raises(ImportRefused, match="more than 200,000 cells"):
        import_plan(BytesIO(bomb), workflow, nurse)


def test_a_row_of_a_hundred_thousand_cells_is_refused(workflow, nurse):
    def wide_row(xml: bytes) -> bytes:
        head, _, tail = xml.partition(b"</sheetData>")
        return head + b'<row r="3">' + b"<c/>" * 100_000 + b"</row></sheetData>" + tail

    with bounded(), pytest.raises(ImportRefused, match="a row of more than 256 cells"):
        import_plan(BytesIO(rewritten(workbook(GOOD), SHEET, wide_row)), workflow, nurse)


def test_a_row_with_thousands_of_media_urls_is_refused_and_the_others_imported(workflow, nurse):
    urls = "\n".join(f"https://cdn.example.org/{n}.jpg" for n in range(5000))
    few_too_many = "\n".join(f"https://cdn.example.org/{n}.jpg" for n in range(MAX_MEDIA + 1))
    many_tags = ",".join(f"tag{n}" for n in range(31))
    other = [datetime(2026, 12, 2, 9), "x-main", None, None, "Another"]
    third = [datetime(2026, 12, 3, 9), "x-main", None, None, "Third"]
    fourth = [datetime(2026, 12, 4, 9), "x-main", None, None, "Fourth"]

    with bounded():
        report = import_plan(
            BytesIO(
                workbook(
                    [*GOOD, None, urls],
                    [*other, None, few_too_many],
                    [*third, None, None, None, None, many_tags],
                    fourth,
                )
            ),
            workflow,
            nurse,
        )

    assert re.fullmatch(
        r"Media has [\d,]{6} characters; the most it may have is 10,000.", report.problems[0].reason
    )
    assert [(p.row, p.reason) for p in report.problems[1:]] == [
        (3, "11 media; a post may have at most 10."),
        (4, "31 tags; a post may have at most 30."),
    ]
    assert [row for row, _ in report.created] == [5]


def test_broken_xml_is_refused_with_a_sentence_not_a_traceback(workflow, nurse):
    broken = rewritten(workbook(GOOD), SHEET, lambda xml: xml[: len(xml) // 2])

    with pytest.raises(ImportRefused, match="not well-formed XML") as refused:
        import_plan(BytesIO(broken), workflow, nurse)
    assert "Open it in Excel or LibreOffice" in str(refused.value)


def test_a_doctype_with_entities_is_refused(workflow, nurse):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    bomb = rewritten(workbook(GOOD), SHEET, lambda xml: laughs + xml.split(b"?>", 1)[-1])

    with pytest.raises(ImportRefused, match="not well-formed XML"):
        import_plan(BytesIO(bomb), workflow, nurse)


def test_too_many_zip_entries_are_refused_from_the_directory(workflow, nurse):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(5000):
            archive.writestr(f"junk/{n}", b"")

    with bounded(), pytest.raises(ImportRefused, match="has 5,000 parts"):
        import_plan(BytesIO(out.getvalue()), workflow, nurse)


def test_rows_past_the_cap_are_counted_blank_or_not_and_reported(workflow, nurse):
    def far_row(xml: bytes) -> bytes:
        head, _, tail = xml.partition(b"</sheetData>")
        far = b'<row r="%d"><c r="E%d" t="inlineStr"><is><t>late</t></is></c></row>' % (
            (MAX_ROWS + 5,) * 2
        )
        return head + far + b"</sheetData>" + tail

    report = import_plan(BytesIO(rewritten(workbook(GOOD), SHEET, far_row)), workflow, nurse)

    assert len(report.created) == 1
    assert [p.reason for p in report.problems] == [
        "Rows after row 1001 were not read: at most 1,000 rows per file; split the plan."
    ]


def test_an_import_stops_at_its_time_limit_or_on_shutdown_and_says_how_to_continue(workflow, nurse):
    rows = [[datetime(2026, 12, 1 + n, 9), "x-main", None, None, f"Post {n}"] for n in range(3)]

    with pytest.raises(ImportRefused, match="took longer than an import may"):
        import_plan(BytesIO(workbook(*rows)), workflow, nurse, time_limit=0.0)

    asked = iter([False] * 4 + [True] * 10)  # three rows read, one proposed, then stopping
    report = import_plan(BytesIO(workbook(*rows)), workflow, nurse, stop=lambda: next(asked))

    assert [row for row, _ in report.created] == [2]
    [problem] = report.problems
    assert problem.reason.startswith("Rows 3 to 4 were not imported")
    assert "Import the same file again to continue" in problem.reason
