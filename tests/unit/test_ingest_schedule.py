"""schedule.py: polite, bounded, jittered poll times; adaptive intervals as table tests."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import PollingSettings
from bot.ingest.schedule import (
    MAX_RETRY_AFTER,
    FeedState,
    Outcome,
    Result,
    blend_rate,
    describe_mode,
    document_rate,
    effective_rate,
    interleave_hosts,
    interval_for,
    next_poll,
    plan,
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


def test_fixed_interval_is_spread_but_never_late() -> None:
    values = delays(FeedState(None, 0), OK)
    assert 270 <= min(values) < max(values) <= 300


def test_per_feed_interval_wins() -> None:
    values = delays(FeedState(60, 0), OK)
    assert min(values) >= 54 and max(values) <= 60


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
    tiny = PollingSettings(min_interval_seconds=0, max_interval_seconds=0, max_backoff_seconds=0)
    assert delay(FeedState(None, 0), OK, EdgeRng(True), tiny) == 1.0
    assert delay(FeedState(None, 0), OK, EdgeRng(False), tiny) >= 0.9


def test_interleave_hosts_takes_hosts_in_turn() -> None:
    urls = ["http://a.org/1", "HTTP://A.ORG/2", "http://b.org/1", "http://a.org:8080/x",
            "http://a.org/3", "http://c.org/1", "http://b.org/2"]  # fmt: skip
    assert interleave_hosts(urls, lambda u: u) == [
        "http://a.org/1", "http://b.org/1", "http://a.org:8080/x", "http://c.org/1",
        "HTTP://A.ORG/2", "http://b.org/2", "http://a.org/3",
    ]  # fmt: skip
    assert interleave_hosts([], lambda u: u) == []


# --- adaptive polling ---------------------------------------------------------------------

ADAPTIVE = PollingSettings(min_interval_seconds=60, max_interval_seconds=1800)
H = timedelta(hours=1)
M = timedelta(minutes=1)


def state(
    rate: float | None,
    last_new: timedelta | None = timedelta(minutes=1),
    ttl: int | None = None,
    pinned: int | None = None,
) -> FeedState:
    return FeedState(pinned, 0, rate, None if last_new is None else NOW - last_new, ttl)


@pytest.mark.parametrize(
    ("name", "feed", "outcome", "low", "high", "reason"),
    [
        # the busiest outlets (an item every 5 minutes or more) get min_interval
        ("every 2 min", state(30.0), OK, 60, 60, "30.0 items/h"),
        ("every 5 min", state(12.0), OK, 60, 60, "12.0 items/h"),
        # busier than once an hour: under three minutes
        ("twice an hour", state(2.0, 10 * M), OK, 155, 165, "2.0 items/h"),
        # a few times a day: ten minutes or so
        ("4 a day", state(4 / 24, 2 * H), OK, 620, 640, "4.0 items/day"),
        ("1 a day", state(1 / 24, 20 * H), OK, 1340, 1360, "1.0 items/day"),
        # rarer than ~once in 3 days, yet published today: max_interval, never above
        ("rare but today", state(0.005, 3 * H), OK, 1800, 1800, "0.1 items/day"),
        # silent for more than a day (or never seen to publish): twice max_interval
        ("silent 2 days", state(0.5, 48 * H), OK, 3600, 3600, "silent > 1 day"),
        ("rate 0", state(0.0, None), OK, 3600, 3600, "silent > 1 day"),
        # a busy feed that went quiet cools down: ≤ 3 items per hour of silence
        ("quiet 1 h", state(12.0, 1 * H), OK, 125, 130, "3.0 items/h"),
        ("quiet 6 h", state(12.0, 6 * H), OK, 340, 350, "12.0 items/day"),
        # not known yet (a new feed without dates)
        ("unknown", state(None), OK, 300, 300, "rate not known yet"),
        # the server's floors: <ttl> and Cache-Control max-age
        ("ttl 10 min", state(12.0, ttl=600), OK, 600, 600, "server ttl 10 min"),
        ("max-age 5 min", state(12.0), Outcome(Result.OK, max_age_seconds=300), 300, 300,
         "server max-age 5 min"),
        ("small max-age", state(12.0), Outcome(Result.OK, max_age_seconds=30), 60, 60,
         "12.0 items/h"),
        # an active feed's ttl above max_interval is capped: a 304 costs ~200 bytes
        ("ttl 2 h, active", state(12.0, ttl=7200), OK, 1800, 1800,
         "server ttl 2.0 h (capped at 30 min)"),
        # a silent feed's ttl is honoured in full
        ("ttl 3 h, silent", state(0.0, 48 * H, ttl=10800), OK, 10800, 10800, "server ttl 3.0 h"),
        # a feed's own interval pins it; the server's floor still applies
        ("pinned", state(12.0, pinned=900), OK, 900, 900, "fixed interval"),
        ("pinned under ttl", state(12.0, ttl=1200, pinned=600), OK, 1200, 1200,
         "server ttl 20 min"),
    ],
)  # fmt: skip
def test_interval_follows_the_publication_rate_within_bounds(
    name: str, feed: FeedState, outcome: Outcome, low: float, high: float, reason: str
) -> None:
    interval, why = interval_for(feed, outcome, NOW, ADAPTIVE)
    assert low <= interval <= high, name
    assert why == reason, name


@pytest.mark.parametrize(
    ("name", "outcome", "low", "high", "reason"),
    [
        ("ok", OK, 54, 60, "12.0 items/h"),  # never later than the interval
        ("retry-after", Outcome(Result.FAILED, retry_after_seconds=900), 900, 900,
         "Retry-After 15 min"),
        ("failed once", FAILED, 30, 60, "backoff after 1 failure"),
        ("deferred", Outcome(Result.DEFERRED, retry_after_seconds=120), 120, 132,
         "host asked to wait"),
    ],
)  # fmt: skip
def test_plan_says_when_and_why(
    name: str, outcome: Outcome, low: float, high: float, reason: str
) -> None:
    failures = 1 if outcome.result is Result.FAILED else 0
    feed = FeedState(None, failures, 12.0, NOW - M)
    for seed in range(50):
        planned = plan(feed, outcome, NOW, ADAPTIVE, random.Random(seed))
        assert low <= (planned.at - NOW).total_seconds() <= high, name
        assert planned.reason == reason, name
        assert planned.interval_seconds == 60


def test_the_interval_never_leaves_the_configured_bounds() -> None:
    narrow = PollingSettings(min_interval_seconds=120, max_interval_seconds=600)
    for rate in (0.001, 0.01, 0.1, 1.0, 10.0, 1000.0):
        interval, _ = interval_for(state(rate, 30 * M), OK, NOW, narrow)
        assert 120 <= interval <= 600


def test_global_fixed_interval_turns_adaptive_polling_off() -> None:
    fixed = PollingSettings(interval_seconds=300)
    assert interval_for(state(30.0), OK, NOW, fixed) == (300.0, "fixed interval")
    assert interval_for(state(0.0, 48 * H), OK, NOW, fixed) == (300.0, "fixed interval")


@pytest.mark.parametrize(
    ("name", "minutes_ago", "expected"),
    [
        # 20 items, one every 5 minutes: the list covers 95 minutes, all within the window
        ("busy, short list", [5 * i for i in range(20)], 12.6),
        # 4 items today and 10 older ones: 4 per 24 hours
        ("few a day", [60, 300, 600, 1200] + [2000 + 100 * i for i in range(10)], 4 / 24),
        ("all old", [3000, 4000], 0.0),
        ("none", [], None),
        # every item stamped the same minute: a feed re-dating items on each fetch
        ("re-dated", [0, 0, 0, 0], None),
        # one fresh item: counted over at least 15 minutes
        ("single", [1], 4.0),
    ],
)
def test_document_rate_reads_the_dates_a_feed_lists(
    name: str, minutes_ago: list[int], expected: float | None
) -> None:
    dates = [NOW - timedelta(minutes=m) for m in minutes_ago]
    rate = document_rate(dates, NOW)
    if expected is None:
        assert rate is None, name
    else:
        assert rate == pytest.approx(expected, rel=0.02), name


@pytest.mark.parametrize(
    ("previous", "new_items", "elapsed", "expected"),
    [
        (None, 2, timedelta(minutes=30), 4.0),  # first observation taken as is
        (4.0, 0, timedelta(minutes=30), 2.8),  # nothing new: the rate decays
        (0.0, 1, timedelta(hours=1), 0.3),  # one new item revives a quiet undated feed
        (4.0, 5, timedelta(0), 4.0),  # no time passed: nothing learned
    ],
)
def test_undated_feeds_learn_from_new_items_between_polls(
    previous: float | None, new_items: int, elapsed: timedelta, expected: float
) -> None:
    assert blend_rate(previous, new_items, elapsed) == pytest.approx(expected)


def test_cooling_never_raises_the_rate() -> None:
    assert effective_rate(2.0, NOW - 10 * M, NOW) == 2.0
    assert effective_rate(2.0, None, NOW) == 2.0
    assert effective_rate(2.0, NOW + M, NOW) == 2.0  # a clock skew never divides by zero


def test_the_start_up_log_says_which_scheduler_is_on() -> None:
    assert describe_mode(PollingSettings()) == (
        "polling: adaptive, 60–1800 s per feed by its publication rate"
    )
    assert "fixed interval of 300 s" in describe_mode(PollingSettings(interval_seconds=300))
