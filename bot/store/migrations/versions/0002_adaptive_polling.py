"""adaptive polling: each feed's rate, interval and why

Revision ID: 0002_adaptive_polling
Revises: 0001
Create Date: 2026-12-02 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision = "0002_adaptive_polling"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("poll_interval_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("poll_reason", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("rate_per_hour", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column("last_new_at", bot.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("ttl_seconds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        for name in ("ttl_seconds", "last_new_at", "rate_per_hour", "poll_reason"):
            batch.drop_column(name)
        batch.drop_column("poll_interval_seconds")
