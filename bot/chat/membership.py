"""The bot was blocked, kicked or re-added: keep the chat's ``active`` flag in step."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.store import chats, outbox
from bot.store.db import SessionFactory

log = logging.getLogger("strikebot.chats")


async def bot_membership_changed(
    sessions: SessionFactory, chat_id: int, present: bool, status: str, now: datetime
) -> None:
    async with sessions.begin() as session:
        chat = await chats.get_chat(session, chat_id)
        if chat is None:
            return  # never talked to us: nothing to keep
        if not present and chat.active:
            await outbox.skip_chat(session, chat_id, f"bot {status} in this chat")
            log.info("chat %s: the bot was %s; alerts stop", chat_id, status)
        elif present and not chat.active:
            chat.active = True
            chat.inactive_reason = None
            chat.updated_at = now
            log.info("chat %s: the bot is back (%s); alerts resume", chat_id, status)
