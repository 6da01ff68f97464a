"""Telegram's flood limits as the fake enforces them, plus counters over recorded sends.

* overall: more than ``global_rate`` messages in any 1-second window → 429;
* private chat (positive id): token bucket of ``private_burst`` refilled at ``private_rate``/s;
* group or channel (negative id): more than ``group_per_minute`` in any 60-second window.

``check`` only looks; ``record`` counts a message that was actually sent, so a request that
earned a 429 (or a 400) does not use up budget.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class SendLimits:
    global_rate: float = 30.0
    private_burst: int = 3
    private_rate: float = 1.0
    group_per_minute: int = 20
    _overall: deque[float] = field(default_factory=deque)
    _groups: dict[int, deque[float]] = field(default_factory=dict)
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)  # tokens, at

    def check(self, chat_id: int | None, now: float) -> int | None:
        """Seconds to wait (≥ 1) if a message now would break a limit, else ``None``."""
        waits: list[float] = []
        _prune(self._overall, now - 1.0)
        if len(self._overall) >= self.global_rate:
            waits.append(self._overall[0] + 1.0 - now)
        if chat_id is not None and chat_id < 0:
            window = self._groups.get(chat_id, deque())
            _prune(window, now - 60.0)
            if len(window) >= self.group_per_minute:
                waits.append(window[0] + 60.0 - now)
        elif chat_id is not None:
            tokens = self._tokens(chat_id, now)
            if tokens < 1.0:
                waits.append((1.0 - tokens) / max(self.private_rate, 1e-9))
        if not waits:
            return None
        return max(1, math.ceil(max(waits)))

    def record(self, chat_id: int | None, now: float) -> None:
        self._overall.append(now)
        if chat_id is not None and chat_id < 0:
            self._groups.setdefault(chat_id, deque()).append(now)
        elif chat_id is not None:
            self._buckets[chat_id] = (self._tokens(chat_id, now) - 1.0, now)

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, at = self._buckets.get(chat_id, (float(self.private_burst), now))
        return min(float(self.private_burst), tokens + (now - at) * self.private_rate)


def _prune(window: deque[float], older_than: float) -> None:
    while window and window[0] <= older_than:
        window.popleft()


def max_in_window(times: Iterable[float], window: float = 1.0) -> int:
    """Largest number of events inside any half-open window of ``window`` seconds."""
    best = 0
    live: deque[float] = deque()
    for t in sorted(times):
        live.append(t)
        _prune(live, t - window)
        best = max(best, len(live))
    return best


def duplicates(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """(chat_id, text) pairs sent more than once → how many times."""
    return {key: n for key, n in Counter(pairs).items() if n > 1}
