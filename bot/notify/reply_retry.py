"""Command replies ride out a short Telegram hiccup, paced per chat.

python-telegram-bot sends a handler's reply once; a 5xx, a timeout or a 429 would lose it. This
limiter (installed on the Application's bot only — the outbox sender has its own bot and its own
policy) retries such a reply a few times with a short backoff. A 400/403 is final at once.
Before a message is sent or edited, :class:`bot.notify.chat_pace.ChatPace` books the chat's
next free slot, so a burst of commands is answered in order instead of hitting the per-chat limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.notify.chat_pace import ChatPace

log = logging.getLogger("strikebot.replies")

ATTEMPTS = 3
MAX_WAIT = 10.0  # a longer 429 wait is not worth holding a reply for
#: Bot API methods that put a message in a chat (and count against its limits).
PACED = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 announces that the type becomes timedelta
        warnings.simplefilter("ignore")
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class ReplyRetry(BaseRateLimiter[None]):
    def __init__(self, attempts: int = ATTEMPTS, backoff: float = 1.0) -> None:
        self.attempts = attempts
        self.backoff = backoff
        self.pace = ChatPace()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        if endpoint in PACED and isinstance(chat_id, int):
            wait = self.pace.reserve(chat_id, time.monotonic())
            if wait > 0:
                await asyncio.sleep(wait)
        for attempt in range(1, self.attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if attempt == self.attempts or wait > MAX_WAIT:
                    raise
            except BadRequest:
                raise  # a 400 is about the request itself: retrying cannot help
            except NetworkError:  # 5xx, timeouts, connection errors
                if attempt == self.attempts:
                    raise
                wait = self.backoff * 2 ** (attempt - 1)
            log.info("%s failed (attempt %d of %d); retrying", endpoint, attempt, self.attempts)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")
