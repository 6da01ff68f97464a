"""End-to-end harness: the real StrikeBot wiring against the fake Telegram Bot API, a local
feed server and a real database."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import StrikeBot
from bot.config import (
    DatabaseSettings,
    FeedSettings,
    PollingSettings,
    Settings,
    TelegramSettings,
)
from bot.geo import Gazetteer, load_gazetteer
from tests.fakes.feed_server import LOOPBACK, FeedServer
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "123456:TEST-token-for-the-fake-bot-api"
ADMIN_ID = 9001


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    async with FeedServer() as server:
        yield server


@pytest.fixture
def settings_for(telegram: FakeTelegram, tmp_path: Path) -> Callable[..., Settings]:
    def make(
        *,
        database_url: str | None = None,
        feeds: tuple[FeedSettings, ...] = (),
        **sections: Any,
    ) -> Settings:
        base = Settings(
            telegram=TelegramSettings(
                token=TOKEN, api_base_url=telegram.base_url, admins=(ADMIN_ID,)
            ),
            database=DatabaseSettings(
                url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
            ),
            polling=PollingSettings(
                interval_seconds=1, max_age_minutes=180, allowed_networks=LOOPBACK
            ),
            feeds=feeds,
        )
        return dataclasses.replace(base, **sections)

    return make


@pytest.fixture
async def start_bot(
    gazetteer: Gazetteer,
) -> AsyncIterator[Callable[..., Any]]:
    running: list[StrikeBot] = []

    async def start(settings: Settings, **kwargs: Any) -> StrikeBot:
        bot = StrikeBot(settings, gazetteer=gazetteer, **kwargs)
        await bot.start()
        running.append(bot)
        return bot

    yield start
    for bot in running:
        await bot.stop()
