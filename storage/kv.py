"""Small platform state that must survive a restart, in the `key_value` table.

Adapters keep things here that are theirs alone (a Teams conversation reference, which chats a
user can be reached in); posts and decisions never live here.
"""

from __future__ import annotations

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.ports import Clock, SystemClock
from storage.tables import KeyValueRow


class SqlKeyValueStore:
    """`KeyValueStore` over SQLModel; each call is its own short transaction."""

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()

    def get(self, key: str) -> str | None:
        with Session(self.engine) as session:
            row = session.execute(
                select(KeyValueRow.value).where(KeyValueRow.key == key)
            ).scalar_one_or_none()
            return row

    def put(self, key: str, value: str) -> None:
        """Insert or replace."""
        now = self.clock.now()
        with Session(self.engine) as session:
            try:
                changed = session.execute(
                    update(KeyValueRow)
                    .where(KeyValueRow.key == key)
                    .values(value=value, updated_at=now)
                ).rowcount
                if not changed:
                    row = {"key": key, "value": value, "updated_at": now}
                    session.execute(insert(KeyValueRow).values(**row))
                session.commit()
            except IntegrityError:
                # Someone inserted the same key between our update and insert: theirs is as new.
                # (The database refuses the INSERT itself, not only the commit.)
                session.rollback()

    def put_new(self, key: str, value: str) -> bool:
        """Insert only if absent; False when the key was already there (a redelivery)."""
        with Session(self.engine) as session:
            try:
                session.execute(
                    insert(KeyValueRow).values(key=key, value=value, updated_at=self.clock.now())
                )
                session.commit()
            except IntegrityError:  # raised by the INSERT itself: the key is taken
                session.rollback()
                return False
            return True
