"""`clearpost template`, `import` and `export` from the command line, on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta

import openpyxl
import pytest

from adapters.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARPOST_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CLEARPOST_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_filled_template_imports_once_and_exports_back(env, capsys):
    assert main(["template", "-o", "plan.xlsx"]) == 0
    wb = openpyxl.load_workbook(env / "plan.xlsx")
    soon = (datetime.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    wb["Plan"].append([soon, "blog", None, None, "Holiday hours"])
    wb.save(env / "plan.xlsx")

    first = main(["import", "plan.xlsx", "--as", "slack:U024BE7LH"])
    again = main(["import", "plan.xlsx", "--as", "slack:U024BE7LH"])
    exported = main(["export", "-o", "calendar.xlsx"])
    output = capsys.readouterr().out

    assert (first, again, exported) == (0, 0, 0)
    assert "1 proposal created and sent for approval: #1." in output
    assert "1 row already imported: row 2 (post #1)." in output
    posts = openpyxl.load_workbook(env / "calendar.xlsx")["Posts"]
    assert [c.value for c in posts[2]][:5] == [1, soon, posts["C2"].value, "blog", "Holiday hours"]
    assert posts["F2"].value == "in review"


def test_bad_arguments_end_with_a_message_and_status_2(env, capsys):
    code = main(["export", "--from", "2026-13", "-o", "x.xlsx"])

    assert code == 2
    assert "“2026-13” is not a start date" in capsys.readouterr().err
    assert not (env / "x.xlsx").exists()


def test_import_of_a_missing_file_says_so(env, capsys):
    assert main(["import", "nowhere.xlsx"]) == 2
    assert "There is no file nowhere.xlsx." in capsys.readouterr().err
