"""`clearpost screen`: sentences for a file or stdin; the JSONL protocol, answered line by line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from adapters.cli_screen import answer
from adapters.screening import ContextScreener, Practice

CLINIC = ContextScreener(Practice.from_mapping({"phones": ["217-555-0142"]}))


def run_screen(args: list[str], stdin: str, cwd: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARPOST_")}
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", "screen", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**env, "PYTHONPATH": os.getcwd()},
        timeout=60,
    )


def test_a_jsonl_answer_has_the_documented_shape_and_offsets_into_the_text() -> None:
    line = json.dumps({"id": "p1", "text": "Our patient Maria turned 95!"})

    result = answer(line, CLINIC)

    assert result["id"] == "p1" and result["flag"] is True and 0 < result["score"] <= 1
    assert [("Maria", "name"), ("95", "age")] == [
        ("Our patient Maria turned 95!"[f["start"] : f["end"]], f["category"])
        for f in result["findings"]
    ]
    assert set(result["findings"][0]) == {"start", "end", "category", "severity", "why"}


def test_a_lines_practice_replaces_the_configured_one_for_that_line() -> None:
    text = "Call 217-555-0199 to book"

    assert answer(json.dumps({"id": 1, "text": text}), CLINIC)["flag"] is True
    overridden = {"id": 2, "text": text, "practice": {"phones": ["(217) 555-0199"]}}
    assert answer(json.dumps(overridden), CLINIC) == {
        "id": 2,
        "flag": False,
        "score": 0.0,
        "findings": [],
    }


def test_a_line_that_cannot_be_read_is_answered_with_an_error_and_the_rest_go_on() -> None:
    assert "error" in answer("not json", CLINIC)
    assert answer(json.dumps({"id": "x", "text": 5}), CLINIC) == {
        "id": "x",
        "error": '"text" must be a string',
    }
    bad_practice = {"id": "y", "text": "hi", "practice": {"nmae": "typo"}}
    assert "nmae" in answer(json.dumps(bad_practice), CLINIC)["error"]


def test_each_jsonl_line_is_answered_before_the_next_is_sent(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARPOST_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "screen", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": os.getcwd()},
    )
    assert process.stdin and process.stdout
    try:
        process.stdin.write(json.dumps({"id": "a", "text": "Welcome back, Bobby!"}) + "\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())  # stdin still open: answered at once
        process.stdin.write(json.dumps({"id": "b", "text": "Flu shots are in!"}) + "\n")
        process.stdin.close()
        second = json.loads(process.stdout.readline())
    finally:
        process.wait(timeout=60)

    assert (first["id"], first["flag"]) == ("a", True)
    assert (second["id"], second["flag"]) == ("b", False)


def test_plain_text_gets_sentences_and_exit_status_one_when_something_was_found(tmp_path) -> None:
    found = run_screen([], "Congrats to our patient Rosa on her new hip!\n", str(tmp_path))
    clean = run_screen([], "Flu shots are in! Walk-ins welcome.\n", str(tmp_path))

    assert found.returncode == 1
    assert found.stdout.startswith('Possible PHI (high): "Rosa"')
    assert clean.returncode == 0
    assert clean.stdout.startswith("No findings.")
