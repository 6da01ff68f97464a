"""When to poll a feed next: a pure function of (feed state, outcome, now, settings, rng).

* OK (200, 304, unchanged body): the feed's own interval (or ``[polling] interval_seconds``),
  spread by ±10 % so feeds added together do not stay in lock-step.
* Failed: exponential backoff from the interval, doubling per consecutive failure, with
  "equal jitter" (half fixed, half random), never more than ``max_backoff_seconds``.
* A ``Retry-After`` (429/503, or another feed of the same host told us to wait) is honoured
  even beyond the backoff cap, up to :data:`MAX_RETRY_AFTER`, so a bogus header cannot park a
  feed for weeks.
* DEFERRED (the host asked us to wait before we even asked): retry when the wait ends; it is
  not the feed's failure.

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
OK_JITTER = 0.1


class Result(enum.Enum):
    OK = "ok"
    FAILED = "failed"
    DEFERRED = "deferred"


@dataclass(frozen=True, slots=True)
class FeedState:
    interval_seconds: int | None  # None: the global interval
    consecutive_failures: int  # counting this outcome when it is a failure


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    retry_after_seconds: float | None = None


def next_poll(
    state: FeedState,
    outcome: Outcome,
    now: datetime,
    settings: PollingSettings,
    rng: random.Random,
) -> datetime:
    interval = float(state.interval_seconds or settings.interval_seconds)
    if outcome.result is Result.OK:
        delay = interval * rng.uniform(1 - OK_JITTER, 1 + OK_JITTER)
    elif outcome.result is Result.DEFERRED:
        delay = (outcome.retry_after_seconds or interval) * rng.uniform(1.0, 1.1)
    else:
        delay = backoff_seconds(interval, state.consecutive_failures, settings, rng)
    if outcome.retry_after_seconds is not None:
        delay = max(delay, outcome.retry_after_seconds)
    return now + min(timedelta(seconds=max(delay, 1.0)), MAX_RETRY_AFTER)


def backoff_seconds(
    interval: float, failures: int, settings: PollingSettings, rng: random.Random
) -> float:
    """Doubling from ``interval`` per failure, capped, with equal jitter."""
    cap = max(float(settings.max_backoff_seconds), interval)  # never busier than a healthy feed
    exponent = min(max(failures - 1, 0), 32)
    ceiling = min(cap, interval * 2.0**exponent)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def interleave_hosts(feeds: Sequence[T], url: Callable[[T], str]) -> list[T]:
    """Round-robin over hosts, so poll slots do not all queue behind one host's limit."""
    by_host: dict[str, list[T]] = {}
    for feed in feeds:
        by_host.setdefault(urlsplit(url(feed)).netloc.lower(), []).append(feed)
    lanes = list(by_host.values())
    longest = max(map(len, lanes), default=0)
    return [lane[i] for i in range(longest) for lane in lanes if i < len(lane)]
