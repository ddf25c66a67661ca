"""Signed checkpoints of the audit chain, one JSON line each, in a file outside the database.

A line is {"seq", "hash", "at", "mac"}: the chain's length and last hash when `clearpost audit
verify` last found it intact, and an HMAC-SHA256 of those with CLEARPOST_AUDIT_KEY. Someone who
can rewrite the database but not this file (or the key) cannot roll the trail back unseen.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from bot.audit_chain import Checkpoint


def read_checkpoints(path: Path, key: bytes) -> tuple[list[tuple[Checkpoint, str]], list[str]]:
    """The checkpoints signed with `key`, each with where it is; and a sentence per bad line."""
    signed: list[tuple[Checkpoint, str]] = []
    bad: list[str] = []
    if not path.exists():
        return signed, bad
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path.name} line {number}"
            try:
                data = json.loads(line)
                checkpoint = Checkpoint(
                    int(data["seq"]), str(data["hash"]), datetime.fromisoformat(data["at"])
                )
                mac = str(data["mac"])
            except (ValueError, KeyError, TypeError):
                bad.append(f"{where} is not a checkpoint: the file was edited")
                continue
            if checkpoint.signed_by(key, mac):
                signed.append((checkpoint, where))
            else:
                bad.append(f"{where} is not signed with this key: it was edited or forged")
    return signed, bad


def append_checkpoint(path: Path, key: bytes, checkpoint: Checkpoint) -> None:
    line = json.loads(checkpoint.payload()) | {"mac": checkpoint.sign(key)}
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
