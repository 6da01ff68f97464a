"""When to poll a feed next: a pure function of (feed state, outcome, now, settings, rng).

Adaptive polling (the default). A feed is polled as often as it earns:

* Its *publication rate* (items per hour) is read from the dates of the items it lists
  (:func:`document_rate`, on every changed body), or, for a feed without dates, from the new
  items each poll finds (:func:`blend_rate`). A feed that stops publishing cools down: the
  rate in use is never more than 3 items per hour of silence since its last new item.
* The interval is ``min_interval × (BUSY_RATE / rate) ^ 0.55``. The exponent 0.5 (the
  square-root rule) is the allocation of a request budget that minimises the *mean*
  feed-to-alert delay (delay ∝ rate × interval, requests ∝ 1 / interval); 0.55 leans a little
  further toward busy feeds, which keeps the p95 of busy outlets under 90 s and all items
  under 300 s with fewer requests than a fixed 300 s (benchmarks/bench_polling.py). A feed
  publishing every five minutes gets ``min_interval_seconds``, every 12 minutes ~1.5 min,
  hourly ~6 min, a few times a day ~10–15 min.
* Bounds: never below ``min_interval_seconds``; never above ``max_interval_seconds`` for a
  feed that published in the last day (a silent feed, or one never seen to publish, waits
  ``SILENT_FACTOR × max_interval``).
* Never below what the server asks: RSS ``<ttl>`` and ``Cache-Control: max-age`` are floors
  (for a feed that published in the last day capped at ``max_interval`` — a conditional GET
  costs a 304 — otherwise honoured in full), and ``Retry-After`` always wins.
* Fixed mode: ``[polling] interval_seconds`` (the pre-adaptive key) or a feed's own
  ``interval_seconds`` pins the interval; server floors still apply.

Each OK poll lands at ``interval × U(0.9, 1.0)``: spread so that feeds added together do not
stay in lock-step, never later than the interval. Failures back off exponentially from the
interval with "equal jitter", capped by ``max_backoff_seconds``; ``Retry-After`` is honoured
beyond the cap up to :data:`MAX_RETRY_AFTER`. DEFERRED (the host asked us to wait before we
even asked) retries when the wait ends; it is not the feed's failure.

:func:`plan` returns the time *and* why (shown by ``/feeds`` and ``strikebot stats``).
:func:`interleave_hosts` orders one tick's due feeds round-robin over hosts.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from bot.config import PollingSettings

T = TypeVar("T")
MAX_RETRY_AFTER = timedelta(hours=24)
OK_JITTER = 0.1  # an OK poll lands in [0.9, 1.0] × the interval
BUSY_RATE = 12.0  # items per hour (one every 5 minutes) that earn min_interval
RATE_EXPONENT = 0.55  # interval ∝ rate^-0.55: see the module docstring
SILENT_AFTER = timedelta(days=1)
SILENT_FACTOR = 2  # a silent feed waits this many × max_interval
UNKNOWN_INTERVAL = 300.0  # a feed whose rate is not known yet (clamped to the bounds)
RATE_WINDOW = timedelta(hours=24)
MIN_SPAN = timedelta(minutes=15)  # a document's dates span at least this much
COOLING = 3.0  # the rate in use is at most this many items per hour of silence
BLEND = 0.3  # weight of one poll's observation in an undated feed's rate


class Result(enum.Enum):
    OK = "ok"
    FAILED = "failed"
    DEFERRED = "deferred"


@dataclass(frozen=True, slots=True)
class FeedState:
    interval_seconds: int | None  # the feed's own fixed interval; None: adaptive (or global)
    consecutive_failures: int  # counting this outcome when it is a failure
    rate_per_hour: float | None = None  # observed publication rate; None: not known yet
    last_new_at: datetime | None = None  # newest item seen (its date, or when it appeared)
    ttl_seconds: int | None = None  # the feed's RSS <ttl>, in seconds


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    retry_after_seconds: float | None = None
    max_age_seconds: float | None = None  # Cache-Control: max-age of this response


@dataclass(frozen=True, slots=True)
class Plan:
    at: datetime
    interval_seconds: int  # the interval the feed is on (before jitter and backoff)
    reason: str  # why, in a few words: "rate 4.2/h", "silent > 1 day", "server ttl 60 min"…


def plan(
    state: FeedState,
    outcome: Outcome,
    now: datetime,
    settings: PollingSettings,
    rng: random.Random,
) -> Plan:
    interval, reason = interval_for(state, outcome, now, settings)
    if outcome.result is Result.OK:
        delay = interval * rng.uniform(1 - OK_JITTER, 1.0)
    elif outcome.result is Result.DEFERRED:
        delay = (outcome.retry_after_seconds or interval) * rng.uniform(1.0, 1.1)
        reason = "host asked to wait"
    else:
        delay = backoff_seconds(interval, state.consecutive_failures, settings, rng)
        failures = state.consecutive_failures
        reason = f"backoff after {failures} failure{'' if failures == 1 else 's'}"
    if outcome.retry_after_seconds is not None:
        if outcome.retry_after_seconds > delay:
            reason = f"Retry-After {_duration(outcome.retry_after_seconds)}"
        delay = max(delay, outcome.retry_after_seconds)
    delay = min(max(delay, 1.0), MAX_RETRY_AFTER.total_seconds())
    return Plan(now + timedelta(seconds=delay), round(interval), reason)


def next_poll(
    state: FeedState,
    outcome: Outcome,
    now: datetime,
    settings: PollingSettings,
    rng: random.Random,
) -> datetime:
    return plan(state, outcome, now, settings, rng).at


def interval_for(
    state: FeedState, outcome: Outcome, now: datetime, settings: PollingSettings
) -> tuple[float, str]:
    """The interval a healthy feed is on, and why."""
    low = float(max(settings.min_interval_seconds, 1))
    high = float(max(settings.max_interval_seconds, low))
    pinned = state.interval_seconds or settings.interval_seconds
    silent = state.last_new_at is None or now - state.last_new_at > SILENT_AFTER
    if pinned:
        interval, reason = float(pinned), "fixed interval"
    elif state.rate_per_hour is None:
        interval, reason = min(max(UNKNOWN_INTERVAL, low), high), "rate not known yet"
    else:
        rate = effective_rate(state.rate_per_hour, state.last_new_at, now)
        if silent or rate <= 0:
            interval, reason = high * SILENT_FACTOR, "silent > 1 day"
        else:
            interval = min(max(low * (BUSY_RATE / rate) ** RATE_EXPONENT, low), high)
            reason = _rate(rate)
    asked = max(float(state.ttl_seconds or 0), outcome.max_age_seconds or 0.0)
    floor = asked if silent or pinned else min(asked, high)
    if floor > interval:
        source = "ttl" if float(state.ttl_seconds or 0) >= asked else "max-age"
        interval, reason = floor, f"server {source} {_duration(asked)}"
        if floor < asked:
            reason += f" (capped at {_duration(floor)})"
    return interval, reason


def effective_rate(rate: float, last_new_at: datetime | None, now: datetime) -> float:
    """The rate in use: at most :data:`COOLING` items per hour of silence since the last one."""
    if last_new_at is None:
        return rate
    quiet_hours = (now - last_new_at).total_seconds() / 3600
    return rate if quiet_hours <= 0 else min(rate, COOLING / quiet_hours)


def document_rate(dates: Sequence[datetime], now: datetime) -> float | None:
    """Items per hour from the dates a document lists; None when the dates say nothing.

    Counts the items of the last :data:`RATE_WINDOW`; when every item is that recent (a feed
    listing its last 20 items of the last two hours), over the span they cover instead.
    Dates that are all the same minute (a feed re-dating every item on each fetch) say nothing.
    """
    if not dates:
        return None
    if len(dates) >= 3 and max(dates) - min(dates) < timedelta(minutes=1):
        return None
    recent = [d for d in dates if now - d <= RATE_WINDOW]
    if not recent:
        return 0.0
    whole = len(recent) == len(dates)  # the document may list only the latest few
    span = max(now - min(recent), MIN_SPAN) if whole else RATE_WINDOW
    return len(recent) / (span.total_seconds() / 3600)


def blend_rate(previous: float | None, new_items: int, elapsed: timedelta) -> float | None:
    """An undated feed's rate: a moving average of new items per hour between polls."""
    hours = elapsed.total_seconds() / 3600
    if hours <= 0:
        return previous
    observed = new_items / hours
    return observed if previous is None else (1 - BLEND) * previous + BLEND * observed


