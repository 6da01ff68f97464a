"""One bad thing must not stop good things: a poisoned item, a reused GUID, one URL's long
Retry-After — through the feed server, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import FeedSettings
from bot.domain import Article
from bot.store import feeds as feed_repo
from bot.store.tables import ArticleRow
from tests.fakes.feed_server import FeedServer, rss
from tests.integration.test_ingest_poller import (
    Rig,
    polling_settings,
    postgres_url,
    pub,
    sessions,
)

__all__ = ["polling_settings", "postgres_url", "sessions"]  # the poller tests' fixtures
STRIKE = "Missile strike on a school in Sumy injures four"


async def test_a_poisoned_item_does_not_block_the_strike_beside_it(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    rig = Rig(sessions, http, [FeedSettings(url=server.url("/wire.xml"))])
    poisoned = [
        {"title": "surrogate", "link": "https://news.example/s", "guid": "s",
         "extra": "<description>broken &#xD800; text &#55296; here</description>"},
        {"link": "https://news.example/n", "guid": "n",
         "extra": "<title>nul &#0; and \x01 control\x0b chars</title>"},
        {"title": "bad link", "link": "https://news.example/l\x00x", "guid": "g\x00z"},
    ]  # fmt: skip
    items = [{**i, "pubDate": pub(rig.clock, 5)} for i in poisoned]
    items.append(
        {"title": STRIKE, "link": "https://news.example/strike", "guid": "strike",
         "pubDate": pub(rig.clock, 5)}
    )  # fmt: skip
    server.set_feed("/wire.xml", rss(items))
    stats = await rig.poller.tick()
    assert (stats.failed, stats.ok) == (0, 1)
    titles = await rig.titles()
    assert STRIKE in titles and len(titles) == 4
    async with sessions() as session:
        stored = (await session.scalars(select(ArticleRow))).all()
    for row in stored:
        for text in (row.title, row.text, row.url):
            assert "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    feed = await rig.feed(server.url("/wire.xml"))
    assert feed.consecutive_failures == 0


async def test_the_database_refusing_one_item_costs_only_that_item(
    sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    now = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        feed = await feed_repo.add_feed(session, "https://news.example/rss", now)

    def article(key: str, title: str) -> Article:
        return Article(
            key=key, feed_url="https://news.example/rss", source="Wire", title=title,
            url=f"https://news.example/{key}", text="", lang="en", published=now, fetched_at=now,
        )  # fmt: skip

    batch = [article("a", "fine one"), article("b", "bad \ud800 \x00 one"), article("c", STRIKE)]
    with caplog.at_level(logging.WARNING):
        async with sessions.begin() as session:
            inserted = await feed_repo.insert_articles(session, feed.id, batch)
    assert inserted == 2
    async with sessions() as session:
        titles = (await session.scalars(select(ArticleRow.title))).all()
    assert sorted(titles) == sorted(["fine one", STRIKE])
    assert len([r for r in caplog.records if "not stored" in r.getMessage()]) == 1


async def test_a_reused_guid_with_a_new_link_and_title_alerts_as_a_new_story(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    rig = Rig(sessions, http, [FeedSettings(url=server.url("/cms.xml"))])
    first = {"title": "Council meets on Tuesday", "link": "https://news.example/council",
             "guid": "cms-slot-1", "pubDate": pub(rig.clock, 5)}  # fmt: skip
    server.set_feed("/cms.xml", rss([first]))
    await rig.poller.tick()
    moved = {**first, "link": "https://news.example/2025/council", "pubDate": pub(rig.clock, 4)}
    server.set_feed("/cms.xml", rss([moved]))
    assert (await rig.next_tick()).new_articles == 0  # same story, its link moved
    reused = {"title": STRIKE, "link": "https://news.example/strike", "guid": "cms-slot-1",
              "pubDate": pub(rig.clock, 1)}  # fmt: skip
    server.set_feed("/cms.xml", rss([reused]))
    assert (await rig.next_tick()).new_articles == 1
    assert await rig.titles() == ["Council meets on Tuesday", STRIKE]


async def test_one_urls_503_retry_after_does_not_park_its_host(
    sessions: async_sessionmaker[AsyncSession],
    http: aiohttp.ClientSession,
    server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    feeds = [FeedSettings(url=server.url(f"/{name}.xml")) for name in ("down", "b", "c")]
    rig = Rig(sessions, http, feeds)
    server.fail("/down.xml", 503, retry_after=86400)
    for name in ("b", "c"):
        story = {"title": f"story {name}", "link": f"https://news.example/{name}"}
        server.set_feed(f"/{name}.xml", rss([story | {"pubDate": pub(rig.clock, 1)}]))
    stats = await rig.poller.tick()
    assert (stats.failed, stats.ok, stats.deferred) == (1, 2, 0)
    down = await rig.feed(server.url("/down.xml"))
    assert down.next_poll_at is not None
    assert down.next_poll_at >= rig.clock.now + timedelta(hours=23)  # that URL asked for a day
    for name in ("b", "c"):
        story = {"title": f"later {name}", "link": f"https://news.example/{name}2"}
        server.set_feed(f"/{name}.xml", rss([story | {"pubDate": pub(rig.clock, 1)}]))
    with caplog.at_level(logging.WARNING):
        stats = await rig.next_tick(minutes=10)
    assert (stats.ok, stats.deferred, stats.new_articles) == (2, 0, 2)
    assert server.hits("/down.xml") == 1


async def test_a_429_pauses_its_host_at_most_an_hour_and_says_so_once(
    sessions: async_sessionmaker[AsyncSession],
    http: aiohttp.ClientSession,
    server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    feeds = [FeedSettings(url=server.url(f"/{name}.xml")) for name in ("a", "b")]
    rig = Rig(sessions, http, feeds)
    server.fail("/a.xml", 429, retry_after=86400)
    server.set_feed("/b.xml", rss([{"title": "b", "link": "https://news.example/b"}]))
    with caplog.at_level(logging.WARNING):
        await rig.poller.tick()
        await rig.next_tick(minutes=10)
    pauses = [r for r in caplog.records if "answered HTTP 429" in r.getMessage()]
    assert len(pauses) == 1 and "3600 s" in pauses[0].getMessage()
    b = await rig.feed(server.url("/b.xml"))
    assert b.next_poll_at is not None
    assert b.next_poll_at <= rig.clock.now + timedelta(hours=1, minutes=10)
