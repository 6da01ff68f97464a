"""SSRF: feeds reach public addresses only — on the first request, on every redirect and after
DNS resolution — unless ``[polling] allowed_networks`` lets a network in."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import FeedSettings, PollingSettings
from bot.errors import FeedFetchError
from bot.ingest.fetch import Fetcher, make_http_session
from tests.fakes.feed_server import FeedServer, rss
from tests.integration.test_ingest_poller import SETTINGS, Rig, postgres_url, sessions

__all__ = ["postgres_url", "sessions"]  # fixtures shared with the poller tests
BODY = rss([{"title": "hello", "link": "https://e.com/1", "guid": "g1"}])
CLOSED = dataclasses.replace(SETTINGS, allowed_networks=())  # the shipped default
ONLY_ONE = dataclasses.replace(SETTINGS, allowed_networks=("127.0.0.1/32",))


@pytest.fixture
async def two_hosts() -> AsyncIterator[FeedServer]:
    async with FeedServer(hosts=("127.0.0.1", "127.0.0.2")) as srv:
        yield srv


async def fetch(settings: PollingSettings, url: str) -> None:
    async with make_http_session(settings) as http:
        await Fetcher(http, settings).fetch(url)


async def test_loopback_is_refused_by_default_and_never_contacted(server: FeedServer) -> None:
    server.set_feed("/a.xml", BODY)
    with pytest.raises(FeedFetchError, match=r"127\.0\.0\.1 is a loopback address"):
        await fetch(CLOSED, server.url("/a.xml"))
    with pytest.raises(FeedFetchError, match="allowed_networks"):
        await fetch(CLOSED, f"http://[::ffff:127.0.0.1]:{server.port}/a.xml")
    assert server.hits("/a.xml") == 0
    await fetch(SETTINGS, server.url("/a.xml"))  # allowed explicitly: fetched
    assert server.hits("/a.xml") == 1


async def test_a_name_that_resolves_to_loopback_is_refused(server: FeedServer) -> None:
    server.set_feed("/a.xml", BODY)
    with pytest.raises(FeedFetchError, match=r"localhost resolves to .* loopback"):
        await fetch(CLOSED, server.url("/a.xml", host="localhost"))
    assert server.hits("/a.xml") == 0


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://127.0.0.2:{port}/inner.xml", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.1.2.3/feed.xml", "private"),
        ("http://[fd00::1]/feed.xml", "private"),
    ],
)
async def test_every_redirect_is_checked(two_hosts: FeedServer, target: str, kind: str) -> None:
    two_hosts.set_feed("/inner.xml", BODY)
    two_hosts.redirect("/outer.xml", target.format(port=two_hosts.port), status=302)
    with pytest.raises(FeedFetchError, match=f"is a {kind} address"):
        await fetch(ONLY_ONE, two_hosts.url("/outer.xml"))
    assert two_hosts.hits("/outer.xml") == 1 and two_hosts.hits("/inner.xml") == 0


async def test_a_configured_feed_redirected_inside_fails_on_every_poll(
    sessions: async_sessionmaker[AsyncSession], two_hosts: FeedServer
) -> None:
    two_hosts.set_feed("/inner.xml", BODY)
    two_hosts.redirect("/outer.xml", two_hosts.url("/inner.xml", host="127.0.0.2"))
    async with make_http_session(ONLY_ONE) as http:
        rig = Rig(sessions, http, [FeedSettings(url=two_hosts.url("/outer.xml"))], ONLY_ONE)
        for _ in range(3):
            stats = await rig.next_tick(minutes=60)
            assert (stats.failed, stats.new_articles) == (1, 0)
        feed = await rig.feed(two_hosts.url("/outer.xml"))
    assert feed.last_error is not None and "127.0.0.2 is a loopback address" in feed.last_error
    assert await rig.titles() == []
    assert two_hosts.hits("/inner.xml") == 0


@pytest.mark.parametrize(
    "host", ["2130706433", "0x7f000001", "127.1", "[::1]", "0.0.0.0", "[::]", "localhost."]
)
async def test_other_spellings_of_this_machine_are_never_contacted(
    server: FeedServer, host: str
) -> None:
    server.set_feed("/a.xml", BODY)
    with pytest.raises(FeedFetchError):  # refused, or not a URL aiohttp accepts
        await fetch(CLOSED, f"http://{host}:{server.port}/a.xml")
    assert server.hits("/a.xml") == 0
