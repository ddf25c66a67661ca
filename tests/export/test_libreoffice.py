"""An export opened by LibreOffice (headless) keeps its values, dates and plain texts."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from python_calamine import CalamineWorkbook

from adapters.spreadsheets.calendar_xlsx import write_calendar
from bot.domain import State
from tests.export.posts import make_post

ZONE = ZoneInfo("America/New_York")
SOFFICE = shutil.which("soffice")


@pytest.fixture(autouse=True)
def _libreoffice_installed() -> None:
    """scripts/test.sh installs LibreOffice and sets REQUIRE_SOFFICE=1: there a missing soffice
    is a failure. A bare `pytest` on a developer's machine may skip these."""
    if SOFFICE is not None:
        return
    missing = "LibreOffice (soffice) is not installed: scripts/setup.sh --test installs it"
    if os.environ.get("REQUIRE_SOFFICE") == "1":
        pytest.fail(missing)
    pytest.skip(missing)


def convert(source: Path, to: str, out_dir: Path, profile: Path) -> Path:
    """One conversion with its own profile directory, so a running LibreOffice is not reused."""
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    converted = out_dir / f"{source.stem}.{to.split(':')[0]}"
    assert converted.exists(), f"LibreOffice wrote no {converted.name}"
    return converted


def test_values_survive_a_round_trip_through_libreoffice(tmp_path):
    posts = [
        make_post(
            1, datetime(2026, 12, 1, 14, tzinfo=UTC), "Flu shots are in!", state=State.PUBLISHED
        ),
        make_post(2, datetime(2026, 12, 3, 15, 30, tzinfo=UTC), "=SUM(1,2)", ("blog",)),
        make_post(
            3,
            datetime(2026, 12, 4, 15, tzinfo=UTC),
            "-20% on flu shots · Grippeimpfung ✓",
            ("blog",),
        ),
    ]
    source = tmp_path / "calendar.xlsx"
    write_calendar(
        posts,
        source,
        zone=ZONE,
        start=datetime(2026, 12, 1, tzinfo=ZONE),
        end=datetime(2027, 1, 1, tzinfo=ZONE),
    )

    converted = convert(source, "ods", tmp_path / "out", tmp_path / "profile")
    book = CalamineWorkbook.from_path(str(converted))
    rows = book.get_sheet_by_name("Posts").to_python()

    assert book.sheet_names == ["Calendar", "Posts", "Summary"]
    assert rows[1][:5] == [
        1,
        datetime(2026, 12, 1, 9, 0),
        "America/New_York (EST)",
        "x-main",
        "Flu shots are in!",
    ]
    # LibreOffice recalculates everything it loads: a formula would have become 3 here.
    assert rows[3][4] == "=SUM(1,2)"
    assert rows[4][4] == "-20% on flu shots · Grippeimpfung ✓"
    assert rows[1][11] == "https://social.example/x-main/1"
    assert rows[3][1] == datetime(2026, 12, 3, 10, 30)
