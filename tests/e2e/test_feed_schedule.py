"""Admins see how often each feed is polled and why: /feeds in Telegram, `strikebot stats`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import FeedSettings, PollingSettings, Settings
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.talk import ask, eventually
from tests.fakes.feed_server import LOOPBACK, FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def stories(slug: str, every_minutes: float, count: int, newest_minutes: float = 1) -> bytes:
    now = datetime.now(UTC)
    every = timedelta(minutes=every_minutes)
    return rss(
        [
            {"title": f"{slug} story {i}", "link": f"https://{slug}.example/{i}",
             "guid": f"{slug}-{i}",
             "pubDate": format_datetime(now - timedelta(minutes=newest_minutes) - every * i)}
            for i in range(count)
        ]
    )  # fmt: skip


@pytest.mark.parametrize("parse_workers", [0, 1])  # a thread, or a process pool
async def test_feeds_and_stats_show_each_feeds_interval_and_why(
    parse_workers: int,
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
    tmp_path: Path,
) -> None:
    feeds.set_feed("/busy.xml", stories("busy", 3, 30))
    feeds.set_feed("/weekly.xml", stories("weekly", 60 * 24 * 7, 5, newest_minutes=60 * 24 * 3))
    database = f"sqlite+aiosqlite:///{tmp_path / 'schedule.sqlite3'}"
    settings = settings_for(
        database_url=database,
        feeds=(
            FeedSettings(url=feeds.url("/busy.xml"), name="Busy wire"),
            FeedSettings(url=feeds.url("/weekly.xml"), name="Weekly digest"),
        ),
        polling=PollingSettings(
            per_host_spacing_seconds=0, parse_workers=parse_workers, allowed_networks=LOOPBACK
        ),
    )
    bot = await start_bot(settings)

    async def polled() -> bool:
        return feeds.hits("/busy.xml") >= 1 and feeds.hits("/weekly.xml") >= 1

    await eventually(polled)
    listing: dict[str, Any] = {}

    async def listed() -> bool:
        listing.update(await ask(telegram, ADMIN_ID, "/feeds"))
        return listing["text"].count("polled every") == 2

    await eventually(listed)
    busy, weekly = listing["text"].split("Weekly digest")
    assert "polled every 60 s (" in busy and "items/h)" in busy
    assert "polled every 1 h (silent &gt; 1 day)" in weekly
    await bot.stop()

    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "stats"],
        env={**env, "STRIKEBOT_DATABASE_URL": database},
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Busy wire: every 60 s (" in result.stdout
    assert "Weekly digest: every 1 h (silent > 1 day)" in result.stdout
