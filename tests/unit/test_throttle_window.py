"""Per-user throttling: a sliding window, one warning, then silence; others unaffected."""

from __future__ import annotations

from bot.chat.throttle import SWEEP_EVERY, Throttle, Verdict


def test_window_warns_once_then_drops_and_recovers() -> None:
    throttle = Throttle(per_minute=3)
    assert [throttle.check(1, 0.0) for _ in range(3)] == [Verdict.ALLOW] * 3
    assert throttle.check(1, 1.0) is Verdict.WARN
    assert throttle.check(1, 2.0) is Verdict.DROP
    assert throttle.check(2, 2.0) is Verdict.ALLOW  # another user is not affected
    assert throttle.check(1, 60.5) is Verdict.ALLOW  # the window moved on
    assert throttle.check(1, 60.6) is Verdict.ALLOW


def test_idle_users_are_forgotten() -> None:
    throttle = Throttle(per_minute=5)
    for user in range(SWEEP_EVERY - 1):
        throttle.check(user, 0.0)
    throttle.check(0, 1000.0)
    assert len(throttle) == 1
