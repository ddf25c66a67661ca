"""channel credentials, encrypted at rest

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 08:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import storage.tables
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('channel_credential',
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('network', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('sealed', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('expires_at', storage.tables.UTCDateTime(), nullable=True),
    sa.Column('refresh_expires_at', storage.tables.UTCDateTime(), nullable=True),
    sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('account_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('account_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('token_url', sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', storage.tables.UTCDateTime(), nullable=False),
    sa.Column('refresh_error', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
    sa.Column('expiry_warned_for', storage.tables.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('channel')
    )


def downgrade() -> None:
    op.drop_table('channel_credential')
