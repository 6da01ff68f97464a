"""Schema migrations with Alembic, driven from code (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StartupError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent)."""

    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])

    async with engine.connect() as conn:
        return await conn.run_sync(read)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def ensure_schema(engine: AsyncEngine) -> None:
    """On start: SQLite (and an empty PostgreSQL) are upgraded automatically; a PostgreSQL
    schema that is behind must be upgraded by the operator (``strikebot db upgrade``), so a
    rolling deploy never migrates under a running peer."""
    current = await current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if engine.dialect.name == "sqlite" or current is None:
        await upgrade(engine)
        return
    raise StartupError(
        f"the database schema is at revision {current}, this version needs {head}: "
        "run `strikebot db upgrade` first"
    )
