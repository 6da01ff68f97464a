"""A user who blocks the bot stops getting alerts at once; unblocking brings them back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from bot.store import chats
from tests.builders import seed_chat
from tests.fakes.telegram_api import FakeTelegram

BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "strikebot",
    "username": "strikebot_test_bot",
}


def member(status: str) -> dict[str, Any]:
    found: dict[str, Any] = {"user": BOT_USER, "status": status}
    if status == "kicked":
        found["until_date"] = 0
    return found


def membership(chat_id: int, old: str, new: str) -> dict[str, Any]:
    return {
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "private", "first_name": "A"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "A"},
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
    }


async def active(bot: Any, chat_id: int) -> bool | None:
    async with bot.services.sessions() as session:
        chat = await chats.get_chat(session, chat_id)
        return None if chat is None else chat.active


async def test_blocking_the_bot_deactivates_the_chat_and_coming_back_restores_it(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    bot = await start_bot(settings_for())
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, 7070, ("UA-12",))
    telegram.add_update(membership(7070, "member", "kicked"))
    for _ in range(100):
        if await active(bot, 7070) is False:
            break
        await asyncio.sleep(0.1)
    assert await active(bot, 7070) is False

    telegram.add_update(membership(7070, "kicked", "member"))
    for _ in range(100):
        if await active(bot, 7070):
            break
        await asyncio.sleep(0.1)
    assert await active(bot, 7070) is True
    async with bot.services.sessions() as session:
        assert await chats.subscription_codes(session, 7070) == ["UA-12"]
