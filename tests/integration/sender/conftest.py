"""Fixtures for the outbox sender tests: a fake Bot API enforcing Telegram's limits, a
session factory over the test database, and ``sender_for`` to start senders (several may run
on one database)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.config import DeliverySettings
from bot.notify.sender import Sender
from bot.ops.services import utcnow
from bot.store.db import SessionFactory, session_factory
from tests.fakes.telegram_api import FakeTelegram
from tests.integration.sender.helpers import SENDER_TOKEN


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(SENDER_TOKEN) as fake:
        yield fake


@pytest.fixture
def sessions(engine: AsyncEngine) -> SessionFactory:
    return session_factory(engine)


@pytest.fixture
async def sender_for(
    telegram: FakeTelegram, sessions: SessionFactory
) -> AsyncIterator[Callable[..., Any]]:
    """``await sender_for(**delivery_settings)`` starts a sender (50/s, 3 attempts unless
    told otherwise); ``sender_kwargs={...}`` goes to the Sender itself. Stopped at the end."""
    started: list[tuple[Sender, asyncio.Task[None], Bot]] = []

    async def start(sender_kwargs: dict[str, Any] | None = None, **settings: Any) -> Sender:
        bot = Bot(SENDER_TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
        await bot.initialize()
        delivery = replace(DeliverySettings(messages_per_second=50.0, max_attempts=3), **settings)
        sender = Sender(bot, sessions, delivery, utcnow, **(sender_kwargs or {}))
        task = asyncio.create_task(sender.run())
        started.append((sender, task, bot))
        return sender

    yield start
    for sender, task, bot in started:
        await sender.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await bot.shutdown()
