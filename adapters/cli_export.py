"""`clearpost export`, `clearpost import`, `clearpost template`: the calendar on the command line.

clearpost export [--from 2026-12] [--to 2027-01] [--channel x-main]… [--status approved]…
                 -o calendar.xlsx
clearpost export --ics -o calendar.ics
clearpost import plan.xlsx [--as slack:U024BE7LH]
clearpost template -o plan.xlsx
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from adapters.ics import write_ics
from adapters.spreadsheets.calendar_xlsx import write_calendar
from adapters.spreadsheets.plan_import import import_plan, write_template
from bot.calendar.model import FEED_STATES
from bot.calendar.selection import parse_selection, stream_posts
from bot.domain import Person
from bot.errors import UsageError


def _say(text: str) -> None:
    # ruff bans print() outside adapters/cli.py; this module is part of the same command line.
    sys.stdout.write(text + "\n")


def _core() -> Any:
    from adapters.cli import open_core  # late: adapters.cli imports this module's register()

    return open_core(quiet=True)


def cmd_export(args: argparse.Namespace) -> int:
    core = _core()
    try:
        workflow = core.workflow
        states = args.status or ([s.value for s in FEED_STATES] if args.ics else [])
        selection = parse_selection(workflow, args.start, args.end, args.channel or [], states)
        posts = stream_posts(workflow, selection.query())
        out = Path(args.output)
        if args.ics:
            data = write_ics(
                posts,
                now=core.clock.now(),
                public_base_url=core.settings.public_base_url,
            )
            partial = out.with_name(f".{out.name}.partial")
            partial.write_bytes(data)
            partial.replace(out)
            _say(f"Wrote {out} ({data.count(b'BEGIN:VEVENT')} events, {selection.describe()}).")
            return 0
        result = write_calendar(
            posts,
            out,
            zone=selection.zone,
            start=selection.start,
            end=selection.end,
            channels=selection.channels,
            description=selection.describe(),
            now=core.clock.now(),
        )
        _say(f"Wrote {out}: {result.posts} posts, {result.rows} rows ({selection.describe()}).")
        return 0
    finally:
        core.shutdown()


def _person(ref: str | None) -> Person:
    if not ref:
        return Person("cli", getpass.getuser(), getpass.getuser())
    platform, sep, user_id = ref.partition(":")
    if not sep or not platform or not user_id:
        raise UsageError(f"“{ref}” is not a person reference.", "--as slack:U024BE7LH")
    return Person(platform, user_id)


def cmd_import(args: argparse.Namespace) -> int:
    proposer = _person(args.as_person)
    core = _core()
    try:
        report = import_plan(args.file, core.workflow, proposer)
    finally:
        core.shutdown()
    _say(report.summary())
    if report.created and proposer.platform == "cli":
        _say("The proposals wait for approval; use --as slack:<user id> to open their threads.")
    return 1 if report.problems else 0


def cmd_template(args: argparse.Namespace) -> int:
    from adapters.cli import load_settings

    settings = load_settings()
    channels = sorted(settings.channels)
    write_template(args.output, channels, settings.timezone)
    _say(f"Wrote {args.output} with channels {', '.join(channels) or '(none configured)'}.")
    return 0


def register(sub: Any) -> None:
    export = sub.add_parser("export", help="write the content calendar (.xlsx, or .ics)")
    export.add_argument("--from", dest="start", help="first month or day, e.g. 2026-12")
    export.add_argument("--to", dest="end", help="last month or day (included), e.g. 2027-01")
    export.add_argument("--channel", action="append", help="only this channel (repeatable)")
    export.add_argument("--status", action="append", help="only this state (repeatable)")
    export.add_argument("--ics", action="store_true", help="write an iCalendar file instead")
    export.add_argument("-o", "--output", required=True, help="the file to write")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="propose each row of a filled plan workbook")
    imp.add_argument("file", help="the .xlsx plan (see `clearpost template`)")
    imp.add_argument(
        "--as", dest="as_person", help="who proposes, as platform:user_id (default: you, on cli)"
    )
    imp.set_defaults(func=cmd_import)

    template = sub.add_parser("template", help="write an empty plan workbook to fill in")
    template.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    template.set_defaults(func=cmd_template)
