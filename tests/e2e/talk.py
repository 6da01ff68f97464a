"""Helpers for end-to-end chat tests: type a command, press a button, read the keyboard."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from bot.app import StrikeBot
from bot.store import chats
from bot.store.tables import ChatRow
from tests.fakes.telegram_api import Call, FakeTelegram

TIMEOUT = 10.0


async def ask(telegram: FakeTelegram, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
    """Send ``text`` as a user in ``chat_id``; the bot's next message to that chat."""
    before = len(telegram.sent(chat_id))
    telegram.send_text(chat_id, text, **kwargs)
    sent = await telegram.wait_sent(chat_id, before + 1, timeout=TIMEOUT)
    return sent[before]


async def press(
    telegram: FakeTelegram, chat_id: int, message_id: int, data: str, **kwargs: Any
) -> Call:
    """Press an inline button; the bot's answerCallbackQuery (after any edit it made)."""
    start = len(telegram.calls)
    telegram.press_button(chat_id, message_id, data, **kwargs)
    return await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery", timeout=TIMEOUT, start=start
    )


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Button text → callback data of a sent (or current) message."""
    markup = message.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


def current(telegram: FakeTelegram, message_id: int) -> dict[str, Any]:
    """A message as it is now (edits applied; text is plain, HTML parsed)."""
    return telegram.messages[message_id]


async def subscriptions(bot: StrikeBot, chat_id: int) -> list[str]:
    assert bot.services is not None
    async with bot.services.sessions() as session:
        return await chats.subscription_codes(session, chat_id)


async def chat_row(bot: StrikeBot, chat_id: int) -> ChatRow | None:
    assert bot.services is not None
    async with bot.services.sessions() as session:
        return (await session.execute(select(ChatRow).where(ChatRow.id == chat_id))).scalar()


async def eventually(check: Callable[[], Awaitable[bool]], within: float = TIMEOUT) -> None:
    """Wait until ``check()`` holds (for effects a user cannot see, such as a migration)."""
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.05)
