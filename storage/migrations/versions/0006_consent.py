"""patient consents recorded for a post

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import storage.tables
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('form_ref', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('recorded_by_platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('recorded_by_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('recorded_by_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('recorded_at', storage.tables.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_consent_post_id'), 'consent', ['post_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_consent_post_id'), table_name='consent')
    op.drop_table('consent')
