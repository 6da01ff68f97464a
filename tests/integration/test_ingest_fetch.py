"""fetch.py against the local feed server: what a feed owner sees of our requests."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

import bot
from bot.config import PollingSettings
from bot.errors import FeedFetchError
from bot.ingest.fetch import Fetcher, RetryLater, Validators
from tests.fakes.feed_server import LOOPBACK, FeedServer, rss

SETTINGS = PollingSettings(
    max_bytes=200_000,
    connect_timeout_seconds=1.0,
    total_timeout_seconds=1.0,
    allowed_networks=LOOPBACK,
)
BODY = rss([{"title": "hello", "link": "https://e.com/1", "guid": "g1"}])


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer(hosts=("127.0.0.1", "127.0.0.2")) as srv:
        yield srv


@pytest.fixture
def polling_settings() -> PollingSettings:
    return SETTINGS


@pytest.fixture
def fetcher(http: aiohttp.ClientSession) -> Fetcher:
    return Fetcher(http, SETTINGS)


async def test_request_names_the_bot_and_accepts_gzip(server: FeedServer, fetcher: Fetcher) -> None:
    server.set_feed("/f.xml", BODY, compress=True)
    result = await fetcher.fetch(server.url("/f.xml"))
    assert result.status == 200 and result.body == BODY  # decompressed
    headers = server.requests[-1].headers
    assert headers["User-Agent"].startswith(f"strikebot/{bot.__version__} (+https://")
    assert "gzip" in headers["Accept-Encoding"] and "deflate" in headers["Accept-Encoding"]
    assert server.bytes_sent["/f.xml"] < len(BODY)  # it really went compressed


async def test_conditional_get_with_etag_gives_304_without_body(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.set_feed("/f.xml", BODY, etag='"v1"', last_modified="Tue, 25 Nov 2025 10:00:00 GMT")
    first = await fetcher.fetch(server.url("/f.xml"))
    assert (first.etag, first.last_modified) == ('"v1"', "Tue, 25 Nov 2025 10:00:00 GMT")
    second = await fetcher.fetch(server.url("/f.xml"), Validators(first.etag, first.last_modified))
    assert (second.status, second.body) == (304, b"")
    assert server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert server.requests[-1].headers["If-Modified-Since"] == "Tue, 25 Nov 2025 10:00:00 GMT"


async def test_last_modified_alone_gives_304(server: FeedServer, fetcher: Fetcher) -> None:
    server.set_feed("/f.xml", BODY, last_modified="Tue, 25 Nov 2025 10:00:00 GMT")
    result = await fetcher.fetch(
        server.url("/f.xml"), Validators(None, "Tue, 25 Nov 2025 10:00:00 GMT")
    )
    assert result.status == 304


async def test_permanent_redirects_report_the_new_url(server: FeedServer, fetcher: Fetcher) -> None:
    server.redirect("/old", server.url("/mid"), 301)
    server.redirect("/mid", "/new", 308)  # relative Location
    server.set_feed("/new", BODY)
    result = await fetcher.fetch(server.url("/old"))
    assert result.body == BODY
    assert result.moved_to == server.url("/new")


async def test_temporary_redirect_keeps_the_url(server: FeedServer, fetcher: Fetcher) -> None:
    server.redirect("/old", server.url("/mid"), 301)
    server.redirect("/mid", server.url("/new"), 302)
    server.set_feed("/new", BODY)
    result = await fetcher.fetch(server.url("/old"))
    assert result.body == BODY and result.moved_to is None


async def test_redirect_loop_and_long_chains_are_bounded(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.redirect("/a", "/b", 301)
    server.redirect("/b", "/a", 301)
    with pytest.raises(FeedFetchError, match="redirect loop"):
        await fetcher.fetch(server.url("/a"))
    for i in range(10):
        server.redirect(f"/r{i}", f"/r{i + 1}", 302)
    with pytest.raises(FeedFetchError, match="more than 5 redirects"):
        await fetcher.fetch(server.url("/r0"))
    assert server.hits("/r6") == 0


async def test_body_over_max_bytes_is_aborted_not_buffered(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.huge("/huge", 500_000_000)
    with pytest.raises(FeedFetchError, match="over the 200000-byte limit"):
        await fetcher.fetch(server.url("/huge"))
    await asyncio.sleep(0.2)  # let the server notice the closed connection
    assert server.bytes_sent["/huge"] < 50_000_000  # 1 % of the body ever left the server


async def test_declared_length_over_max_is_refused_before_reading(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.huge("/huge", 10_000_000, declare_length=True)
    with pytest.raises(FeedFetchError, match="body of 10000000 bytes"):
        await fetcher.fetch(server.url("/huge"))


async def test_server_that_never_answers_times_out(server: FeedServer, fetcher: Fetcher) -> None:
    server.set_feed("/slow", BODY)
    server.delay("/slow", 3600)
    with pytest.raises(FeedFetchError, match="timed out after 1 s"):
        await fetcher.fetch(server.url("/slow"))


async def test_trickling_server_times_out(server: FeedServer, fetcher: Fetcher) -> None:
    server.set_feed("/trickle", BODY)
    server.trickle("/trickle", 0.3)  # a byte every 0.3 s: ~4 bytes before the 1 s limit
    with pytest.raises(FeedFetchError, match="timed out"):
        await fetcher.fetch(server.url("/trickle"))
    assert server.bytes_sent["/trickle"] < len(BODY)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused(fetcher: Fetcher) -> None:
    with pytest.raises(FeedFetchError, match="cannot connect"):
        await fetcher.fetch(f"http://127.0.0.1:{free_port()}/feed.xml")


async def test_tls_failure(server: FeedServer, fetcher: Fetcher) -> None:
    server.set_feed("/f.xml", BODY)
    with pytest.raises(FeedFetchError) as failure:
        await fetcher.fetch(server.url("/f.xml").replace("http://", "https://"))
    assert "TLS" in str(failure.value) or "SSL" in str(failure.value)
    assert "\n" not in str(failure.value)


@pytest.mark.parametrize("status", [500, 502, 404, 410, 403])
async def test_error_status_is_a_fetch_error_with_the_status(
    server: FeedServer, fetcher: Fetcher, status: int
) -> None:
    server.fail("/f.xml", status)
    with pytest.raises(FeedFetchError, match=f"HTTP {status}") as failure:
        await fetcher.fetch(server.url("/f.xml"))
    assert failure.value.status == status


async def test_429_pauses_the_whole_host_but_not_others(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.fail("/limited", 429, retry_after=120)
    server.set_feed("/other", BODY)
    with pytest.raises(RetryLater) as first:
        await fetcher.fetch(server.url("/limited"))
    assert first.value.status == 429 and first.value.retry_after_seconds == 120
    with pytest.raises(RetryLater) as second:
        await fetcher.fetch(server.url("/other"))
    assert second.value.status is None and 115 < second.value.retry_after_seconds <= 120
    assert server.hits("/other") == 0  # the paused host was not asked at all
    other_host = await fetcher.fetch(server.url("/other", host="127.0.0.2"))
    assert other_host.status == 200


async def test_503_with_http_date_retry_after(
    server: FeedServer, http: aiohttp.ClientSession
) -> None:
    now = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
    fetcher = Fetcher(http, SETTINGS, clock=lambda: now)
    server.fail("/busy", 503, retry_after="Tue, 25 Nov 2025 12:10:00 GMT")
    with pytest.raises(RetryLater) as failure:
        await fetcher.fetch(server.url("/busy"))
    assert failure.value.retry_after_seconds == 600


async def test_per_host_concurrency_is_limited(
    server: FeedServer, http: aiohttp.ClientSession
) -> None:
    unspaced = dataclasses.replace(SETTINGS, per_host_spacing_seconds=0)
    fetcher = Fetcher(http, unspaced)
    for i in range(6):
        server.set_feed(f"/f{i}", BODY)
        server.delay(f"/f{i}", 0.2)
    results = await asyncio.gather(
        *(fetcher.fetch(server.url(f"/f{i}")) for i in range(6)),
        *(fetcher.fetch(server.url(f"/f{i}", host="127.0.0.2")) for i in range(6)),
    )
    assert all(r.status == 200 for r in results)
    assert server.max_in_flight == {"127.0.0.1": 2, "127.0.0.2": 2}


async def test_requests_to_one_host_are_spaced_but_other_hosts_are_not_held(
    server: FeedServer, http: aiohttp.ClientSession
) -> None:
    spaced = dataclasses.replace(SETTINGS, per_host_spacing_seconds=0.2, per_host_concurrency=4)
    fetcher = Fetcher(http, spaced)
    for i in range(4):
        server.set_feed(f"/f{i}", BODY)
    await asyncio.gather(
        *(fetcher.fetch(server.url(f"/f{i}")) for i in range(4)),
        fetcher.fetch(server.url("/f0", host="127.0.0.2")),
    )
    first = [r.at for r in server.requests if r.host.startswith("127.0.0.1")]
    gaps = [b - a for a, b in itertools.pairwise(sorted(first))]
    assert len(gaps) == 3 and min(gaps) >= 0.18  # a new outlet's first polls are not a flood
    other = next(r.at for r in server.requests if r.host.startswith("127.0.0.2"))
    assert other - min(first) < 0.15  # another host does not queue behind it


async def test_cache_control_max_age_is_reported(server: FeedServer, fetcher: Fetcher) -> None:
    server.set_feed("/cached", BODY, headers={"Cache-Control": "public, max-age=600"})
    assert (await fetcher.fetch(server.url("/cached"))).max_age_seconds == 600
    server.set_feed("/nocache", BODY, headers={"Cache-Control": "no-cache, max-age=600"})
    assert (await fetcher.fetch(server.url("/nocache"))).max_age_seconds is None
