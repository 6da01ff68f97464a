"""The database goes away for ~30 s and comes back, while alerts are being sent and planned.

PostgreSQL: new connections to the bot's database are refused (``ALLOW_CONNECTIONS false``)
and every existing one is terminated, again and again, for the whole outage (the shared
server itself stays up). SQLite: another process holds ``BEGIN EXCLUSIVE`` on the file.

What an operator and the users notice:
* the bot keeps running (its jobs and the sender are alive afterwards, /healthz is green);
* every alert planned before the outage, and every alert for news published during it,
  reaches each subscriber exactly once after it;
* the log says so once per outage and component ("… failing", then "… recovered"), not once
  per retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import StrikeBot
from bot.config import DeliverySettings, FeedSettings, ServerSettings, Settings
from bot.store.tables import DeliveryRow
from tests.builders import KHARKIV, make_event, publish, seed_chat
from tests.conftest import postgres_admin_url
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram
from tests.resilience.waiting import wait_for

OUTAGE_SECONDS = 30.0
# SQLite writers wait out a lock for up to 30 s (busy_timeout): hold it longer, or the
# "outage" is only a pause that no operation ever notices
SQLITE_OUTAGE_SECONDS = 33.0
SUBSCRIBERS = 20
CHAT_IDS = range(70_001, 70_001 + SUBSCRIBERS)
# news that breaks while the database is down (the project's own sentence)
DURING = {
    "title": "Russian ballistic missile strike on Kryvyi Rih kills 14, including 6 children",
    "link": "https://wire-outage.example/kryvyi-rih",
    "guid": "wire-outage-1",
    "description": (
        "A ballistic missile hit a residential area of Kryvyi Rih in the evening, killing 14 "
        "people, including six children, and injuring more than 50, the regional governor said."
    ),
}


@contextlib.asynccontextmanager
async def postgres_outage(database_url: str) -> AsyncIterator[None]:
    """Refuse and terminate every connection to the bot's database until the block exits."""
    admin_url = postgres_admin_url()
    assert admin_url is not None
    name = make_url(database_url).database
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    stop = asyncio.Event()

    terminate = (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )

    async def terminate_forever() -> None:
        async with admin.connect() as conn:
            while not stop.is_set():
                await conn.exec_driver_sql(terminate)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.5)

    async with admin.connect() as conn:
        await conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        # The outage has begun only once every open connection is gone, not when the
        # background killer first gets scheduled.
        for _ in range(50):
            await conn.exec_driver_sql(terminate)
            left = await conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            if left.scalar_one() == 0:
                break
            await asyncio.sleep(0.1)
    killer = asyncio.create_task(terminate_forever())
    try:
        yield
    finally:
        stop.set()
        await killer
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.dispose()


@contextlib.asynccontextmanager
async def sqlite_outage(database_url: str) -> AsyncIterator[None]:
    """Another process's ``BEGIN EXCLUSIVE`` on the file until the block exits."""
    path = make_url(database_url).database
    assert path
    conn = sqlite3.connect(path, timeout=20, isolation_level=None, check_same_thread=False)
    try:
        await asyncio.to_thread(conn.execute, "BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            await asyncio.to_thread(conn.execute, "COMMIT")
    finally:
        conn.close()


def outage(database_url: str) -> contextlib.AbstractAsyncContextManager[None]:
    if database_url.startswith("sqlite"):
        return sqlite_outage(database_url)
    return postgres_outage(database_url)


async def unfinished(bot: StrikeBot) -> dict[str, int]:
    assert bot.services is not None
    async with bot.services.sessions() as session:
        stmt = (
            select(DeliveryRow.status, func.count())
            .where(DeliveryRow.status.in_(("pending", "sending")))
            .group_by(DeliveryRow.status)
        )
        return {str(s): int(n) for s, n in (await session.execute(stmt)).all()}


def problems(records: list[logging.LogRecord]) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()}"
        for r in records
        if r.levelno >= logging.WARNING and r.name.startswith(("strikebot", "bot"))
    ]


