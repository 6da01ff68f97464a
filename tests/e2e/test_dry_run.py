"""`strikebot run --dry-run`: no Telegram at all; each new event is printed as the alert text."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from bot.config import FeedSettings, Settings, TelegramSettings
from tests.fakes.feed_server import FeedServer, rss


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
