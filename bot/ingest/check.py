"""One feed, fetched and parsed once, outside the poller: ``strikebot check-feed URL`` and
/addfeed's look before adding. Also how a parsed item becomes an :class:`~bot.domain.Article`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp

from bot.config import PollingSettings
from bot.domain import Article
from bot.errors import FeedParseError
from bot.ingest import identity
from bot.ingest.discover import WebPageError, advertised_feeds, is_web_page
from bot.ingest.fetch import Fetcher
from bot.ingest.parse import ParsedFeed, parse_feed
from bot.store.feeds import FeedInfo


def article_from(
    feed: FeedInfo, source: str, key: str, parsed: ParsedFeed, index: int, now: datetime
) -> Article:
    """The article of item ``index`` of a parsed feed (its text as parsed, ``now`` fetched)."""
    item = parsed.items[index]
    return Article(
        key=key, feed_url=feed.url, source=source[:200], url=item.link, title=item.title,
        text=item.text, lang=feed.lang, published=item.published, fetched_at=now,
    )  # fmt: skip


async def check_feed(
    url: str,
    settings: PollingSettings,
    http_session: aiohttp.ClientSession,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[Article]:
    """Fetch and parse one feed (``strikebot check-feed URL``, /addfeed). Raises FeedError;
    :class:`~bot.ingest.discover.WebPageError` (with the feeds it advertises) for a web page."""
    fetched = await Fetcher(http_session, settings, clock=clock).fetch(url)
    now = clock()
    try:
        parsed = await asyncio.to_thread(parse_feed, fetched.body, now)
    except FeedParseError:
        if is_web_page(fetched.body, fetched.content_type):  # say so, and offer its feeds
            raise WebPageError(advertised_feeds(fetched.body, fetched.final_url)) from None
        raise
    source = parsed.title or urlsplit(url).hostname or url
    keys = identity.item_keys(0, parsed.items, source)
    info = FeedInfo(0, fetched.final_url, source, "", None, None, None, None, True, 0, False)
    return [
        article_from(info, source, keys[i][0] if keys[i] else "", parsed, i, now)
        for i in range(len(parsed.items))
    ]