def backoff_seconds(
    interval: float, failures: int, settings: PollingSettings, rng: random.Random
) -> float:
    """Doubling from ``interval`` per failure, capped, with equal jitter."""
    cap = max(float(settings.max_backoff_seconds), interval)  # never busier than a healthy feed
    exponent = min(max(failures - 1, 0), 32)
    ceiling = min(cap, interval * 2.0**exponent)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def describe_mode(settings: PollingSettings) -> str:
    """One line for the start-up log: which scheduler is on."""
    if settings.interval_seconds:
        return (
            f"polling: fixed interval of {settings.interval_seconds} s for every feed "
            "([polling] interval_seconds is set; remove it for adaptive polling)"
        )
    return (
        f"polling: adaptive, {settings.min_interval_seconds}–{settings.max_interval_seconds} s "
        "per feed by its publication rate"
    )


def interleave_hosts(feeds: Sequence[T], url: Callable[[T], str]) -> list[T]:
    """Round-robin over hosts, so poll slots do not all queue behind one host's limit."""
    by_host: dict[str, list[T]] = {}
    for feed in feeds:
        by_host.setdefault(urlsplit(url(feed)).netloc.lower(), []).append(feed)
    lanes = list(by_host.values())
    longest = max(map(len, lanes), default=0)
    return [lane[i] for i in range(longest) for lane in lanes if i < len(lane)]


def _rate(rate: float) -> str:
    return f"{rate:.1f} items/h" if rate >= 1 else f"{rate * 24:.1f} items/day"


def _duration(seconds: float) -> str:
    if seconds >= 5400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"
