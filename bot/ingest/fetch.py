"""HTTP for feeds: conditional GET, politeness, bounded reads. The only I/O of ingest's front end.

A :class:`Fetcher` (one per poller, holding no global state) gives each request:

* ``If-None-Match`` / ``If-Modified-Since`` from the last 200 (304 → ``status=304``, no body);
* a per-host and a global concurrency limit (host first, so a slow host cannot hold the global
  slots while it queues), requests to one host at least ``per_host_spacing_seconds`` apart
  (so a cold start with many feeds of one outlet is not a flood), our User-Agent,
  ``Accept-Encoding: gzip, deflate``;
* a connect timeout and a total timeout per request (connection, redirects, body);
* a streamed read aborted as soon as the decoded body passes ``max_bytes``;
* only public addresses unless ``[polling] allowed_networks`` says otherwise
  (:mod:`bot.ingest.addresses`: checked on every hop and after DNS resolution);
* manual redirects, at most :data:`MAX_REDIRECTS`, loops refused; when every hop was 301/308
  the final URL is reported as ``moved_to`` so the caller can update the stored URL;
* 503 with ``Retry-After`` belongs to the URL that sent it: that feed waits
  (:class:`RetryLater`), the other feeds of its host do not. Only 429 ("too many requests",
  about us as a client) pauses the whole host, for ``Retry-After`` (or
  :data:`DEFAULT_HOST_PAUSE`) but never more than :data:`MAX_HOST_PAUSE`, with one log line
  when the pause starts; while a host is paused its feeds get :class:`RetryLater` without a
  request.

Every failure is a :class:`FeedFetchError` whose message is one line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import logging
import os
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

import aiohttp

import bot
from bot.config import USER_AGENT, PollingSettings
from bot.errors import FeedFetchError, one_line
from bot.ingest.addresses import AddressPolicy, BlockedAddress, GuardedResolver

log = logging.getLogger(__name__)
MAX_REDIRECTS = 5
DEFAULT_HOST_PAUSE = timedelta(seconds=60)
MAX_HOST_PAUSE = timedelta(hours=1)
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})


def user_agent() -> str:
    return USER_AGENT.format(version=bot.__version__)


def make_http_session(settings: PollingSettings) -> aiohttp.ClientSession:
    """The one HTTP session of the poller (create it inside the running event loop)."""
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(AddressPolicy(settings.allowed_networks)),
        limit=settings.global_concurrency,
        limit_per_host=settings.per_host_concurrency,
        ttl_dns_cache=300,
    )
    return aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": user_agent()},
        timeout=_timeout(settings),
        auto_decompress=True,
    )


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: int  # 200 or 304
    body: bytes  # b"" on 304
    etag: str | None
    last_modified: str | None
    content_type: str
    final_url: str
    moved_to: str | None  # the new URL when every redirect was permanent (301/308)
    max_age_seconds: float | None = None  # Cache-Control: max-age (a floor for the interval)


class RetryLater(FeedFetchError):
    """429/503, or the host is paused: try again after ``retry_after_seconds``."""

    def __init__(self, message: str, status: int | None, retry_after_seconds: float) -> None:
        super().__init__(message, status)
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True, slots=True)
class _Hop:
    status: int
    location: str | None = None
    result: FetchResult | None = None


class Fetcher:
    def __init__(
        self,
        http: aiohttp.ClientSession,
        settings: PollingSettings,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._http = http
        self._settings = settings
        self._clock = clock
        self._global = asyncio.Semaphore(settings.global_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._paused_until: dict[str, datetime] = {}
        self._host_next: dict[str, float] = {}  # loop time the next request to a host may start
        self._user_agent = user_agent()
        self._addresses = AddressPolicy(settings.allowed_networks)

    async def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        validators = validators or Validators()
        current, visited, permanent = url, {url}, True
        for _hop in range(MAX_REDIRECTS + 1):
            host = _host(current)
            self._addresses.check_url(current)  # the first URL and every redirect
            self._check_paused(host)
            async with self._host_slot(host):
                self._check_paused(host)  # again: a 429 may have come while we queued
                await self._space(host)
                async with self._global:
                    hop = await self._exchange(current, host, validators)
            if hop.result is not None:
                moved = current if permanent and current != url else None
                return dataclasses.replace(hop.result, final_url=current, moved_to=moved)
            target = urljoin(current, hop.location or "")
            if urlsplit(target).scheme not in ("http", "https"):
                raise FeedFetchError(f"HTTP {hop.status} redirect to an unusable URL", hop.status)
            if target in visited:
                raise FeedFetchError(f"redirect loop (HTTP {hop.status})", hop.status)
            visited.add(target)
            permanent = permanent and hop.status in _PERMANENT
            current = target
        raise FeedFetchError(f"more than {MAX_REDIRECTS} redirects", 310)

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self._settings.per_host_concurrency)
        return self._hosts[host]

    async def _space(self, host: str) -> None:
        """Requests to one host start at least ``per_host_spacing_seconds`` apart."""
        spacing = self._settings.per_host_spacing_seconds
        if spacing <= 0:
            return
        now = asyncio.get_running_loop().time()
        start = max(self._host_next.get(host, now), now)
        self._host_next[host] = start + spacing
        if start > now:
            await asyncio.sleep(start - now)

    def _check_paused(self, host: str) -> None:
        until = self._paused_until.get(host)
        if until is None:
            return
        wait = (until - self._clock()).total_seconds()
        if wait <= 0:
            del self._paused_until[host]
            return
        raise RetryLater(f"host {host} asked us to wait {wait:.0f} s", None, wait)

    async def _exchange(self, url: str, host: str, validators: Validators) -> _Hop:
        total = self._settings.total_timeout_seconds
        try:
            async with asyncio.timeout(total):
                return await self._request(url, host, validators)
        except TimeoutError:
            raise FeedFetchError(f"timed out after {total:g} s") from None
        except (ssl.SSLError, aiohttp.ClientSSLError) as exc:
            raise FeedFetchError(f"TLS error: {_one_line(exc)}") from None
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, BlockedAddress):
                raise FeedFetchError(str(exc.os_error)) from None
            raise FeedFetchError(f"cannot connect: {_os_reason(exc.os_error)}") from None
        except aiohttp.ServerDisconnectedError:
            raise FeedFetchError("the server closed the connection") from None
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            raise FeedFetchError(f"{type(exc).__name__}: {_one_line(exc)}") from None

    async def _request(self, url: str, host: str, validators: Validators) -> _Hop:
        headers = {
            "User-Agent": self._user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        async with self._http.get(
            url, headers=headers, allow_redirects=False, timeout=_timeout(self._settings)
        ) as resp:
            status = resp.status
            if status in _REDIRECTS:
                return _Hop(status, location=resp.headers.get("Location", ""))
            if status == 429:
                wait = self._pause_host(host, resp.headers.get("Retry-After"))
                raise RetryLater(f"HTTP {status} {resp.reason or ''}".rstrip(), status, wait)
            if status == 503:  # this URL is down for a while: its own wait, not the host's
                asked = parse_retry_after(resp.headers.get("Retry-After"), self._clock())
                wait = (DEFAULT_HOST_PAUSE if asked is None else asked).total_seconds()
                raise RetryLater(f"HTTP {status} {resp.reason or ''}".rstrip(), status, wait)
            if status not in (200, 203, 304):
                raise FeedFetchError(f"HTTP {status} {resp.reason or ''}".rstrip(), status)
            body = b"" if status == 304 else await self._read(resp)
            return _Hop(
                status,
                result=FetchResult(
                    status=304 if status == 304 else 200,
                    body=body,
                    etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"),
                    content_type=resp.headers.get("Content-Type", ""),
                    final_url=url,
                    moved_to=None,
                    max_age_seconds=cache_max_age(resp.headers.get("Cache-Control")),
                ),
            )

    async def _read(self, resp: aiohttp.ClientResponse) -> bytes:
        limit = self._settings.max_bytes
        declared = resp.content_length
        if declared is not None and declared > limit and "Content-Encoding" not in resp.headers:
            raise FeedFetchError(f"body of {declared} bytes is over the {limit}-byte limit", 200)
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(65536):
            size += len(chunk)
            if size > limit:
                raise FeedFetchError(f"body over the {limit}-byte limit (read aborted)", 200)
            chunks.append(chunk)
        return b"".join(chunks)

    def _pause_host(self, host: str, retry_after: str | None) -> float:
        now = self._clock()
        asked = parse_retry_after(retry_after, now)
        pause = min(DEFAULT_HOST_PAUSE if asked is None else asked, MAX_HOST_PAUSE)
        until = now + pause
        before = self._paused_until.get(host)
        if before is None or before <= now:
            log.warning(
                "host %s answered HTTP 429 (too many requests): none of its feeds is polled "
                "for %.0f s", host, pause.total_seconds(),
            )  # fmt: skip
        self._paused_until[host] = max(until, before or until)
        return pause.total_seconds()


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d{1,9})", re.IGNORECASE)


def cache_max_age(value: str | None) -> float | None:
    """``Cache-Control: max-age`` in seconds; None when absent, unreadable or ``no-cache``."""
    if not value or "no-cache" in value.lower() or "no-store" in value.lower():
        return None
    ages = [int(match) for match in _MAX_AGE.findall(value)]
    return float(max(ages)) if ages else None


def _timeout(settings: PollingSettings) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(
        total=settings.total_timeout_seconds,
        connect=settings.connect_timeout_seconds,
        sock_connect=settings.connect_timeout_seconds,
    )


def _host(url: str) -> str:
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, (parts.hostname or "").lower()
    except ValueError:
        scheme = host = ""
    if scheme not in ("http", "https") or not host:
        raise FeedFetchError(f"not an http(s) URL: {url[:200]!r}")
    return host


def _os_reason(error: OSError) -> str:
    if error.errno and error.errno > 0:
        return os.strerror(error.errno)
    return error.strerror or _one_line(error)


def _one_line(exc: object) -> str:
    return (one_line(exc) or type(exc).__name__)[:200]
