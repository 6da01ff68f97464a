"""Engine and session factory. One AsyncSession per unit of work, never shared."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.errors import ConfigError, StartupError
from bot.ops.logs import redact_secrets

SessionFactory = async_sessionmaker[AsyncSession]


def parse_database_url(url: str) -> URL:
    """Validate a database URL; map plain sqlite:// and postgresql:// to the async drivers."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        why = "its port is not a number" if isinstance(exc, ValueError) else "not a valid URL"
        raise ConfigError(f"database url {redact(url)!r}: {why}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise ConfigError(f"database url: unsupported backend '{backend}' (use sqlite or postgresql)")


def redact(url: str) -> str:
    """The URL with any password hidden, for logs and errors."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return redact_secrets(url)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(parsed, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


async def check_connection(engine: AsyncEngine) -> None:
    """Raise StartupError with a clear message when the database cannot be reached."""
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # boundary: any driver error means "cannot reach"
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StartupError(
            f"cannot reach the database at {redact(str(engine.url))}: {reason}"
        ) from None


async def settle_database_closes(seconds: float = 2.0) -> None:
    """A job cancelled mid-query leaves SQLAlchemy closing its connection in a task of its
    own; let those finish before the engine is disposed, or the loop cannot close."""
    await asyncio.sleep(0)
    closing = [
        task
        for task in asyncio.all_tasks()
        if "terminate" in getattr(task.get_coro(), "__qualname__", "")
    ]
    if closing:
        await asyncio.wait(closing, timeout=seconds)
