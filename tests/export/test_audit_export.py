"""`clearpost audit export`: the trail an auditor opens, with people's words kept inert."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from adapters.cli import main
from bot.commands import ProposeRequest
from bot.domain import Person
from bot.ports import SystemClock
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.conftest import ZONE, make_workflow
from tests.fakes import FakeNotifier

NURSE = Person("console", "nurse", "@SUM(1+1)")  # a display name is whatever people typed
OFFICER = Person("console", "officer", "Olga Officer")
REASON = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def env(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARPOST_DATABASE_URL", f"sqlite:///{tmp_path / 'trail.db'}")
    monkeypatch.setenv("CLEARPOST_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("CLEARPOST_TIMEZONE", ZONE.key)
    monkeypatch.chdir(tmp_path)
    engine = make_engine(f"sqlite:///{tmp_path / 'trail.db'}")
    upgrade(engine)
    workflow = make_workflow(engine, SystemClock(), FakeNotifier())  # type: ignore[arg-type]
    request = ProposeRequest(channels=("x-main",), when="tomorrow 9am", text="Flu shots")
    post = workflow.propose(request, by=NURSE)
    workflow.request_changes(post.id, OFFICER, reason=REASON)
    engine.dispose()
    return tmp_path


def days() -> list[str]:
    today = datetime.now(UTC).astimezone(ZONE).date()
    return ["--from", str(today - timedelta(days=1)), "--to", str(today + timedelta(days=1))]


def test_the_xlsx_trail_names_who_when_what_and_keeps_formulas_as_text(env, capsys):
    code = main(["audit", "export", *days(), "-o", "trail.xlsx"])

    assert code == 0
    assert "Wrote trail.xlsx: 2 audit events" in capsys.readouterr().out
    ws = openpyxl.load_workbook(env / "trail.xlsx")["Audit trail"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "When (America/New_York)",
        "When (UTC)",
        "Post",
        "Who",
        "Who (platform id)",
        "Platform",
        "Action",
    )
    proposed, sent_back = rows[1], rows[2]
    assert proposed[2:7] == (1, "@SUM(1+1)", "nurse", "console", "proposed")
    assert sent_back[3:12] == (
        "Olga Officer",
        "officer",
        "console",
        "changes_requested",
        "in review",
        "changes requested",
        None,
        sent_back[10],
        REASON,
    )
    assert len(sent_back[10]) == 64  # the revision's hash
    utc = proposed[1].replace(tzinfo=UTC)  # the practice's wall clock and UTC side by side
    assert proposed[0] == utc.astimezone(ZONE).replace(tzinfo=None)
    for ref in ("D2", "L3"):  # text, never a formula, even after someone edits the cell
        assert ws[ref].data_type == "s" and ws[ref].quotePrefix


def test_the_csv_trail_defuses_formulas_with_an_apostrophe(env):
    assert main(["audit", "export", *days(), "-o", "trail.csv"]) == 0

    with (env / "trail.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][3] == "'@SUM(1+1)"
    assert rows[2][11] == "'" + REASON
    utc = datetime.fromisoformat(rows[2][1])
    assert utc.utcoffset() == timedelta(0)
    assert rows[2][0] == utc.astimezone(ZONE).isoformat(timespec="seconds")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--from", "2026-13-01", "--to", "2026-12-31", "-o", "t.xlsx"],
            "“2026-13-01” after --from",
        ),
        (["--from", "2026-12-01", "--to", "2026-11-01", "-o", "t.xlsx"], "is before --from"),
        (["--from", "2026-11-01", "--to", "2026-12-01", "-o", "t.pdf"], "neither .xlsx nor .csv"),
        (["--from", "2026-11-01", "--to", "2026-12-01", "-o", "no/t.csv"], "There is no folder"),
    ],
)
def test_bad_dates_and_paths_are_a_sentence_and_exit_2(env, capsys, args, said):
    code = main(["audit", "export", *args])

    assert code == 2
    assert said in capsys.readouterr().err
    assert not list(env.glob("t.*"))
