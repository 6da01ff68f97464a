"""The poller end to end: feed server → Poller → a real database (SQLite; PostgreSQL too when
STRIKEBOT_TEST_POSTGRES_URL is set). What users notice: every new story once, nothing old,
nothing twice; what operators notice: one log line per feed state change."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import FeedSettings, PollingSettings
from bot.errors import FeedError
from bot.ingest.check import check_feed
from bot.ingest.poller import Poller
from bot.store import feeds as feed_repo
from bot.store.db import create_engine, session_factory
from bot.store.tables import ArticleRow, Base, FeedRow, SeenKeyRow
from tests.fakes.feed_server import LOOPBACK, FeedServer, rss

PG_ENV = "STRIKEBOT_TEST_POSTGRES_URL"
START = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = PollingSettings(
    interval_seconds=60,
    max_age_minutes=180,
    failing_after=3,
    connect_timeout_seconds=1.0,
    total_timeout_seconds=1.0,
    max_bytes=300_000,
    allowed_networks=LOOPBACK,
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def pub(clock: Clock, minutes_ago: float) -> str:
    return format_datetime(clock.now - timedelta(minutes=minutes_ago), usegmt=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+asyncpg://postgres@127.0.0.1/test)"
        )
    url = make_url(base)
    name = f"strikebot_test_{uuid.uuid4().hex[:10]}"
    admin_dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def run(sql: str) -> None:  # in a thread of its own: the test's event loop may be running
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, admin(sql)).result()

    run(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def sessions(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'ingest.sqlite3'}"
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def polling_settings() -> PollingSettings:
    return SETTINGS


class Rig:
    """A poller plus what it reports, for one test."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        http: aiohttp.ClientSession,
        feeds: list[FeedSettings],
        settings: PollingSettings = SETTINGS,
    ) -> None:
        self.clock = Clock()
        self.sessions = sessions
        self.woken: list[int] = []
        self.poller = Poller(
            settings, feeds, sessions, http, clock=self.clock, on_new_articles=self._wake
        )

    async def _wake(self, count: int) -> None:
        self.woken.append(count)

    async def titles(self) -> list[str]:
        async with self.sessions() as session:
            rows = await session.scalars(select(ArticleRow).order_by(ArticleRow.id))
            return [row.title for row in rows]

    async def feed(self, url: str) -> FeedRow:
        async with self.sessions() as session:
            row = await session.scalar(
                select(FeedRow).where((FeedRow.url == url) | (FeedRow.declared_url == url))
            )
            assert row is not None
            return row

    async def next_tick(self, minutes: float = 2) -> Any:
        self.clock.advance(minutes=minutes)
        return await self.poller.tick()


def items(clock: Clock, *specs: tuple[str, float]) -> bytes:
    """(slug, minutes ago) → an RSS document whose items have GUIDs and links."""
    return rss(
        [
            {"title": f"story {slug}", "link": f"https://news.example/{slug}", "guid": f"id-{slug}",
             "pubDate": pub(clock, ago)}
            for slug, ago in specs
        ]
    )  # fmt: skip


