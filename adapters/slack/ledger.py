"""Which Events API deliveries were already handled. Slack retries an event when our answer was
late or lost (X-Slack-Retry-Num), so handling it again would record a comment twice.

Kept in the key_value table so a restart between the delivery and its retry changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError

from storage.tables import KeyValueRow


class EventLedger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def first_time(self, event_id: str) -> bool:
        """True exactly once per event id, however many threads or processes ask."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(KeyValueRow).values(
                        key=f"slack:event:{event_id}"[:255],
                        value="handled",
                        updated_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            return False
        return True
