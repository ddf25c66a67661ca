"""revision.media_alt: each media item's description (alt text)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Revisions from before alt text read back as having none ("[]"), so their hash still holds.
    # A plain ADD / DROP COLUMN (SQLite 3.35+ has both): rebuilding `revision` in batch mode
    # would drop a table that approvals and deliveries point at.
    op.add_column(
        "revision", sa.Column("media_alt", sa.String(), nullable=False, server_default="[]")
    )


def downgrade() -> None:
    op.drop_column("revision", "media_alt")
