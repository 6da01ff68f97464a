"""Alembic environment: runs on the connection that bot.store.migrate hands in."""

from __future__ import annotations

from alembic import context

from bot.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via bot.store.migrate
    raise RuntimeError("run migrations with `strikebot db upgrade`")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
