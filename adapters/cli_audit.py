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
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

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


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="verify, export or purge the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_sub.add_parser("verify", help="check the trail; exit 1 if anything changed")
    verify.set_defaults(func=cmd_verify)
