"""What a changed document says about a feed's publishing: its rate, newest item, ttl (pure).

The poll scheduler (:mod:`bot.ingest.schedule`) turns these into the feed's next interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.ingest import schedule
from bot.ingest.identity import Triage
from bot.ingest.parse import ParsedFeed


class FeedHistory(Protocol):
    """What :func:`learn` reads of a feed (``bot.store.feeds.FeedInfo`` has it)."""

    @property
    def rate_per_hour(self) -> float | None: ...
    @property
    def last_new_at(self) -> datetime | None: ...
    @property
    def last_polled_at(self) -> datetime | None: ...
    @property
    def initialized(self) -> bool: ...


def new_items(keys: Sequence[tuple[str, ...]], decided: Triage) -> int:
    """Items of the document seen for the first time in this poll."""
    return sum(1 for item_keys in keys if item_keys) - decided.known


def learn(feed: FeedHistory, parsed: ParsedFeed, new: int, now: datetime) -> dict[str, Any]:
    """``rate_per_hour``, ``last_new_at`` and ``ttl_seconds`` after a changed body."""
    dates = [item.published for item in parsed.items if item.dated] + list(parsed.other_dates)
    rate = schedule.document_rate(dates, now)
    last_new = feed.last_new_at
    if dates:
        last_new = max(last_new or max(dates), max(dates))
    if rate is None:  # no usable dates: count what appears between polls
        if feed.initialized and feed.last_polled_at is not None:
            rate = schedule.blend_rate(feed.rate_per_hour, new, now - feed.last_polled_at)
        if parsed.items and (new or not feed.initialized) and not dates:
            last_new = now
    ttl = parsed.ttl_minutes * 60 if parsed.ttl_minutes else None
    return {"rate_per_hour": rate, "last_new_at": last_new, "ttl_seconds": ttl}
