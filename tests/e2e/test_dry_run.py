"""`strikebot run --dry-run`: no Telegram at all; each new event is printed as the alert text."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from sqlalchemy import func, select

from bot.config import FeedSettings, Settings, TelegramSettings
from bot.store.tables import DeliveryRow
from tests.builders import seed_chat
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram


async def test_dry_run_prints_the_alert_a_user_would_see(
    feeds: FeedServer, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    feeds.set_feed(
        "/wire.xml",
        rss(
            [
                {
                    "title": "Glide bomb hits apartment block in Kharkiv, injuring five",
                    "link": "https://wire.example/kharkiv-glide-bomb",
                    "guid": "wire-kharkiv-1",
                    "description": "Five people were injured when a Russian guided aerial bomb "
                    "struck a residential building in Kharkiv this afternoon.",
                    "pubDate": format_datetime(datetime.now(UTC)),
                }
            ]
        ),
    )
    settings = settings_for(
        feeds=(FeedSettings(url=feeds.url("/wire.xml"), name="Wire", lang="en"),),
        telegram=TelegramSettings(token=""),
    )
    out = io.StringIO()
    bot = await start_bot(settings, dry_run=True, out=out)
    assert bot.application is None  # nothing talks to Telegram
    for _ in range(150):
        if "Kharkiv" in out.getvalue():
            break
        await asyncio.sleep(0.1)
    printed = out.getvalue()
    assert printed.startswith("--- new ev_")
    assert "🟡 Kharkiv · Kharkiv oblast" in printed
    assert "5 injured" in printed
    # plain text for a terminal: no tags, no entities; the source link reads "Name <URL>"
    assert "<a " not in printed and "</a>" not in printed and "&amp;" not in printed
    assert "Wire <https://wire.example/kharkiv-glide-bomb>" in printed


async def test_a_dry_run_leaves_no_deliveries_for_a_later_real_run(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    feeds.set_feed("/wire.xml", rss([]))
    settings = settings_for(feeds=(FeedSettings(url=feeds.url("/wire.xml"), lang="en"),))
    dry = await start_bot(settings, dry_run=True, out=(out := io.StringIO()))
    async with dry.services.sessions.begin() as session:
        for chat_id in range(5000, 5040):  # forty subscribers of Kharkiv oblast
            await seed_chat(session, chat_id, ("UA-63",))
    strike = {
        "title": "Missile strike on Kharkiv wounds seven people in a residential district",
        "link": "https://wire.example/kharkiv-missile-seven",
        "guid": "wire-kharkiv-7",
        "description": "A Russian missile hit a housing block in Kharkiv overnight; seven "
        "residents were wounded, the regional governor said.",
        "pubDate": format_datetime(datetime.now(UTC)),
    }
    feeds.set_feed("/wire.xml", rss([strike]))
    for _ in range(150):
        if "Kharkiv" in out.getvalue():
            break
        await asyncio.sleep(0.1)
    assert "--- new ev_" in out.getvalue()
    async with dry.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DeliveryRow)) == 0
    await dry.stop()

    real = await start_bot(settings)  # the same database, now for real
    await asyncio.sleep(3)  # several poll ticks and sender wake-ups
    assert telegram.sent() == []
    async with real.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DeliveryRow)) == 0
