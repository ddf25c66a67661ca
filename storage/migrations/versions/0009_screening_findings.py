"""screening findings kept as data with each revision; an approval's screening override

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 11:30:00

Until 0008 a revision kept what screening found only as the sentences reviewers read, and the
approval gate read severity and kind back out of them. This converts those sentences, once, into
findings (the shape storage/mapping.py reads): this file is the only place the old wording is
read, so it carries its own copy of that wording as it was at 0008. Sentences that are not
findings (a network's limits, the old fallback's prompts) stay display only, as they were.

An override recorded before (the audit event `screening_overridden`) is carried onto the
approval given with it, so that it covers the later stages of that revision.
"""

import json
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the sentences said for each category at 0008 (bot/screening.py CATEGORY_NAMES then).
_CATEGORIES_AT_0007 = {
    "a person's name": "name",
    "a date tied to a person": "date",
    "an age over 89": "age",
    "a phone number": "phone",
    "a fax number": "fax",
    "an e-mail address": "email",
    "an address or a place smaller than a state": "address",
    "a record, account, plan, licence, device or other identifying number": "id",
    "a link or handle pointing at a person": "url",
    "a photo or video of a patient": "photo",
    "medical-claims language": "claim",
    "a banned word": "banned",
    "a post without its required disclaimer": "disclaimer",
}
# bot/screening.py sentence() and bot/disclaimers.py at 0008.
_SENTENCE = re.compile(
    r'^(?:Possible PHI|Compliance) \((?P<severity>high|medium|low)\): "(?P<excerpt>.*)"'
    r"(?: \(in (?P<where>.*)\))? looks like (?P<what>"
    + "|".join(re.escape(w) for w in sorted(_CATEGORIES_AT_0007, key=len, reverse=True))
    + r"): (?P<why>.*)\. Suggested fix: (?P<fix>.*)\.$",
    re.S,
)
_MEDIA = re.compile(r'^the media file name "(?P<name>.*)"$', re.S)
_ALT = re.compile(r'^the alt text of "(?P<name>.*)"$', re.S)
_OWN_TEXT = re.compile(r"^(?P<channel>.*)'s own text$", re.S)
_OVERRIDE_REASON = re.compile(r"^(?P<reason>.*) \(findings overridden: (?P<kinds>[^()]*)\)$", re.S)


def _place(where: str | None, row: Any) -> tuple[str, str, str]:
    """(field, name, the field's text) for the sentence's "(in ...)"."""
    overrides: dict[str, str] = json.loads(row.overrides or "{}")
    if not where:
        return "text", "", row.text
    if where == "the link":
        return "link", "", row.link or ""
    media = _MEDIA.match(where)
    if media:
        name = media.group("name")
        return "media", name, re.sub(r"[-_.+%]", " ", name)  # as post_fields read it
    alt = _ALT.match(where)
    if alt:
        return "alt", alt.group("name"), _alt_text(alt.group("name"), row)
    own = _OWN_TEXT.match(where)
    if own and own.group("channel") in overrides:
        channel = own.group("channel")
        return "override", channel, overrides[channel]
    return "override", "", ""  # "a channel's own text": which one is found by its excerpt


def _alt_text(name: str, row: Any) -> str:
    """The description of the media item whose file is called `name` (as post_fields named it)."""
    alts: list[str] = json.loads(row.media_alt or "[]")
    for index, item in enumerate(json.loads(row.media or "[]")):
        stored = item.split("#", 1)[1] if item.startswith("media:") and "#" in item else ""
        if (stored or item.rstrip("/").rsplit("/", 1)[-1].split("?")[0]) == name:
            return alts[index] if index < len(alts) else ""
    return ""


def _finding(sentence: str, row: Any) -> dict[str, Any] | None:
    match = _SENTENCE.match(sentence)
    if match is None:
        return None
    excerpt = match.group("excerpt")
    field, name, text = _place(match.group("where"), row)
    # The sentence showed line breaks as spaces; a space may stand for either.
    pattern = re.compile(re.escape(excerpt).replace(r"\ ", "[ \n]"))
    candidates = [(name, text)] if text else list(json.loads(row.overrides or "{}").items())
    if match.group("what") == "a post without its required disclaimer":
        pattern = re.compile(pattern.pattern + r"\Z")  # the excerpt was the text's last words
    start = end = -1  # not found in the field any more: the excerpt still says what it was
    for channel, candidate in candidates:
        found = pattern.search(candidate)
        if found:
            name, start, end = channel, found.start(), found.end()
            excerpt = found.group()
            break
    return {
        "category": _CATEGORIES_AT_0007[match.group("what")],
        "severity": match.group("severity"),
        "start": start,
        "end": end,
        "field": field,
        "name": name,
        "excerpt": excerpt,
        "why": match.group("why"),
        "fix": match.group("fix"),
    }


def _convert_revisions(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.text("SELECT id, text, overrides, media, media_alt, link, problems FROM revision ORDER BY id")
    )
    update = sa.text("UPDATE revision SET findings = :findings WHERE id = :id")
    for row in rows.fetchall():
        findings = [f for p in json.loads(row.problems or "[]") if (f := _finding(p, row))]
        if findings:
            stored = json.dumps(findings, ensure_ascii=False)
            connection.execute(update, {"findings": stored, "id": row.id})


def _carry_overrides(connection: sa.Connection) -> None:
    """The approval given in the same move as each recorded override: same post, person,
    revision and moment."""
    events = connection.execute(
        sa.text(
            "SELECT post_id, actor_platform, actor_user_id, revision_hash, at, reason "
            "FROM audit_event WHERE action = 'screening_overridden'"
        )
    )
    update = sa.text(
        "UPDATE approval SET override_reason = :reason, overridden = :kinds "
        "WHERE post_id = :post_id AND by_platform = :platform AND by_user_id = :user_id "
        "AND revision_hash = :hash AND at = :at"
    )
    for event in events.fetchall():
        match = _OVERRIDE_REASON.match(event.reason or "")
        if match is None:
            continue
        kinds = [k.strip() for k in match.group("kinds").split(",") if k.strip()]
        connection.execute(
            update,
            {
                "reason": match.group("reason"),
                "kinds": json.dumps(kinds),
                "post_id": event.post_id,
                "platform": event.actor_platform,
                "user_id": event.actor_user_id,
                "hash": event.revision_hash,
                "at": event.at,
            },
        )


_TEXT = sqlmodel.sql.sqltypes.AutoString()  # as tables.py's `str` columns


def upgrade() -> None:
    # Plain ADD COLUMN with a server default fills the rows already there; no batch rebuild on
    # SQLite, since dropping `revision` to rebuild it would break the approvals' foreign key.
    op.add_column("revision", sa.Column("findings", _TEXT, nullable=False, server_default="[]"))
    op.add_column("approval", sa.Column("override_reason", _TEXT, nullable=True))
    op.add_column("approval", sa.Column("overridden", _TEXT, nullable=False, server_default="[]"))
    connection = op.get_bind()
    _convert_revisions(connection)
    _carry_overrides(connection)


def downgrade() -> None:
    # The sentences were never changed, so 0007's gate reads them as before. DROP COLUMN is
    # native in PostgreSQL and SQLite >= 3.35.
    for table, column in (
        ("approval", "overridden"),
        ("approval", "override_reason"),
        ("revision", "findings"),
    ):
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
