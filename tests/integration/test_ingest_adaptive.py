"""Adaptive polling through the feed server and a real database: each feed's interval follows
what it publishes, the server's floors hold, and a slow feed never holds the others back."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import FeedSettings, PollingSettings
from bot.ingest.poller import Poller, make_parse_pool
from bot.store import feeds as feed_repo
from bot.store.tables import SeenKeyRow
from tests.fakes.feed_server import FeedServer, rss
from tests.integration import test_ingest_poller as base
from tests.integration.test_ingest_poller import SETTINGS, Clock, Rig, pub

sessions = base.sessions  # the fixtures: SQLite, and PostgreSQL when configured
postgres_url = base.postgres_url

ADAPTIVE = dataclasses.replace(
    SETTINGS, interval_seconds=None, min_interval_seconds=60, max_interval_seconds=1800,
    per_host_spacing_seconds=0,
)  # fmt: skip


@pytest.fixture
def polling_settings() -> PollingSettings:
    return ADAPTIVE


def dated(clock: Clock, slug: str, minutes_ago: list[float], ttl: int | None = None) -> bytes:
    return rss(
        [
            {"title": f"{slug} {i}", "link": f"https://{slug}.example/{i}", "guid": f"{slug}-{i}",
             "pubDate": pub(clock, ago)}
            for i, ago in enumerate(minutes_ago)
        ],
        ttl=ttl,
    )  # fmt: skip


async def test_each_feed_is_polled_as_often_as_it_publishes(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    paths = ("busy", "daily", "dead")
    rig = Rig(sessions, http, [FeedSettings(url=server.url(f"/{p}.xml")) for p in paths], ADAPTIVE)
    server.set_feed("/busy.xml", dated(rig.clock, "busy", [3 * i for i in range(30)]))
    server.set_feed("/daily.xml", dated(rig.clock, "daily", [90, 400, 800, 2000, 3000, 4000]))
    server.set_feed("/dead.xml", dated(rig.clock, "dead", [5000, 6000, 7000]))
    await rig.poller.tick()
    expected = {
        "busy": (60, 60, "items/h"),  # one every 3 minutes: the minimum
        "daily": (700, 780, "items/day"),  # 3 in the last day: about 12 minutes
        "dead": (3600, 3600, "silent > 1 day"),
    }
    for path, (low, high, why) in expected.items():
        row = await rig.feed(server.url(f"/{path}.xml"))
        assert row.poll_interval_seconds is not None and row.poll_reason is not None
        assert low <= row.poll_interval_seconds <= high, path
        assert why in row.poll_reason, path
        assert row.next_poll_at is not None
        wait = (row.next_poll_at - rig.clock.now).total_seconds()
        assert 0.9 * low <= wait <= high, path  # never later than the interval
    # a minute later only the busy feed is asked again
    await rig.next_tick(minutes=1)
    assert [server.hits(f"/{p}.xml") for p in paths] == [2, 1, 1]


async def test_the_servers_ttl_and_max_age_are_floors(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    feeds = [FeedSettings(url=server.url(p)) for p in ("/ttl.xml", "/cached.xml")]
    rig = Rig(sessions, http, feeds, ADAPTIVE)
    busy = [3 * i for i in range(30)]
    server.set_feed("/ttl.xml", dated(rig.clock, "t", busy, ttl=15))
    server.set_feed(
        "/cached.xml", dated(rig.clock, "c", busy), etag='"v1"',
        headers={"Cache-Control": "max-age=420"},
    )  # fmt: skip
    await rig.poller.tick()
    ttl = await rig.feed(server.url("/ttl.xml"))
    assert (ttl.poll_interval_seconds, ttl.poll_reason) == (900, "server ttl 15 min")
    cached = await rig.feed(server.url("/cached.xml"))
    assert (cached.poll_interval_seconds, cached.poll_reason) == (420, "server max-age 7 min")
    await rig.next_tick(minutes=8)  # a 304 keeps the server's floor
    cached = await rig.feed(server.url("/cached.xml"))
    assert (cached.last_status, cached.poll_interval_seconds) == (304, 420)
    assert server.hits("/ttl.xml") == 1


async def test_a_feed_that_goes_quiet_is_polled_less_and_recovers_when_it_publishes(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    url = server.url("/news.xml")
    rig = Rig(sessions, http, [FeedSettings(url=url)], ADAPTIVE)
    server.set_feed("/news.xml", dated(rig.clock, "n", [5 * i for i in range(20)]), etag='"a"')
    await rig.poller.tick()
    assert (await rig.feed(url)).poll_interval_seconds == 60
    await rig.next_tick(minutes=120)  # two quiet hours, every poll a 304
    quiet = (await rig.feed(url)).poll_interval_seconds
    assert quiet is not None and quiet > 120
    rig.clock.advance(minutes=30)
    server.set_feed("/news.xml", dated(rig.clock, "n", [0] + [5 * i for i in range(20)]))
    await rig.poller.tick()
    assert (await rig.feed(url)).poll_interval_seconds == 60


async def test_a_slow_feed_finishes_in_the_background_and_holds_no_other_feed_back(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    feeds = [FeedSettings(url=server.url(p)) for p in ("/slow.xml", "/fast.xml")]
    rig = Rig(sessions, http, feeds, dataclasses.replace(ADAPTIVE, total_timeout_seconds=5.0))
    server.set_feed("/slow.xml", dated(rig.clock, "s", [1, 2]))
    server.set_feed("/fast.xml", dated(rig.clock, "f", [1, 2]))
    server.delay("/slow.xml", 1.0)
    first = await rig.poller.tick(wait=0.3)
    assert (first.polled, first.ok, first.new_articles) == (2, 1, 2)  # the fast one is stored
    second = await rig.poller.tick(wait=0.1)  # the slow one is in flight: not asked twice
    assert second.polled == 0 and server.hits("/slow.xml") == 1
    await asyncio.sleep(1.2)
    third = await rig.poller.tick(wait=0.1)
    assert (third.ok, third.new_articles) == (1, 2)  # reported by the tick after it finished


async def test_later_polls_find_every_new_item_while_parsing_only_changed_ones(
    sessions: async_sessionmaker[AsyncSession],
    http: aiohttp.ClientSession,
    server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.ingest.poller")
    url = server.url("/wire.xml")
    rig = Rig(sessions, http, [FeedSettings(url=url)], ADAPTIVE)

    def story(slug: str, minutes_ago: float) -> dict[str, str]:
        return {"title": f"story {slug}", "link": f"https://news.example/{slug}",
                "guid": f"id-{slug}", "pubDate": pub(rig.clock, minutes_ago)}  # fmt: skip

    a, b = story("a", 5), story("b", 9)
    old = [story(f"old{i}", 600 + i) for i in range(30)]  # a backlog the first poll leaves out
    server.set_feed("/wire.xml", rss([a, b, *old]))
    assert (await rig.poller.tick()).new_articles == 2
    async with sessions() as session:  # the backlog is recorded as seen all the same
        assert await session.scalar(select(func.count()).select_from(SeenKeyRow)) == 2 * 32
    rig.clock.advance(minutes=31)  # the feed is due again
    # a new item on top, another slipped in between, an old one edited in place (known by its
    # GUID and link: not new); the rest is byte for byte what the last poll parsed
    corrected = {**old[3], "title": "story old3 (corrected)"}
    between = story("between", 20)
    server.set_feed(
        "/wire.xml", rss([story("new", 0), a, between, b, *old[:3], corrected, *old[4:]])
    )
    assert (await rig.poller.tick()).new_articles == 2
    assert sorted(await rig.titles()) == ["story a", "story b", "story between", "story new"]
    assert "3 items parsed (0 old, 31 unchanged left out), 2 new" in caplog.text


async def test_a_feed_polled_before_adaptive_polling_learns_its_rate_once(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    url = server.url("/legacy.xml")
    rig = Rig(sessions, http, [FeedSettings(url=url)], ADAPTIVE)
    server.set_feed("/legacy.xml", dated(rig.clock, "l", [3 * i for i in range(30)]), etag='"x"')
    await rig.poller.tick()
    async with sessions.begin() as session:  # as the 0002 migration leaves an existing feed
        await feed_repo.update_feed(
            session, (await rig.feed(url)).id, rate_per_hour=None, last_new_at=None,
            poll_interval_seconds=None, poll_reason=None,
        )  # fmt: skip
    stats = await rig.next_tick(minutes=6)
    assert (stats.ok, stats.new_articles) == (1, 0)  # read in full once, nothing new
    assert "If-None-Match" not in server.requests[-1].headers
    assert (await rig.feed(url)).poll_interval_seconds == 60
    stats = await rig.next_tick(minutes=1)
    assert stats.not_modified == 1  # conditional GET again


async def test_a_dead_parse_worker_fails_one_poll_and_the_next_parses_work(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    feeds = [FeedSettings(url=server.url("/p.xml"))]
    rig = Rig(sessions, http, feeds, ADAPTIVE)
    pool = make_parse_pool(1)
    rig.poller = Poller(ADAPTIVE, feeds, sessions, http, clock=rig.clock, parse_executor=pool)
    try:
        server.set_feed("/p.xml", dated(rig.clock, "p", [1, 2]))
        assert (await rig.poller.tick()).new_articles == 2
        for pid in list(pool._processes):  # the worker is killed (say, out of memory)
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)
        server.set_feed("/p.xml", dated(rig.clock, "p", [0, 1, 2]))
        rig.clock.advance(hours=1)
        assert (await rig.poller.tick()).failed == 1
        row = await rig.feed(server.url("/p.xml"))
        assert row.last_error == "the parse worker died while reading this feed"
        rig.clock.advance(hours=1)
        assert (await rig.poller.tick()).new_articles == 1  # a fresh pool parses again
    finally:
        await rig.poller.close()  # the shutdown step stops the (new) pool


async def test_a_failing_feed_shows_its_backoff(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    url = server.url("/down.xml")
    rig = Rig(sessions, http, [FeedSettings(url=url)], ADAPTIVE)
    server.fail("/down.xml", 500)
    await rig.poller.tick()
    row = await rig.feed(url)
    assert row.poll_reason == "backoff after 1 failure"
    assert row.poll_interval_seconds is not None and 150 <= row.poll_interval_seconds <= 300
