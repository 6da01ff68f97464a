"""Writes fail while reads still work — a full disk (SQLite: the file may not grow; PostgreSQL:
the database turned read-only). /healthz says unhealthy, the log says so once (not a line per
flap or per feed), and no news published meanwhile is lost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import aiohttp
import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import StrikeBot
from bot.config import DeliverySettings, FeedSettings, ServerSettings, Settings
from bot.store.tables import ArticleRow
from tests.builders import make_event, publish, seed_chat
from tests.conftest import postgres_admin_url
from tests.fakes.feed_server import FeedServer, rss
from tests.resilience.waiting import wait_for

FULL_SECONDS = 20.0
SUBSCRIBERS = range(71_001, 71_031)


@contextlib.asynccontextmanager
async def sqlite_disk_full(bot: StrikeBot, database_url: str) -> AsyncIterator[None]:
    """The database file may not grow: writes that need a new page fail, others succeed."""
    path = make_url(database_url).database
    assert path and bot.engine is not None
    limit: list[int] = []

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count = {limit[0] if limit else 1073741823}")
        cursor.close()

    with sqlite3.connect(path) as conn:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    limit.append(pages)
    event.listen(bot.engine.sync_engine, "checkout", on_checkout)
    try:
        yield
    finally:
        limit.clear()  # every connection checked out from now on may grow the file again


@contextlib.asynccontextmanager
async def postgres_read_only(database_url: str) -> AsyncIterator[None]:
    admin_url = postgres_admin_url()
    assert admin_url is not None
    name = make_url(database_url).database
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    terminate = (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    try:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(
                f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'
            )
            await conn.exec_driver_sql(terminate)
        yield
    finally:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(
                f'ALTER DATABASE "{name}" RESET default_transaction_read_only'
            )
            await conn.exec_driver_sql(terminate)
        await admin.dispose()


def writes_fail(bot: StrikeBot, database_url: str) -> contextlib.AbstractAsyncContextManager[None]:
    if database_url.startswith("sqlite"):
        return sqlite_disk_full(bot, database_url)
    return postgres_read_only(database_url)


async def healthz(listen: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(f"http://{listen}/healthz") as resp:
        return resp.status


def story(number: int) -> dict[str, str]:
    return {
        "title": f"Overnight report number {number} from the regional administration",
        "link": f"https://wire-full.example/report-{number}",
        "guid": f"wire-full-{number}",
        "description": f"Report {number}. " + "Details of the night follow in full. " * 90,
        "pubDate": format_datetime(datetime.now(UTC)),
    }


@pytest.mark.slow
async def test_write_failures_are_unhealthy_logged_once_and_lose_nothing(
    database_url: str,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
    unused_tcp_port: int,
) -> None:
    caplog.set_level(logging.INFO)
    listen = f"127.0.0.1:{unused_tcp_port}"
    feeds.set_feed("/quiet.xml", rss([]))
    published = [story(0)]
    feeds.set_feed("/busy.xml", rss(published))
    settings = settings_for(
        database_url=database_url,
        feeds=(
            FeedSettings(url=feeds.url("/quiet.xml"), name="Quiet Wire", lang="en"),
            FeedSettings(url=feeds.url("/busy.xml"), name="Busy Wire", lang="en"),
        ),
        delivery=DeliverySettings(messages_per_second=3.0),
        server=ServerSettings(listen=listen),
    )
    bot: StrikeBot = await start_bot(settings)
    assert bot.services is not None and bot.sender is not None
    await wait_for(lambda: bot.health.last_poll_ok is not None, 20, "the first poll")
    assert await healthz(listen) == 200
    async with bot.services.sessions.begin() as session:
        for chat_id in SUBSCRIBERS:
            await seed_chat(session, chat_id, ("UA",))
        await publish(session, make_event("ev_disk_full"), now=datetime.now(UTC))
    bot.sender.wake()  # deliveries go on during the outage: their in-place updates succeed

    mark = len(caplog.records)
    statuses: list[int] = []
    async with writes_fail(bot, database_url):
        loop = asyncio.get_running_loop()
        end = loop.time() + FULL_SECONDS
        number = 1
        while loop.time() < end:
            published.append(story(number))  # news keeps breaking
            feeds.set_feed("/busy.xml", rss(published))
            number += 1
            await asyncio.sleep(1.0)
            statuses.append(await healthz(listen))
    during = [r.getMessage() for r in caplog.records[mark:]]
    assert 503 in statuses[-5:], statuses  # unhealthy while writes fail

    async def healthy_again() -> bool:
        return await healthz(listen) == 200

    for _ in range(150):
        if await healthy_again():
            break
        await asyncio.sleep(0.2)
    assert await healthz(listen) == 200

    async def stored() -> set[str]:
        assert bot.services is not None
        async with bot.services.sessions() as session:
            return set((await session.scalars(select(ArticleRow.title))).all())

    wanted = {s["title"] for s in published}
    for _ in range(150):
        if wanted <= await stored():
            break
        await asyncio.sleep(0.2)
    assert wanted <= await stored(), "news published while writes failed was lost"

    lines = [r.getMessage() for r in caplog.records[mark:]]
    assert len([m for m in lines if "database unavailable" in m]) == 1, during
    assert len([m for m in lines if "reachable again" in m]) == 1, lines
    assert not [m for m in lines if "unexpected error" in m or "is failing" in m], lines
