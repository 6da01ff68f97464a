"""Pacing rules as pure table tests: the caller passes the time."""

from __future__ import annotations

import pytest

from bot.notify.pacing import (
    CUT,
    CUT_EVERY,
    PROBE_EVERY,
    PROBE_STEP,
    ChatLimits,
    FloodSignal,
    Pace,
)


def test_pace_hands_out_evenly_spaced_slots() -> None:
    pace = Pace(10.0)
    waits = [pace.take(0.0) for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


def test_a_late_caller_catches_up_only_a_moment_of_missed_slots() -> None:
    pace = Pace(500.0, limit=1000.0)
    pace.take(0.0)
    waits = [pace.take(5.0) for _ in range(12)]
    assert waits[:11] == [0.0] * 11  # 20 ms of slots at once (0.002 s apart) …
    assert waits[11] == pytest.approx(0.002)  # … then the pace again


def test_near_telegrams_limit_a_late_caller_gets_no_catch_up() -> None:
    pace = Pace(29.0, limit=30.0)
    pace.take(0.0)
    assert pace.take(5.0) == 0.0
    assert pace.take(5.0) == pytest.approx(1 / 29)


def test_a_storm_pauses_cuts_once_then_the_pace_probes_back_up() -> None:
    pace = Pace(30.0)
    pace.global_limit(10.0, 1.0, storm=True)
    pace.global_limit(10.2, 1.0, storm=True)  # within CUT_EVERY: no second cut
    assert pace.rate == pytest.approx(30.0 * CUT)
    assert pace.take(10.2) == pytest.approx(1.0)  # nothing before the later retry_after
    pace.take(11.2 + PROBE_EVERY + 0.1)
    assert pace.rate == pytest.approx(30.0 * CUT + 30.0 * PROBE_STEP)
    for i in range(2, 50):
        pace.take(11.2 + i * (PROBE_EVERY + 0.1))
    assert pace.rate == 30.0  # never above the configured rate


def test_a_lone_429_at_the_overall_limit_cuts_the_pace_without_a_pause() -> None:
    pace = Pace(29.0, limit=30.0)
    pace.global_limit(5.0, 1.0, storm=False)
    assert pace.take(5.0) == 0.0
    assert pace.rate == pytest.approx(29.0 * CUT)
    pace.global_limit(5.0 + CUT_EVERY, 1.0, storm=False)
    assert pace.rate == pytest.approx(29.0 * CUT * CUT)


def test_pace_counts_calls_in_the_last_second() -> None:
    pace = Pace(100.0)
    for _ in range(50):
        pace.take(0.0)
    assert pace.recent(0.455) == 46  # slots 0.00 … 0.45


@pytest.mark.parametrize(
    ("chat", "calls_before", "calls", "at", "wait"),
    [
        (7, 0, 1, 0.0, 0.0),  # a private chat that got nothing: now
        (7, 1, 1, 0.5, 0.55),  # one a second (1.05 s spacing)
        (7, 1, 1, 1.1, 0.0),
        (7, 2, 1, 1.0, 1.1),  # an update's two calls count twice
        (-5, 19, 1, 10.0, 50.0),  # a group with 19 in the window: after the oldest leaves
        (-5, 18, 1, 10.0, 0.0),
        (-5, 18, 2, 10.0, 50.0),  # edit + reply need room for two
    ],
)
def test_chat_limits_are_known_in_advance(
    chat: int, calls_before: int, calls: int, at: float, wait: float
) -> None:
    limits = ChatLimits(group_per_minute=19)
    if calls_before:
        limits.charge(chat, calls_before, 0.0)
    assert limits.wait(chat, calls, at) == pytest.approx(wait)


def test_a_chat_told_to_retry_later_waits_and_others_do_not() -> None:
    limits = ChatLimits(group_per_minute=19)
    limits.defer(7, 13.0)
    assert limits.wait(7, 1, 10.0) == pytest.approx(3.0)
    assert limits.wait(8, 1, 10.0) == 0.0
    assert limits.wait(7, 1, 13.0) == 0.0


def test_a_429_is_the_chats_own_unless_many_chats_or_the_global_pace() -> None:
    signal = FloodSignal(global_rate=30.0)
    for i in range(25):
        signal.answered(i / 25)
    assert signal.refused(1, 1.0, recent_calls=25) == "chat"
    assert signal.refused(2, 1.01, recent_calls=25) == "chat"
    assert signal.refused(3, 1.5, recent_calls=28) == "global"  # at Telegram's overall pace
    storm = FloodSignal(global_rate=30.0)
    kinds = [storm.refused(chat, 2.0 + chat / 100, recent_calls=10) for chat in range(6)]
    assert kinds[:4] == ["chat"] * 4 and kinds[-1] == "storm"  # many chats refused at once
