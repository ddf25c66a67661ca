"""Recorded patient consents (bot/consent.py): one row per signed form noted for a post."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, select

from bot.consent import Consent
from bot.people import Person
from storage.tables import utc_field


class ConsentRow(SQLModel, table=True):
    __tablename__ = "consent"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(index=True)
    who: str = Field(max_length=255)
    form_ref: str = Field(max_length=255)
    recorded_by_platform: str = Field(max_length=32)
    recorded_by_id: str = Field(max_length=255)
    recorded_by_name: str = Field(max_length=255)
    recorded_at: datetime = utc_field()


class SqlConsentBook:
    """Consents in the `consent` table (migration 0006)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, consent: Consent) -> None:
        by = consent.recorded_by
        with Session(self.engine) as session:
            session.add(
                ConsentRow(
                    post_id=consent.post_id,
                    who=consent.who[:255],
                    form_ref=consent.form_ref[:255],
                    recorded_by_platform=by.platform,
                    recorded_by_id=by.user_id,
                    recorded_by_name=by.name,
                    recorded_at=consent.recorded_at,
                )
            )
            session.commit()

    def for_post(self, post_id: int) -> Sequence[Consent]:
        query = select(ConsentRow).where(ConsentRow.post_id == post_id).order_by(ConsentRow.id)
        with Session(self.engine) as session:
            return [
                Consent(
                    post_id=row.post_id,
                    who=row.who,
                    form_ref=row.form_ref,
                    recorded_by=Person(
                        row.recorded_by_platform, row.recorded_by_id, row.recorded_by_name
                    ),
                    recorded_at=row.recorded_at,
                )
                for row in session.exec(query)
            ]
