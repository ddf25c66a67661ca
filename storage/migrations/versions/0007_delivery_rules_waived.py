"""delivery.rules_waived: an approver published a held delivery anyway

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A server default fills the rows already there; batch mode rebuilds the table on SQLite.
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(
            sa.Column("rules_waived", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("rules_waived")
