"""Bad input from feeds: one log line, nothing lost, nothing crashes (feed server + SQLite)."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import FeedSettings, PollingSettings
from bot.ingest.poller import Poller, make_parse_pool
from bot.store.db import create_engine, session_factory
from bot.store.tables import ArticleRow, Base, FeedRow, SeenKeyRow
from tests.fakes.feed_server import LOOPBACK, FeedServer, rss

START = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = PollingSettings(
    interval_seconds=60,
    failing_after=1,  # so every bad feed turns failing (and logs) on its first poll
    connect_timeout_seconds=1.0,
    total_timeout_seconds=1.0,
    max_bytes=3_000_000,
    allowed_networks=LOOPBACK,
)


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bad.sqlite3'}")
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def polling_settings() -> PollingSettings:
    return SETTINGS


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def pub(minutes_ago: float, now: datetime = START) -> str:
    return format_datetime(now - timedelta(minutes=minutes_ago), usegmt=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


GOOD = rss([{"title": "good story", "link": "https://e.com/good", "pubDate": pub(5)}])
HTML = b"<!DOCTYPE html><html><head><title>Site</title></head><body><h1>Welcome</h1></body></html>"
BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(8)
    )
    + b']>\n<rss version="2.0"><channel><item><title>&i;</title></item></channel></rss>'
)
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY s SYSTEM "file:///etc/passwd">]>\n'
    b'<rss version="2.0"><channel><item><title>x &s;</title><link>https://e.com/x</link>'
    b"</item></channel></rss>"
)


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[FeedServer, str], str]  # (server, path) -> the feed URL to configure
    error: str  # expected in last_error and in the one log line


def serve(body: bytes, **kwargs: object) -> Callable[[FeedServer, str], str]:
    def setup(server: FeedServer, path: str) -> str:
        server.set_feed(path, body, **kwargs)  # type: ignore[arg-type]
        return server.url(path)

    return setup


def slow(server: FeedServer, path: str) -> str:
    server.set_feed(path, GOOD)
    server.delay(path, 3600)
    return server.url(path)


def trickle(server: FeedServer, path: str) -> str:
    server.set_feed(path, GOOD)
    server.trickle(path, 0.3)
    return server.url(path)


def huge(server: FeedServer, path: str) -> str:
    server.huge(path, 400_000_000)
    return server.url(path)


def failing(server: FeedServer, path: str) -> str:
    server.fail(path, 500)
    return server.url(path)


FAILING_CASES = [
    Case("malformed", serve(b'<?xml version="1.0"?><rss version="2.0"><channel><ite'), "malformed"),
    Case("html page", serve(HTML, content_type="text/html"), "not an RSS/Atom feed"),
    Case("empty body", serve(b""), "empty body"),
    Case("too large", huge, "over the 3000000-byte limit"),
    Case("entity bomb", serve(BOMB), "entity declarations are not allowed"),
    Case("external entity", serve(XXE), "entity declarations are not allowed"),
    Case("never answers", slow, "timed out"),
    Case("trickles", trickle, "timed out"),
    Case("refused", lambda s, p: f"http://127.0.0.1:{free_port()}{p}", "cannot connect"),
    Case("tls failure", lambda s, p: serve(GOOD)(s, p).replace("http:", "https:"), "TLS error"),
    Case("http 500", failing, "HTTP 500"),
]


async def test_each_bad_feed_logs_one_line_and_the_good_feed_is_not_lost(
    sessions: async_sessionmaker[AsyncSession],
    http: aiohttp.ClientSession,
    server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.set_feed("/good.xml", GOOD)
    urls = {case.name: case.setup(server, f"/{i}.xml") for i, case in enumerate(FAILING_CASES)}
    feeds = [FeedSettings(url=server.url("/good.xml"))] + [
        FeedSettings(url=u) for u in urls.values()
    ]
    clock = Clock()
    poller = Poller(SETTINGS, feeds, sessions, http, clock=clock)
    caplog.set_level(logging.INFO, logger="bot")

    stats = await poller.tick()

    assert (stats.polled, stats.failed, stats.new_articles) == (12, 11, 1)
    async with sessions() as session:
        titles = (await session.scalars(select(ArticleRow.title))).all()
        rows = {row.url: row for row in await session.scalars(select(FeedRow))}
    assert titles == ["good story"]
    for case in FAILING_CASES:
        row = rows[urls[case.name]]
        assert row.failing and row.consecutive_failures == 1, case.name
        assert row.last_error is not None and case.error in row.last_error, (
            case.name,
            row.last_error,
        )
        assert "\n" not in row.last_error
        lines = [r for r in caplog.records if urls[case.name] in r.getMessage()]
        assert [r.levelname for r in lines] == ["WARNING"], case.name
        assert r"root:" not in row.last_error

    caplog.clear()
    clock.now += timedelta(hours=3)  # past every backoff: all polled again, all still bad
    stats = await poller.tick()
    assert stats.failed == 11
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_recoverable_malformed_xml_and_wrong_content_type_lose_nothing(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    sloppy = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Strike & fire</title><link>https://e.com/1</link><pubDate>{pub(1)}</pubDate>"
        "<description><p>unclosed <b>bold</description></item></channel></rss>"
    ).encode()
    server.set_feed("/sloppy.xml", sloppy)
    server.set_feed("/octet.xml", GOOD, content_type="application/octet-stream")
    server.set_feed(
        "/html-typed.xml", GOOD.replace(b"good story", b"typed as html"), content_type="text/html"
    )
    feeds = [
        FeedSettings(url=server.url(p)) for p in ("/sloppy.xml", "/octet.xml", "/html-typed.xml")
    ]
    poller = Poller(SETTINGS, feeds, sessions, http, clock=Clock())
    stats = await poller.tick()
    assert (stats.failed, stats.new_articles) == (0, 2)  # octet and html-typed share a link
    async with sessions() as session:
        titles = sorted((await session.scalars(select(ArticleRow.title))).all())
    assert titles[0] == "Strike & fire" and len(titles) == 2


async def test_items_without_title_link_or_date_and_future_dates(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    clock = Clock()
    server.set_feed("/a.xml", rss([]))
    poller = Poller(SETTINGS, [FeedSettings(url=server.url("/a.xml"))], sessions, http, clock=clock)
    await poller.tick()  # first poll: an empty feed
    clock.now += timedelta(minutes=5)
    server.set_feed(
        "/a.xml",
        rss(
            [
                {"description": "<p>no title, no link, no date</p>"},
                {"title": "no link", "pubDate": pub(1, clock.now)},
                {"title": "from the future", "link": "https://e.com/f",
                 "pubDate": "Fri, 01 Jan 2100 00:00:00 GMT"},
                {"link": "https://e.com/untitled", "guid": "u-1", "pubDate": pub(2, clock.now)},
                {},  # nothing at all: nothing to alert about, nothing to store
            ]
        ),
    )  # fmt: skip
    stats = await poller.tick()
    assert stats.failed == 0 and stats.new_articles == 4
    async with sessions() as session:
        rows = (await session.scalars(select(ArticleRow).order_by(ArticleRow.id))).all()
    got = [(r.title, r.url, r.text, r.published) for r in rows]
    assert got == [
        ("", "", "no title, no link, no date", clock.now),
        ("no link", "", "", clock.now - timedelta(minutes=1)),
        ("from the future", "https://e.com/f", "", clock.now),
        ("", "https://e.com/untitled", "", clock.now - timedelta(minutes=2)),
    ]


async def test_ten_thousand_items_do_not_flood(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    clock = Clock()
    backlog = [
        {
            "title": f"item {i}",
            "link": f"https://e.com/{i}",
            "guid": f"g{i}",
            "pubDate": pub(300 + i),
        }
        for i in range(10_000)
    ]
    recent = [
        {"title": f"recent {i}", "link": f"https://e.com/r{i}", "pubDate": pub(i)} for i in range(3)
    ]
    server.set_feed("/big.xml", rss(recent + backlog))
    poller = Poller(
        SETTINGS, [FeedSettings(url=server.url("/big.xml"))], sessions, http, clock=clock
    )
    stats = await poller.tick()
    assert (stats.failed, stats.new_articles) == (0, 3)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SeenKeyRow)) == 20_003
    clock.now += timedelta(minutes=2)
    newest = {"title": "newest", "link": "https://e.com/n", "pubDate": pub(0, clock.now)}
    server.set_feed("/big.xml", rss([newest, *recent, *backlog]))
    assert (await poller.tick()).new_articles == 1


async def test_parsing_in_a_process_pool_gives_the_same_results_and_errors(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, server: FeedServer
) -> None:
    server.set_feed("/good.xml", GOOD)
    server.set_feed("/bomb.xml", BOMB)
    feeds = [FeedSettings(url=server.url("/good.xml")), FeedSettings(url=server.url("/bomb.xml"))]
    pool = make_parse_pool(1)
    try:
        poller = Poller(SETTINGS, feeds, sessions, http, clock=Clock(), parse_executor=pool)
        stats = await poller.tick()
    finally:
        pool.shutdown()
    assert (stats.ok, stats.failed, stats.new_articles) == (1, 1, 1)
    async with sessions() as session:
        bomb = await session.scalar(select(FeedRow).where(FeedRow.url == server.url("/bomb.xml")))
    assert bomb is not None and bomb.last_error == "XML entity declarations are not allowed"
