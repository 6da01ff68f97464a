"""How fast the sender may call Telegram: the global pace, each chat's own limit, and what a
429 means. Pure: every method takes the monotonic time from the caller (tests drive it).

* ``Pace`` — evenly spaced call slots at ``rate`` a second (a caller woken late may take up
  to ``CATCH_UP`` seconds of missed slots at once, when the rate leaves room for it),
  AIMD-like: a 429 that signals the global limit multiplies the rate by ``CUT`` (at most
  once per ``CUT_EVERY``); in a storm every call also waits ``retry_after``; after
  ``PROBE_EVERY`` seconds without one the rate creeps back up by ``PROBE_STEP`` of the
  configured rate, never above it. Every API call takes a slot (an
  update's edit and its reply are two).
* ``ChatLimits`` — Telegram's per-chat limits known in advance: a private chat gets one call
  per ``private_spacing`` seconds (an update's edit + reply go together, as Telegram allows a
  short burst); a group or channel at most ``group_per_minute`` calls in any 60 s. A chat that
  earned a 429 waits its ``retry_after``; other chats go on.
* ``FloodSignal`` — whose limit a 429 is: the chat's, unless many chats were refused in the
  last second (at least ``GLOBAL_CHATS`` and half the answers: a storm), or the sender was
  running at ``NEAR_GLOBAL`` of Telegram's overall limit when it came. Either way the refused
  request itself waits its ``retry_after``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

TELEGRAM_GLOBAL_RATE = 30.0  # messages a second over all chats (free tier)
TELEGRAM_PAID_RATE = 1000.0  # with allow_paid_broadcast
CUT = 0.98
CUT_EVERY = 0.5  # seconds: 429s closer together than this are one signal
MIN_SHARE = 0.25  # the pace never drops below this share of the configured rate
PROBE_EVERY = 15.0
PROBE_STEP = 0.005
GLOBAL_CHATS = 5
NEAR_GLOBAL = 0.9
PRIVATE_SPACING = 1.05
CATCH_UP = 0.02


class Pace:
    def __init__(self, rate: float, now: float = 0.0, limit: float = TELEGRAM_GLOBAL_RATE) -> None:
        self.ceiling = rate
        self.rate = rate
        # a caller woken late may catch up CATCH_UP seconds of slots, when the pace leaves
        # room under Telegram's limit for it (at 29 of 30 a second it does not)
        self.catch_up = CATCH_UP if rate <= NEAR_GLOBAL * limit else 0.0
        self._next = 0.0
        self._calm_since = now
        self._cut_until = 0.0
        self.cuts = 0
        self._starts: deque[float] = deque()

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    def take(self, now: float) -> float:
        """Reserve the next call slot; returns how long to wait for it (0 = now)."""
        self._probe(now)
        slot = max(self._next, now - self.catch_up)
        self._next = slot + self.interval
        self._starts.append(slot)
        while self._starts and self._starts[0] <= slot - 1.0:
            self._starts.popleft()
        return max(0.0, slot - now)

    def recent(self, now: float) -> int:
        """Calls started in the last second."""
        return sum(1 for t in self._starts if now - 1.0 < t <= now)

    def pause_until(self, deadline: float) -> None:
        self._next = max(self._next, deadline)

    def global_limit(self, now: float, retry_after: float, *, storm: bool) -> None:
        """Telegram's overall limit was hit: slow down. In a storm (many chats refused at
        once) every call also waits ``retry_after``; a lone refusal only retries its own
        request then (the caller defers that chat), the others go on at the cut pace."""
        if storm:
            self.pause_until(now + retry_after)
        if now >= self._cut_until:  # one cut per CUT_EVERY, however many 429s come with it
            self.rate = max(self.ceiling * MIN_SHARE, self.rate * CUT)
            self.cuts += 1
            self._cut_until = now + CUT_EVERY
        self._calm_since = now + (retry_after if storm else 0.0)

    def _probe(self, now: float) -> None:
        if self.rate < self.ceiling and now - self._calm_since >= PROBE_EVERY:
            self.rate = min(self.ceiling, self.rate + self.ceiling * PROBE_STEP)
            self._calm_since = now


@dataclass
class ChatLimits:
    group_per_minute: int
    private_spacing: float = PRIVATE_SPACING
    _ready: dict[int, float] = field(default_factory=dict)  # private chats: next free time
    _groups: dict[int, deque[float]] = field(default_factory=dict)
    _deferred: dict[int, float] = field(default_factory=dict)  # 429: not before

    def wait(self, chat_id: int, calls: int, now: float) -> float:
        """Seconds before ``calls`` calls to this chat fit its limits (0 = now)."""
        wait = max(0.0, self._deferred.get(chat_id, 0.0) - now)
        if chat_id > 0:
            return max(wait, self._ready.get(chat_id, 0.0) - now)
        window = self._groups.get(chat_id)
        if window:
            while window and window[0] <= now - 60.0:
                window.popleft()
            room = max(1, self.group_per_minute) - len(window)
            if room < calls:
                wait = max(wait, window[min(len(window) - 1, calls - room - 1)] + 60.0 - now)
        return wait

    def charge(self, chat_id: int, calls: int, now: float) -> None:
        if chat_id > 0:
            self._ready[chat_id] = now + self.private_spacing * calls
        else:
            self._groups.setdefault(chat_id, deque()).extend([now] * calls)
        self._sweep(now)

    def defer(self, chat_id: int, until: float) -> None:
        self._deferred[chat_id] = max(self._deferred.get(chat_id, 0.0), until)

    def forget(self, chat_id: int) -> None:
        self._ready.pop(chat_id, None)
        self._groups.pop(chat_id, None)
        self._deferred.pop(chat_id, None)

    def _sweep(self, now: float) -> None:
        if len(self._ready) + len(self._groups) + len(self._deferred) < 20_000:
            return
        self._ready = {c: t for c, t in self._ready.items() if t > now}
        self._deferred = {c: t for c, t in self._deferred.items() if t > now}
        self._groups = {c: w for c, w in self._groups.items() if w and w[-1] > now - 60.0}


class FloodSignal:
    """Remembers the last second of answers to tell a chat's 429 from the global limit."""

    def __init__(self, global_rate: float) -> None:
        self.global_rate = global_rate
        self._answers: deque[float] = deque()
        self._refused: deque[tuple[float, int]] = deque()

    def answered(self, now: float) -> None:
        self._answers.append(now)
        self._prune(now)

    def refused(self, chat_id: int, now: float, recent_calls: int) -> str:
        """Record a 429 for ``chat_id``; returns ``"storm"`` (the overall limit, many chats
        refused at once), ``"global"`` (the overall limit: the sender runs at its pace) or
        ``"chat"`` (that chat's own limit)."""
        self._answers.append(now)
        self._refused.append((now, chat_id))
        self._prune(now)
        chats = {chat for _, chat in self._refused}
        if len(chats) >= GLOBAL_CHATS and 2 * len(self._refused) >= len(self._answers):
            return "storm"
        if recent_calls >= NEAR_GLOBAL * self.global_rate:
            return "global"
        return "chat"

    def _prune(self, now: float) -> None:
        while self._answers and self._answers[0] <= now - 1.0:
            self._answers.popleft()
        while self._refused and self._refused[0][0] <= now - 1.0:
            self._refused.popleft()
