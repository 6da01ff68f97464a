"""Per-chat pacing of the bot's own replies, to stay inside Telegram's per-chat limits.

Pure (the caller passes the monotonic time). Telegram allows a private chat a short burst and
then about one message a second, and a group about 20 messages a minute; a reply over that
earns a 429 that can be longer than a user should wait for an answer. :meth:`ChatPace.reserve`
books the next free slot for a chat and says how long to wait for it, so a burst of /help is
answered in order, one reply after another, instead of failing. Memory stays bounded: chats
whose budget has refilled are forgotten.
"""

from __future__ import annotations

from collections import deque

PRIVATE_BURST = 3
PRIVATE_RATE = 1.0  # messages a second, once the burst is spent
GROUP_PER_MINUTE = 20
MARGIN = 0.05  # seconds: clocks on both sides differ a little
SWEEP_EVERY = 1000


class ChatPace:
    def __init__(
        self,
        private_burst: int = PRIVATE_BURST,
        private_rate: float = PRIVATE_RATE,
        group_per_minute: int = GROUP_PER_MINUTE,
    ) -> None:
        self.burst = private_burst
        self.rate = private_rate
        self.group_limit = group_per_minute
        self._private: dict[int, tuple[float, float]] = {}  # chat → tokens, at
        self._groups: dict[int, deque[float]] = {}  # chat → booked send times
        self._calls = 0

    def reserve(self, chat_id: int, now: float) -> float:
        """Book a message for ``chat_id``; seconds to wait before sending it (0: now)."""
        self._calls += 1
        if self._calls % SWEEP_EVERY == 0:
            self._sweep(now)
        if chat_id < 0:
            return self._group(chat_id, now)
        tokens, at = self._private.get(chat_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.rate)
        wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate + MARGIN
        self._private[chat_id] = (tokens - 1.0, now)
        return wait

    def _group(self, chat_id: int, now: float) -> float:
        booked = self._groups.setdefault(chat_id, deque())
        while booked and booked[0] <= now - 60.0:
            booked.popleft()
        at = now
        if len(booked) >= self.group_limit:
            at = max(now, booked[-self.group_limit] + 60.0 + MARGIN)
        booked.append(at)
        return at - now

    def _sweep(self, now: float) -> None:
        full = [c for c, (tokens, at) in self._private.items() if tokens + (now - at) >= self.burst]
        for chat_id in full:
            del self._private[chat_id]
        for chat_id in [c for c, booked in self._groups.items() if booked[-1] <= now - 60.0]:
            del self._groups[chat_id]

    def __len__(self) -> int:
        return len(self._private) + len(self._groups)