async def test_first_poll_records_backlog_and_lets_only_recent_items_through(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    rig = Rig(sessions, http, [FeedSettings(url=server.url("/a.xml"), name="Outlet A")])
    backlog = [(f"old{i}", 600 + i) for i in range(40)]
    server.set_feed("/a.xml", items(rig.clock, ("fresh", 10), *backlog), etag='"1"')
    stats = await rig.poller.tick()
    assert (stats.polled, stats.ok, stats.new_articles) == (1, 1, 1)
    assert await rig.titles() == ["story fresh"]
    assert rig.woken == [1]
    async with sessions() as session:
        article = await session.scalar(select(ArticleRow))
        assert article is not None and article.processed_at is None
        assert article.source == "Outlet A" and article.url == "https://news.example/fresh"
        seen = (await session.scalars(select(SeenKeyRow.key))).all()
    assert len(seen) == 2 * 41  # url and guid keys of the whole backlog


async def test_304_and_unchanged_body_skip_parsing(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    feeds = [FeedSettings(url=server.url("/etag.xml")), FeedSettings(url=server.url("/plain.xml"))]
    rig = Rig(sessions, http, feeds)
    doc = items(rig.clock, ("a", 5))
    server.set_feed("/etag.xml", doc, etag='"v1"')
    server.set_feed("/plain.xml", doc)  # no validators at all
    assert (await rig.poller.tick()).ok == 2
    stats = await rig.next_tick()
    assert (stats.polled, stats.not_modified, stats.ok, stats.new_articles) == (2, 2, 0, 0)
    etag_requests = [r for r in server.requests if r.path == "/etag.xml"]
    assert etag_requests[-1].headers.get("If-None-Match") == '"v1"'
    assert (await rig.feed(server.url("/etag.xml"))).last_status == 304


async def test_new_item_later_is_stored_once(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    rig = Rig(sessions, http, [FeedSettings(url=server.url("/a.xml"))])
    server.set_feed("/a.xml", items(rig.clock, ("a", 500)))
    await rig.poller.tick()
    assert await rig.titles() == []
    rig.clock.advance(minutes=2)
    server.set_feed("/a.xml", items(rig.clock, ("b", 1), ("a", 502)))
    stats = await rig.poller.tick()
    assert stats.new_articles == 1
    for _ in range(3):  # the same document again and again
        server.set_feed("/a.xml", items(rig.clock, ("b", 1), ("a", 502)) + b"\n")
        await rig.next_tick()
    assert await rig.titles() == ["story b"]


async def test_redated_bumped_syndicated_and_reappearing_items_are_not_new(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    feeds = [FeedSettings(url=server.url("/a.xml")), FeedSettings(url=server.url("/b.xml"))]
    rig = Rig(sessions, http, feeds)
    server.set_feed("/a.xml", items(rig.clock, ("x", 5), ("y", 6)))
    server.set_feed("/b.xml", items(rig.clock, ("z", 7)))
    await rig.poller.tick()
    assert sorted(await rig.titles()) == ["story x", "story y", "story z"]

    rig.clock.advance(minutes=2)
    moved = rss(
        [
            # x re-dated to now; y with a bumped GUID and a tracking parameter on the same URL
            {"title": "story x (updated)", "link": "https://news.example/x", "guid": "id-x",
             "pubDate": pub(rig.clock, 0)},
            {"title": "story y", "link": "https://news.example/y?utm_source=rss", "guid": "id-y-v2",
             "pubDate": pub(rig.clock, 0)},
        ]
    )  # fmt: skip
    server.set_feed("/a.xml", moved)
    # b syndicates x under its own GUID, over http, with a fragment; z has dropped off b
    server.set_feed(
        "/b.xml",
        rss([{"title": "x via b", "link": "http://NEWS.example/x#main", "guid": "b-77",
              "pubDate": pub(rig.clock, 0)}]),
    )  # fmt: skip
    assert (await rig.poller.tick()).new_articles == 0
    server.set_feed("/b.xml", items(rig.clock, ("z", 9)))  # z is back
    assert (await rig.next_tick()).new_articles == 0
    assert sorted(await rig.titles()) == ["story x", "story y", "story z"]


async def test_feed_health_transitions_are_logged_once(
    sessions: async_sessionmaker[AsyncSession],
    http: aiohttp.ClientSession,
    server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = server.url("/a.xml")
    rig = Rig(sessions, http, [FeedSettings(url=url)])
    server.fail("/a.xml", 500)
    caplog.set_level(logging.DEBUG, logger="bot.ingest")
    for _ in range(6):
        await rig.next_tick(minutes=120)  # past any backoff
    row = await rig.feed(url)
    assert (row.consecutive_failures, row.failing, row.last_status) == (6, True, 500)
    assert row.last_error == "HTTP 500 Internal Server Error"
    assert row.next_poll_at is not None and row.next_poll_at > rig.clock.now
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    # the first failure at once, with its reason; then when it counts as failing; never more
    assert len(warnings) == 2 and all(url in w and "HTTP 500" in w for w in warnings)
    assert "poll failed" in warnings[0] and "is failing" in warnings[1]

    server.set_feed("/a.xml", items(rig.clock, ("a", 1)))
    for _ in range(3):
        await rig.next_tick(minutes=120)
    row = await rig.feed(url)
    assert (row.consecutive_failures, row.failing, row.last_error) == (0, False, None)
    assert row.last_ok_at == rig.clock.now or row.last_ok_at is not None
    infos = [
        r for r in caplog.records if r.levelno == logging.INFO and "recovered" in r.getMessage()
    ]
    assert len(infos) == 1
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 2


async def test_failing_feed_backs_off(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    rig = Rig(sessions, http, [FeedSettings(url=server.url("/a.xml"))])
    server.fail("/a.xml", 503)  # no Retry-After: the host pauses for the default minute
    await rig.poller.tick()
    for _ in range(20):  # twenty ticks, ten seconds apart
        await rig.next_tick(minutes=1 / 6)
    assert server.hits("/a.xml") <= 3


async def test_feed_added_in_database_is_polled_without_restart_and_removed_one_is_not(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    rig = Rig(sessions, http, [FeedSettings(url=server.url("/config.xml"))])
    server.set_feed("/config.xml", items(rig.clock, ("c", 1)))
    server.set_feed("/admin.xml", items(rig.clock, ("d", 1)))
    assert (await rig.poller.tick()).polled == 1
    async with sessions.begin() as session:
        await feed_repo.add_feed(session, server.url("/admin.xml"), rig.clock.now, name="Admin")
    stats = await rig.poller.tick()
    assert (stats.polled, stats.new_articles) == (1, 1)
    assert (await rig.feed(server.url("/admin.xml"))).origin == "admin"
    async with sessions.begin() as session:
        assert await feed_repo.disable_feed(session, server.url("/admin.xml"))
    hits = server.hits("/admin.xml")
    await rig.next_tick(minutes=30)
    assert server.hits("/admin.xml") == hits
    assert server.hits("/config.xml") == 2


async def test_config_sync_adds_updates_and_disables(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    first = Rig(sessions, http, [FeedSettings(url="http://a.test/x", name="A")])
    await first.poller.sync_feeds()
    later = Rig(
        sessions, http, [FeedSettings(url="http://b.test/y", name="B", interval_seconds=30)]
    )
    await later.poller.sync_feeds()
    async with sessions() as session:
        rows = {r.url: r for r in await session.scalars(select(FeedRow))}
    assert rows["http://a.test/x"].enabled is False
    b = rows["http://b.test/y"]
    assert (b.enabled, b.origin, b.name, b.interval_seconds) == (True, "config", "B", 30)


async def test_permanent_redirect_updates_the_stored_url(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    old, new = server.url("/old.xml"), server.url("/new.xml")
    rig = Rig(sessions, http, [FeedSettings(url=old)])
    server.redirect("/old.xml", new, 301)
    server.set_feed("/new.xml", items(rig.clock, ("a", 1)))
    await rig.poller.tick()
    row = await rig.feed(old)
    assert (row.url, row.declared_url) == (new, old)
    await rig.next_tick()
    assert server.hits("/old.xml") == 1 and server.hits("/new.xml") == 2
    await rig.poller.sync_feeds()  # the config still says the old URL: still one feed
    async with sessions() as session:
        assert len((await session.scalars(select(FeedRow))).all()) == 1


async def test_seen_set_survives_restart_and_is_pruned_after_retention(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    feeds = [FeedSettings(url=server.url("/a.xml"))]
    rig = Rig(sessions, http, feeds)
    server.set_feed("/a.xml", items(rig.clock, ("a", 1)))
    await rig.poller.tick()
    restarted = Rig(sessions, http, feeds)  # a new process: same database
    restarted.clock.now = rig.clock.now + timedelta(minutes=5)
    server.set_feed("/a.xml", items(restarted.clock, ("a", 1)) + b" ")  # re-dated, new body
    assert (await restarted.poller.tick()).new_articles == 0
    server.remove("/a.xml")
    restarted.clock.advance(days=SETTINGS.retention_days + 1)
    await restarted.poller.tick()
    async with sessions() as session:
        assert (await session.scalars(select(SeenKeyRow))).all() == []


async def test_429_defers_the_other_feeds_of_that_host_without_asking_it(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    feeds = [FeedSettings(url=server.url(f"/{name}.xml")) for name in ("a", "b", "c")]
    rig = Rig(sessions, http, feeds, dataclasses.replace(SETTINGS, per_host_concurrency=1))
    server.fail("/a.xml", 429, retry_after=600)
    server.set_feed("/b.xml", items(rig.clock, ("b", 1)))
    server.set_feed("/c.xml", items(rig.clock, ("c", 1)))
    stats = await rig.poller.tick()
    assert (stats.failed, stats.deferred, stats.ok) == (1, 2, 0)
    assert server.hits("/b.xml") == server.hits("/c.xml") == 0
    b = await rig.feed(server.url("/b.xml"))
    assert (b.consecutive_failures, b.failing) == (0, False)
    assert b.next_poll_at is not None and b.next_poll_at >= rig.clock.now + timedelta(seconds=590)
    await rig.next_tick(minutes=5)
    assert server.hits("/a.xml") == 1 and server.hits("/b.xml") == 0
    server.set_feed("/a.xml", items(rig.clock, ("a", 1)))  # the host is happy again
    stats = await rig.next_tick(minutes=6)
    assert (stats.ok, stats.new_articles) == (3, 3)


async def test_check_feed_lists_items_and_refuses_what_is_not_a_feed(
    http: aiohttp.ClientSession, server: FeedServer
) -> None:
    clock = Clock()
    server.set_feed("/a.xml", items(clock, ("a", 1), ("b", 999)))
    server.set_feed("/page", b"<html><body>hello</body></html>", content_type="text/html")
    articles = await check_feed(server.url("/a.xml"), SETTINGS, http, clock=clock)
    assert [(a.title, a.url) for a in articles] == [
        ("story a", "https://news.example/a"),
        ("story b", "https://news.example/b"),
    ]
    assert articles[1].published == clock.now - timedelta(minutes=999)
    assert all(a.key.startswith("url:") and a.source == "Test feed" for a in articles)
    with pytest.raises(FeedError, match="web page, not a feed; it advertises no RSS/Atom feed"):
        await check_feed(server.url("/page"), SETTINGS, http, clock=clock)
