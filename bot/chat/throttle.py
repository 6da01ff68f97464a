"""Per-user command throttling (pure: the caller passes the monotonic time).

A sliding window of ``per_minute`` updates per user. Over the limit the first refused update
gets ``WARN`` (answer once: how long to wait, and that nothing sent meanwhile is acted on),
the rest ``DROP`` until the window has room again (:meth:`Throttle.wait` says when). Button
presses are not commands: the handlers give them their own, more generous window. Memory stays
bounded: users with an empty window are forgotten.
"""

from __future__ import annotations

import enum
from collections import deque

WINDOW_SECONDS = 60.0
SWEEP_EVERY = 1000  # checks between sweeps of idle users


class Verdict(enum.Enum):
    ALLOW = "allow"
    WARN = "warn"
    DROP = "drop"


class Throttle:
    def __init__(self, per_minute: int, window: float = WINDOW_SECONDS) -> None:
        self.limit = max(1, per_minute)
        self.window = window
        self._hits: dict[int, deque[float]] = {}
        self._warned: set[int] = set()
        self._checks = 0

    def check(self, user_id: int, now: float) -> Verdict:
        self._checks += 1
        if self._checks % SWEEP_EVERY == 0:
            self._sweep(now)
        hits = self._hits.setdefault(user_id, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            self._warned.discard(user_id)
            return Verdict.ALLOW
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN

    def wait(self, user_id: int, now: float) -> float:
        """Seconds until ``user_id`` may send again (0: now)."""
        hits = self._hits.get(user_id)
        if not hits or len(hits) < self.limit:
            return 0.0
        return max(0.0, hits[0] + self.window - now)

    def _sweep(self, now: float) -> None:
        for user_id in [u for u, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[user_id]
            self._warned.discard(user_id)

    def __len__(self) -> int:
        return len(self._hits)