@pytest.mark.slow
async def test_database_outage_delays_alerts_but_loses_and_repeats_none(
    database_url: str,
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    feeds.set_feed("/wire.xml", rss([]))
    settings = settings_for(
        database_url=database_url,
        feeds=(FeedSettings(url=feeds.url("/wire.xml"), name="Outage Wire", lang="en"),),
        delivery=DeliverySettings(messages_per_second=5.0),
        server=ServerSettings(listen=""),
    )
    bot: StrikeBot = await start_bot(settings)
    assert bot.services is not None and bot.sender is not None
    now = datetime.now(UTC)
    earlier = make_event(
        "ev_before_outage",
        places=(KHARKIV,),
        event_time=now - timedelta(days=5),
        first_seen=now - timedelta(minutes=1),
        last_seen=now - timedelta(minutes=1),
        title="Drone strike on a Kharkiv apartment block",
    )
    async with bot.services.sessions.begin() as session:
        for chat_id in CHAT_IDS:
            await seed_chat(session, chat_id, ("UA",))
        await publish(session, earlier, now=now)
    bot.sender.wake()
    # the outage starts while the first alert is still going out
    await wait_for(lambda: len(telegram.sent()) >= 3, 20, "the first alerts start going out")
    start_mark = len(caplog.records)
    sent_before = len(telegram.sent())
    async with outage(database_url):
        feeds.set_feed(
            "/wire.xml", rss([{**DURING, "pubDate": format_datetime(datetime.now(UTC))}])
        )
        sqlite = database_url.startswith("sqlite")
        await asyncio.sleep(SQLITE_OUTAGE_SECONDS if sqlite else OUTAGE_SECONDS)
        sent_during = len(telegram.sent()) - sent_before
        during = problems(caplog.records[start_mark:])
    print(f"\nsent before the outage: {sent_before}; during it: {sent_during}")

    # afterwards: both alerts reach every subscriber, once
    def everyone_has_both() -> bool:
        return all(len(telegram.sent(c)) >= 2 for c in CHAT_IDS)

    await wait_for(everyone_has_both, 60, "every subscriber gets both alerts after the outage")
    await asyncio.sleep(1.5)  # room for a duplicate to show up
    assert telegram.duplicates() == {}
    for chat_id in CHAT_IDS:
        texts = [m["text"] for m in telegram.sent(chat_id)]
        assert len(texts) == 2, (chat_id, texts)
        assert any("Kharkiv" in t for t in texts) and any("Kryvyi Rih" in t for t in texts)
    assert await unfinished(bot) == {}, "rows left pending or stuck in 'sending'"

    # the bot is still fully alive: scheduler, database, jobs not failing
    for _ in range(100):  # healthy again once nothing has failed for a few seconds
        ok, detail = await bot.health_check()
        if ok:
            break
        await asyncio.sleep(0.2)
    assert ok, detail
    assert "poll" not in detail["failing_jobs"], detail  # the pipeline job clears on its next run
    assert bot.sender is not None and bot._sender_task is not None
    assert not bot._sender_task.done()

    # the log: the outage was noticed, once per component, not once per retry
    after = problems(caplog.records[start_mark:])
    print("log lines at WARNING and above since the outage began:\n  " + "\n  ".join(after))
    assert during, "the outage went unnoticed in the log"
    outage_lines = [line for line in after if "database unavailable" in line]
    assert len(outage_lines) == 1, after  # one line for the outage, for the whole bot
    per_component: dict[str, int] = {}
    for line in after:
        component = line.split(" ", 2)[1] if line.startswith("strikebot.jobs") else line
        component = component.split(":", 1)[0]
        per_component[component] = per_component.get(component, 0) + 1
    assert all(n == 1 for n in per_component.values()), per_component
    assert bot.scheduler is not None
    components = len(bot.scheduler.get_jobs()) + 1 + len(settings.feeds)  # jobs, sender, feeds
    assert len(after) <= components, after
