"""`clearpost audit`: verify the trail, export it, purge what is past retention.

clearpost audit verify
clearpost audit export --from 2026-01-01 --to 2026-12-31 -o trail.xlsx|trail.csv
clearpost audit purge --before 2019-01-01 --confirm-purge-past-retention

`verify` exits 1 on any finding (each named on its own line), 0 with a one-line summary; a clean
run appends a signed checkpoint when [audit] checkpoint_file and CLEARPOST_AUDIT_KEY are set.
Bad dates, paths or settings end with a sentence and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from adapters.audit_checkpoints import append_checkpoint, read_checkpoints
from adapters.audit_settings import AuditSettings
from bot.audit_chain import Checkpoint
from bot.errors import UsageError
from bot.ports import Clock, SystemClock


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _open(settings: Any) -> Engine:
    from storage.engine import make_engine
    from storage.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)  # a database from before the chain is linked first (migration 0003)
    return engine


def _checkpoint_file(audit: AuditSettings) -> tuple[Path, bytes] | None:
    if not audit.checkpoint_file:
        return None
    if audit.key is None:
        raise UsageError(
            "[audit] checkpoint_file is set but CLEARPOST_AUDIT_KEY is not, so checkpoints can "
            "be neither checked nor signed.",
            "export CLEARPOST_AUDIT_KEY=<the key the checkpoints were signed with>",
        )
    return Path(audit.checkpoint_file), audit.key.get_secret_value().encode()


def cmd_verify(args: argparse.Namespace, clock: Clock | None = None) -> int:
    from adapters.cli import load_settings
    from storage.audit_verify import verify_database

    settings = load_settings()
    store = _checkpoint_file(settings.audit)
    signed, bad = read_checkpoints(*store) if store else ([], [])
    engine = _open(settings)
    try:
        report = verify_database(engine, signed)
    finally:
        engine.dispose()
    findings = bad + report.findings
    if findings:
        _say(f"The audit trail has {len(findings)} problem(s):")
        for finding in findings:
            _say(f"  - {finding}")
        return 1
    summary = (
        f"Audit trail intact: {report.links} chain entries, {report.events} events, "
        f"{report.posts} posts"
    )
    if store is None:
        _say(summary + "; no checkpoint file is set, so a rollback could not be checked.")
        return 0
    path, key = store
    now = (clock or SystemClock()).now()
    append_checkpoint(path, key, Checkpoint(report.head_seq, report.head_hash, now))
    _say(summary + f"; agrees with {len(signed)} checkpoint(s); checkpoint added to {path}.")
    return 0


def parse_day(value: str, flag: str, zone: ZoneInfo) -> datetime:
    """A YYYY-MM-DD day's first moment in the practice's zone, as an aware time."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"“{value}” after {flag} is not a date; write it as year-month-day.",
            f"{flag} 2026-01-31",
        ) from None
    return datetime.combine(day, time(), tzinfo=zone)


def cmd_export(args: argparse.Namespace) -> int:
    from adapters.audit_export import check_output, trail_rows, write_trail
    from adapters.cli import load_settings
    from storage.audit_chain import events_between, purges_between

    settings = load_settings()
    zone = settings.zone
    start = parse_day(args.start, "--from", zone)
    end = parse_day(args.end, "--to", zone) + timedelta(days=1)  # --to's day is included
    if end <= start:
        raise UsageError(f"--to {args.end} is before --from {args.start}; nothing to export.")
    out = Path(args.output)
    check_output(out)  # before the database is opened: a typo costs nothing
    engine = _open(settings)
    try:
        with Session(engine) as session:
            purges = purges_between(session, start, end)
            rows = trail_rows(events_between(session, start, end), purges)
            count = write_trail(rows, out, zone)
    finally:
        engine.dispose()
    _say(f"Wrote {out}: {count} audit events from {args.start} to {args.end} ({zone.key}).")
    return 0


CONFIRM = "--confirm-purge-past-retention"


def cmd_purge(args: argparse.Namespace, clock: Clock | None = None) -> int:
    from adapters.cli import load_settings
    from adapters.cli_export import _person
    from storage.audit_purge import purge_before

    settings = load_settings()
    before = parse_day(args.before, "--before", settings.zone)
    if not args.confirmed:
        raise UsageError(
            f"A purge deletes posts and their audit trail for good; say so with {CONFIRM}.",
            f"clearpost audit purge --before {args.before} {CONFIRM}",
        )
    by = _person(args.as_person)
    engine = _open(settings)
    try:
        now = (clock or SystemClock()).now()
        result = purge_before(engine, before, now, settings.audit.retention_years, by)
    finally:
        engine.dispose()
    if result.link is None:
        _say(f"Nothing had ended before {args.before}; nothing was purged.")
        return 0
    _say(
        f"Purged {len(result.posts)} post(s) and {result.events} audit event(s) from before "
        f"{args.before}; recorded as chain entry {result.link.seq} by {by.ref}."
    )
    return 0


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="verify, export or purge the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_sub.add_parser("verify", help="check the trail; exit 1 if anything changed")
    verify.set_defaults(func=cmd_verify)
    export = audit_sub.add_parser("export", help="write the trail to .xlsx or .csv")
    export.add_argument("--from", dest="start", required=True, help="first day, e.g. 2026-01-01")
    export.add_argument("--to", dest="end", required=True, help="last day (included)")
    export.add_argument("-o", "--output", required=True, help="trail.xlsx or trail.csv")
    export.set_defaults(func=cmd_export)
    purge = audit_sub.add_parser(
        "purge", help="remove posts that ended before a past-retention day"
    )
    purge.add_argument("--before", required=True, help="the day, e.g. 2019-01-01")
    purge.add_argument(CONFIRM, dest="confirmed", action="store_true", help="yes, delete them")
    purge.add_argument("--as", dest="as_person", help="who purges, as platform:user_id")
    purge.set_defaults(func=cmd_purge)
