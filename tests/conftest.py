"""Shared fixtures: real databases (SQLite file; PostgreSQL when available)."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.db import create_engine
from bot.store.migrate import upgrade

POSTGRES_ENV = "STRIKEBOT_TEST_POSTGRES_URL"
# python-telegram-bot 22: RetryAfter.retry_after as a timedelta, without a deprecation warning
os.environ.setdefault("PTB_TIMEDELTA", "1")


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


async def create_postgres_database() -> tuple[str, str]:
    """Create a fresh, uniquely named database; returns (url, name)."""
    admin = postgres_admin_url()
    assert admin is not None
    name = f"strikebot_test_{secrets.token_hex(6)}"
    engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        await engine.dispose()
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    return url, name


async def drop_postgres_database(name: str) -> None:
    admin = postgres_admin_url()
    assert admin is not None
    engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database URL: an SQLite file, and (when available) a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'strikebot.sqlite3'}"
        return
    if postgres_admin_url() is None:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)"
        )
    url, name = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(name)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database, on every backend available."""
    eng = create_engine(database_url)
    await upgrade(eng)
    try:
        yield eng
    finally:
        await eng.dispose()
