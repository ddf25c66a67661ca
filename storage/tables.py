"""SQLModel table classes, nothing else. Rows are translated to domain objects in sqlmodel_repo.py.

All times are stored as naive UTC and come back aware (UTCDateTime), the same on SQLite and
PostgreSQL. Lists and maps are JSON text so both databases read them the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def utc_field(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)


class PostRow(SQLModel, table=True):
    __tablename__ = "post"
    __table_args__ = (Index("ix_post_state_scheduled", "state", "scheduled_at"),)

    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(max_length=32)
    proposer_platform: str = Field(max_length=32)
    proposer_user_id: str = Field(max_length=128, index=True)
    proposer_name: str = Field(default="", max_length=256)
    tags: str = "[]"
    campaign: str | None = Field(default=None, max_length=256)
    urgent: bool = False
    created_at: datetime = utc_field()
    scheduled_at: datetime = utc_field(index=True)
    current_revision_id: str = Field(max_length=32)
    version: int = 0
    idempotency_key: str | None = Field(default=None, max_length=255, unique=True)
    thread_platform: str | None = Field(default=None, max_length=32)
    thread_channel: str | None = Field(default=None, max_length=255)
    thread_ts: str | None = Field(default=None, max_length=255)
    thread_url: str | None = Field(default=None, max_length=2048)
    audit_seq: int = 0
    audit_head: str = Field(default="", max_length=64)


class RevisionRow(SQLModel, table=True):
    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("post_id", "number"),)

    id: str = Field(primary_key=True, max_length=32)
    post_id: int = Field(foreign_key="post.id", index=True)
    number: int
    text: str
    channels: str  # JSON list
    scheduled_at: datetime = utc_field()
    overrides: str = "{}"  # JSON map channel -> text
    media: str = "[]"  # JSON list
    media_alt: str = "[]"  # JSON list: each media item's description, in the order of `media`
    link: str | None = None
    notes: str | None = None
    author_platform: str = Field(max_length=32)
    author_user_id: str = Field(max_length=128)
    author_name: str = Field(default="", max_length=256)
    created_at: datetime = utc_field()
    hash: str = Field(max_length=64)
    problems: str = "[]"  # JSON list: the sentences reviewers read
    findings: str = "[]"  # JSON list of screening findings (mapping.py), what approval rests on


class ApprovalRow(SQLModel, table=True):
    __tablename__ = "approval"

    id: str = Field(primary_key=True, max_length=32)
    post_id: int = Field(foreign_key="post.id", index=True)
    revision_id: str = Field(foreign_key="revision.id", max_length=32)
    revision_hash: str = Field(max_length=64)
    by_platform: str = Field(max_length=32)
    by_user_id: str = Field(max_length=128)
    by_name: str = Field(default="", max_length=256)
    at: datetime = utc_field()
    voided: bool = False
    override_reason: str | None = None  # approved over screening findings, for this reason
    overridden: str = "[]"  # JSON list of the finding categories that override let through


class DeliveryRow(SQLModel, table=True):
    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("post_id", "channel"),
        Index("ix_delivery_state_due", "state", "due_at"),
    )

    id: str = Field(primary_key=True, max_length=32)
    post_id: int = Field(foreign_key="post.id", index=True)
    channel: str = Field(max_length=128)
    state: str = Field(max_length=32)
    due_at: datetime = utc_field()
    attempts: int = 0
    external_id: str | None = Field(default=None, max_length=512)
    url: str | None = Field(default=None, max_length=2048)
    last_error: str | None = None
    next_attempt_at: datetime | None = utc_field(default=None)
    rules_waived: bool = False  # an approver published it anyway after a blackout hold


class AuditEventRow(SQLModel, table=True):
    """Append-only: the repository inserts these and never updates or deletes them."""

    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("post_id", "seq"),
        Index("ix_audit_event_at", "at", "post_id", "seq"),  # exports and purges read by time
    )

    id: str = Field(primary_key=True, max_length=32)
    post_id: int = Field(foreign_key="post.id", index=True)
    seq: int
    at: datetime = utc_field()
    actor_platform: str = Field(max_length=32)
    actor_user_id: str = Field(max_length=128)
    actor_name: str = Field(default="", max_length=256)
    action: str = Field(max_length=64)
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str | None = Field(default=None, max_length=32)
    revision_hash: str | None = Field(default=None, max_length=64)
    reason: str | None = None
    channel: str | None = Field(default=None, max_length=128)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditChainRow(SQLModel, table=True):
    """One link of the chain across every post (bot/audit_chain.py). Append-only; a purge
    deletes events but keeps their links (numbers and hashes, no words)."""

    __tablename__ = "audit_chain"
    __table_args__ = (Index("ix_audit_chain_post", "post_id", "post_seq"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    kind: str = Field(max_length=16)
    at: datetime = utc_field()
    post_id: int | None = None
    post_seq: int | None = None
    event_hash: str = Field(max_length=64)
    detail: str | None = None
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class KeyValueRow(SQLModel, table=True):
    """Small platform state that must survive a restart (e.g. a Teams conversation reference)."""

    __tablename__ = "key_value"

    key: str = Field(primary_key=True, max_length=255)
    value: str
    updated_at: datetime = utc_field()


class ChannelCredentialRow(SQLModel, table=True):
    """One channel's account credentials. `sealed` is the encrypted JSON of its secrets (access
    and refresh token, OAuth 1.0a token secret); everything else is in clear because `clearpost
    channels check` and the expiry sweep read it without the key. See storage/credentials.py."""

    __tablename__ = "channel_credential"

    channel: str = Field(primary_key=True, max_length=128)
    network: str = Field(max_length=32)
    kind: str = Field(default="oauth2", max_length=32)
    sealed: str
    expires_at: datetime | None = utc_field(default=None)
    refresh_expires_at: datetime | None = utc_field(default=None)
    scopes: str = ""  # space-separated, as OAuth sends them
    account_id: str | None = Field(default=None, max_length=255)
    account_name: str | None = Field(default=None, max_length=255)
    token_url: str | None = Field(default=None, max_length=2048)
    refreshable: bool = False  # it has a refresh token (which stays sealed)
    version: int = 0
    updated_at: datetime = utc_field()
    refresh_error: str | None = Field(default=None, max_length=512)
    expiry_warned_for: datetime | None = utc_field(default=None)
