"""Helpers the sender tests share: read the outbox, wait until every row is finished."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.store.db import SessionFactory
from bot.store.tables import DeliveryRow

SENDER_TOKEN = "777:SENDER-test-token-abcdefghijklmnop"
FINISHED = ("sent", "failed", "skipped", "expired")


async def statuses(sessions: SessionFactory) -> dict[int, str]:
    """chat id → status of its row (tests that plan one row per chat)."""
    async with sessions() as session:
        rows = (await session.execute(select(DeliveryRow))).scalars()
        return {row.chat_id: row.status for row in rows}


async def all_rows(sessions: SessionFactory) -> list[DeliveryRow]:
    async with sessions() as session:
        return list((await session.execute(select(DeliveryRow))).scalars())


async def wait_until_done(sessions: SessionFactory, seconds: float = 15.0) -> dict[int, str]:
    for _ in range(int(seconds / 0.1)):
        rows = await all_rows(sessions)
        if rows and all(row.status in FINISHED for row in rows):
            return {row.chat_id: row.status for row in rows}
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries not finished: {await statuses(sessions)}")
