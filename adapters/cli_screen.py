"""`clearpost screen`: screen text for PHI and claims without proposing it.

    clearpost screen draft.txt          # or stdin: the findings as sentences
    clearpost screen --jsonl < posts.jsonl

With --jsonl each input line is {"id": "...", "text": "...", "practice": {...}} ("practice" is
optional and replaces the configured `[practice]` for that line) and each is answered at once,
flushed, with {"id", "flag", "score", "findings": [{"start", "end", "category", "severity",
"why"}]}; offsets are Python string indices into "text". "flag" is true when any finding is
more than a low-severity hint. A line that cannot be read is answered
with {"id", "error"} and the rest go on. Nothing is sent anywhere: screening runs in-process.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import IO, Any

from adapters.screening import ContextScreener, Practice, score
from adapters.screening.detector import flags
from bot.screening import sentence


def _configured_practice() -> Practice:
    from adapters.cli import load_settings

    return Practice.from_mapping(load_settings().practice.model_dump())


def answer(line: str, default: ContextScreener) -> dict[str, Any]:
    """One JSONL request line -> its answer object."""
    ident: Any = None
    try:
        request = json.loads(line)
        if not isinstance(request, Mapping):
            raise ValueError("each line must be a JSON object")
        ident = request.get("id")
        text = request.get("text")
        if not isinstance(text, str):
            raise ValueError('"text" must be a string')
        practice = request.get("practice")
        if practice is not None and not isinstance(practice, Mapping):
            raise ValueError('"practice" must be an object')
        screener = (
            default if practice is None else default.with_practice(Practice.from_mapping(practice))
        )
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        return {"id": ident, "error": str(exc)}
    findings = screener.findings(text)
    return {
        "id": ident,
        "flag": flags(findings),
        "score": score(findings),
        "findings": [
            {
                "start": f.start,
                "end": f.end,
                "category": f.category,
                "severity": f.severity,
                "why": f.why,
            }
            for f in findings
        ],
    }


def screen_jsonl(source: IO[str], out: IO[str], screener: ContextScreener) -> int:
    for line in iter(source.readline, ""):
        if not line.strip():
            continue
        out.write(json.dumps(answer(line, screener), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def screen_text(text: str, out: IO[str], screener: ContextScreener) -> int:
    findings = screener.findings(text)
    for f in findings:
        out.write(sentence(f, text) + "\n")
    if not findings:
        out.write("No findings. (Screening prompts a reviewer; it proves nothing on its own.)\n")
    return 1 if findings else 0


def cmd_screen(args: argparse.Namespace) -> int:
    screener = ContextScreener(_configured_practice())
    if args.jsonl:
        if args.file and args.file != "-":
            with open(args.file, encoding="utf-8") as source:
                return screen_jsonl(source, sys.stdout, screener)
        return screen_jsonl(sys.stdin, sys.stdout, screener)
    if args.file and args.file != "-":
        with open(args.file, encoding="utf-8") as source:
            text = source.read()
    else:
        text = sys.stdin.read()
    return screen_text(text, sys.stdout, screener)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "screen",
        help="screen text for PHI and claims language (exit 1 when something was found)",
    )
    parser.add_argument("file", nargs="?", help="a text file (default: stdin)")
    parser.add_argument(
        "--jsonl", action="store_true", help="one JSON request per line in, one answer per line out"
    )
    parser.set_defaults(func=cmd_screen)
