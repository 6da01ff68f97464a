"""Operators' view of feeds through the chat: /addfeed on a web page names it and offers the
feeds it advertises; /feeds and /stats show a failing feed with its reason and since when —
in English and Ukrainian."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot.config import FeedSettings, Settings
from bot.store.tables import FeedRow
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.talk import ask, eventually
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram

PAGE = (
    b"<!doctype html><html><head>"
    b'<link rel="alternate" type="application/rss+xml" title="News" href="/rss.xml">'
    b"</head><body>A newsroom</body></html>"
)


async def test_addfeed_on_a_web_page_offers_its_feeds(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any,
    feeds: FeedServer,
) -> None:  # fmt: skip
    await start_bot(settings_for())
    feeds.set_feed("/", PAGE, content_type="text/html")
    reply = await ask(telegram, ADMIN_ID, f"/addfeed {feeds.url('/')}")
    assert "is a web page, not an RSS/Atom feed. Nothing was added." in reply["text"]
    assert "send /addfeed with one of them" in reply["text"]
    assert feeds.url("/rss.xml") in reply["text"]
    reply = await ask(telegram, ADMIN_ID, "/settings lang uk")
    reply = await ask(telegram, ADMIN_ID, f"/addfeed {feeds.url('/')}")
    assert "це вебсторінка, а не RSS/Atom-стрічка" in reply["text"]
    assert feeds.url("/rss.xml") in reply["text"]


async def test_a_failing_feed_shows_its_reason_and_since_when(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any,
    feeds: FeedServer,
) -> None:  # fmt: skip
    feeds.set_feed("/ok.xml", rss([]))
    feeds.fail("/down.xml", 500)
    bot = await start_bot(
        settings_for(
            feeds=(
                FeedSettings(url=feeds.url("/ok.xml"), name="Good wire"),
                FeedSettings(url=feeds.url("/down.xml"), name="Broken wire"),
            )
        )
    )

    async def polled() -> bool:  # both feeds polled and their outcome stored
        async with bot.services.sessions() as session:
            rows = (await session.execute(select(FeedRow))).scalars().all()
        return len(rows) == 2 and all(r.last_polled_at is not None for r in rows)

    await eventually(polled)
    listing = await ask(telegram, ADMIN_ID, "/feeds")
    assert re.search(
        r"Broken wire .*\n(?:.*\n)*?\s+failing since \d\d\.\d\d \d\d:\d\d UTC: HTTP 500",
        listing["text"],
    )
    assert "Good wire" in listing["text"] and listing["text"].count("failing since") == 1
    stats = await ask(telegram, ADMIN_ID, "/stats")
    assert "Feeds: 2 enabled · 1 failing" in stats["text"]
    assert re.search(r"Broken wire · failing since .* UTC: HTTP 500", stats["text"])
    await ask(telegram, ADMIN_ID, "/settings lang uk")
    listing = await ask(telegram, ADMIN_ID, "/feeds")
    assert re.search(r"не працює з \d\d\.\d\d \d\d:\d\d UTC: HTTP 500", listing["text"])
