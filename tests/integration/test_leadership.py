"""PostgreSQL drops an advisory lock with its connection: after a database restart the active
bot must either take the lock back or stop — never keep sending beside a new active one."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import StrikeBot
from bot.config import DatabaseSettings, Settings
from bot.geo import Gazetteer, load_gazetteer
from bot.store.leader import ADVISORY_KEY
from tests.conftest import postgres_admin_url


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


async def kill_lock_holder(url: str) -> int:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                f"WHERE locktype = 'advisory' AND objid = {ADVISORY_KEY} AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            return len(result.all())
    finally:
        await engine.dispose()


async def test_a_bot_that_lost_its_lock_to_a_standby_stops(
    database_url: str, gazetteer: Gazetteer
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("an SQLite flock cannot be lost while the process lives")
    assert postgres_admin_url() is not None
    settings = Settings(database=DatabaseSettings(url=database_url))
    active = StrikeBot(settings, dry_run=True, gazetteer=gazetteer)
    standby = StrikeBot(settings, dry_run=True, gazetteer=gazetteer)
    await active.start()
    waiting = asyncio.create_task(standby.start())
    try:
        await asyncio.sleep(1.0)
        assert not waiting.done()  # the second bot waits
        assert await kill_lock_holder(database_url) == 1  # "the database restarted"
        await asyncio.wait_for(waiting, 15)  # the standby takes over
        await asyncio.wait_for(active.stop_requested.wait(), 15)  # the first one steps down
    finally:
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        await active.stop()
        await standby.stop()


async def test_a_bot_retakes_its_lock_when_nobody_else_did(
    database_url: str, gazetteer: Gazetteer
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("an SQLite flock cannot be lost while the process lives")
    bot = StrikeBot(
        Settings(database=DatabaseSettings(url=database_url)), dry_run=True, gazetteer=gazetteer
    )
    await bot.start()
    try:
        assert await kill_lock_holder(database_url) == 1
        assert bot.lock is not None
        assert await bot.lock.ensure() is True
        assert not bot.stop_requested.is_set()
    finally:
        await bot.stop()
