"""schedule.py: polite, bounded, jittered poll times."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bot.config import PollingSettings
from bot.ingest.schedule import MAX_RETRY_AFTER, FeedState, Outcome, Result, next_poll

NOW = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = PollingSettings(interval_seconds=300, max_backoff_seconds=3600)
OK = Outcome(Result.OK)
FAILED = Outcome(Result.FAILED)


def delays(state: FeedState, outcome: Outcome, settings: PollingSettings = SETTINGS) -> list[float]:
    rng = random.Random(7)
    return [
        (next_poll(state, outcome, NOW, settings, rng) - NOW).total_seconds() for _ in range(200)
    ]


def test_healthy_feed_uses_global_interval_with_small_spread() -> None:
    values = delays(FeedState(None, 0), OK)
    assert 270 <= min(values) < max(values) <= 330


def test_per_feed_interval_wins() -> None:
    values = delays(FeedState(60, 0), OK)
    assert min(values) >= 54 and max(values) <= 66


def test_backoff_grows_with_failures_and_is_capped() -> None:
    medians = [sorted(delays(FeedState(None, n), FAILED))[100] for n in range(1, 10)]
    assert medians == sorted(medians)
    assert medians[0] < 300 < medians[2]
    assert max(max(delays(FeedState(None, n), FAILED)) for n in (8, 20, 500)) <= 3600


def test_backoff_is_jittered() -> None:
    assert len(set(delays(FeedState(None, 4), FAILED))) > 100


def test_failing_feed_is_never_polled_more_often_than_a_healthy_one_at_long_intervals() -> None:
    settings = PollingSettings(interval_seconds=7200, max_backoff_seconds=3600)
    assert min(delays(FeedState(None, 10), FAILED, settings)) >= 3600


def test_retry_after_is_honoured_even_beyond_the_cap() -> None:
    values = delays(FeedState(None, 1), Outcome(Result.FAILED, retry_after_seconds=7200))
    assert min(values) >= 7200


def test_absurd_retry_after_is_bounded() -> None:
    values = delays(FeedState(None, 1), Outcome(Result.FAILED, retry_after_seconds=10**9))
    assert max(values) == MAX_RETRY_AFTER.total_seconds()


def test_deferred_waits_for_the_host_without_backoff() -> None:
    values = delays(FeedState(None, 0), Outcome(Result.DEFERRED, retry_after_seconds=40))
    assert min(values) >= 40 and max(values) <= 44


def test_next_poll_is_always_in_the_future() -> None:
    tiny = PollingSettings(interval_seconds=0, max_backoff_seconds=0)
    assert min(delays(FeedState(None, 3), FAILED, tiny)) >= 1
    assert next_poll(FeedState(None, 0), OK, NOW, SETTINGS, random.Random(1)) > NOW
