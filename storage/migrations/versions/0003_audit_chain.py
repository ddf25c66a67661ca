"""audit chain across posts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 08:10:00

Creates the global chain (storage/audit_chain.py) and links every existing event into it in the
order the events happened (time, then post, then the event's number in its post), so a database
upgraded from before it verifies like a new one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import storage.tables
from alembic import op
from bot.audit_chain import extend
from storage.audit_chain import link_values
from storage.mapping import event_from_row
from storage.tables import AuditChainRow, AuditEventRow

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2000


def upgrade() -> None:
    op.create_table('audit_chain',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at', storage.tables.UTCDateTime(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('post_seq', sa.Integer(), nullable=True),
    sa.Column('event_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('audit_chain', schema=None) as batch_op:
        batch_op.create_index('ix_audit_chain_post', ['post_id', 'post_seq'], unique=False)
    _backfill()


def _backfill() -> None:
    connection = op.get_bind()
    head = None
    in_order = sa.select(AuditEventRow.__table__).order_by(
        AuditEventRow.at, AuditEventRow.post_id, AuditEventRow.seq
    )
    rows = connection.execute(in_order, execution_options={"stream_results": True})
    while batch := rows.fetchmany(_BATCH):
        links = extend(head, [event_from_row(r) for r in batch])  # type: ignore[arg-type]
        connection.execute(sa.insert(AuditChainRow.__table__), [link_values(x) for x in links])
        head = links[-1]


def downgrade() -> None:
    with op.batch_alter_table('audit_chain', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_chain_post')
    op.drop_table('audit_chain')
