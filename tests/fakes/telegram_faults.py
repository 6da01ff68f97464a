"""Faults the fake Bot API injects per chat or by share, and Telegram's retry window.

* ``chat_429(chat_id, n, retry_after)`` — the chat's next ``n`` sending requests answer 429
  (a per-chat flood limit);
* ``failing(share, status, seconds)`` — for ``seconds`` from now, that share of sending
  requests answers ``status`` (a partial outage; deterministic with a seed);
* the retry window: after a 429 for a chat, a request to that chat before its
  ``retry_after`` has passed is answered 429 again (with what is left, as Telegram does) and
  counted in ``early``: a sender that ignores Retry-After shows up there.

Times are ``time.monotonic()`` of the fake's own process.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from .telegram_state import ApiError, phrase, too_many


@dataclass
class ChatFaults:
    seed: int = 7
    early: int = 0  # requests that came before their chat's retry window ended
    early_chats: set[int] = field(default_factory=set)
    _forced: dict[int, list[int]] = field(default_factory=dict)  # chat → retry_after queue
    _windows: dict[int, float] = field(default_factory=dict)  # chat → retry allowed from
    _share: float = 0.0
    _status: int = 502
    _until: float = 0.0
    _rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._rng.seed(self.seed)

    def chat_429(self, chat_id: int, n: int, retry_after: int) -> None:
        self._forced.setdefault(chat_id, []).extend([retry_after] * n)

    def failing(self, share: float, status: int, seconds: float, now: float) -> None:
        self._share, self._status, self._until = share, status, now + seconds

    def outage_status(self, now: float) -> int | None:
        """The status a sending request gets from the partial outage now, if any."""
        if now < self._until and self._rng.random() < self._share:
            return self._status
        return None

    def retry_wait(self, chat_id: int | None, now: float) -> int | None:
        """Seconds (≥ 1) still to wait if the chat is inside its retry window, else None."""
        if chat_id is None:
            return None
        until = self._windows.get(chat_id)
        if until is None or now >= until:
            return None
        self.early += 1
        self.early_chats.add(chat_id)
        return max(1, math.ceil(until - now))

    def forced(self, chat_id: int | None) -> int | None:
        queue = self._forced.get(chat_id) if chat_id is not None else None
        return queue.pop(0) if queue else None

    def inject(self, chat_id: Any, now: float) -> None:
        """Raise the answer a sending request to ``chat_id`` gets from these faults, if any."""
        if (status := self.outage_status(now)) is not None:
            raise ApiError(status, f"{phrase(status)}: injected partial outage")
        chat = chat_id if isinstance(chat_id, int) else None
        if (wait := self.retry_wait(chat, now)) is not None:
            raise too_many(wait)
        if (forced := self.forced(chat)) is not None:
            raise too_many(forced)

    def refused(self, chat_id: Any, err: ApiError, now: float) -> None:
        """A 429 went out for this chat: its window is open until ``now + retry_after``."""
        if isinstance(chat_id, int):
            retry_after = int((err.parameters or {}).get("retry_after", 1))
            self._windows[chat_id] = max(self._windows.get(chat_id, 0.0), now + retry_after)

    def clear(self) -> None:
        self._forced.clear()
        self._windows.clear()
        self._until = 0.0
