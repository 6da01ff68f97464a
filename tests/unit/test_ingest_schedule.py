"""schedule.py: polite, bounded, jittered poll times."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bot.config import PollingSettings
from bot.ingest.schedule import (
    MAX_RETRY_AFTER,
    FeedState,
    Outcome,
    Result,
    interleave_hosts,
    next_poll,
)

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


class EdgeRng(random.Random):
    """Draws always the lower (``high=False``) or upper end of the range."""

    def __init__(self, high: bool) -> None:
        super().__init__(0)
        self.high = high

    def uniform(self, a: float, b: float) -> float:
        return b if self.high else a


def delay(
    state: FeedState, outcome: Outcome, rng: random.Random, settings: PollingSettings = SETTINGS
) -> float:
    return (next_poll(state, outcome, NOW, settings, rng) - NOW).total_seconds()


def test_backoff_doubles_per_failure_from_the_interval_with_equal_jitter() -> None:
    wide = PollingSettings(interval_seconds=300, max_backoff_seconds=10**6)
    highs = [delay(FeedState(None, n), FAILED, EdgeRng(True), wide) for n in (1, 2, 3, 4, 5)]
    assert highs == [300, 600, 1200, 2400, 4800]
    lows = [delay(FeedState(None, n), FAILED, EdgeRng(False), wide) for n in (1, 2, 3)]
    assert lows == [150, 300, 600]  # half fixed, half random


def test_deferred_spreads_upwards_from_the_wait() -> None:
    wait = Outcome(Result.DEFERRED, retry_after_seconds=100)
    assert delay(FeedState(None, 0), wait, EdgeRng(True)) == 110
    assert delay(FeedState(None, 0), wait, EdgeRng(False)) == 100


def test_the_shortest_delay_is_one_second() -> None:
    tiny = PollingSettings(interval_seconds=0, max_backoff_seconds=0)
    assert delay(FeedState(None, 0), OK, EdgeRng(True), tiny) == 1.0


def test_interleave_hosts_takes_hosts_in_turn() -> None:
    urls = ["http://a.org/1", "HTTP://A.ORG/2", "http://b.org/1", "http://a.org:8080/x",
            "http://a.org/3", "http://c.org/1", "http://b.org/2"]  # fmt: skip
    assert interleave_hosts(urls, lambda u: u) == [
        "http://a.org/1", "http://b.org/1", "http://a.org:8080/x", "http://c.org/1",
        "HTTP://A.ORG/2", "http://b.org/2", "http://a.org/3",
    ]  # fmt: skip
    assert interleave_hosts([], lambda u: u) == []
