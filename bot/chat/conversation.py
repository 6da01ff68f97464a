"""The vocabulary the chat use cases share with the handlers: who is talking, what to answer.

A handler builds a :class:`ChatRef` from the update, calls a use case (``bot.chat.subscriptions``,
``bot.chat.settings``, ``bot.chat.latest``, ``bot.chat.admin``) and sends back the
:class:`Reply` it gets. Use cases open one session, make sure the chat exists
(:func:`open_chat`) and answer in the chat's stored language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.i18n import language
from bot.store import chats
from bot.store.db import SessionFactory
from bot.store.tables import ChatRow

#: Longest free-text argument a command accepts (place names, time zones …).
MAX_ARGUMENT = 200


@dataclass(frozen=True, slots=True)
class ChatRef:
    """The chat an update came from, as far as the use cases need to know."""

    id: int
    type: str = "private"  # private | group | supergroup | channel
    title: str = ""
    client_lang: str = "en"  # from the user's Telegram client: "uk", "ru" or "en"

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")


@dataclass(frozen=True, slots=True)
class Reply:
    """What to send back: HTML text, an optional inline keyboard, and for a button press
    whether to edit the pressed message (``edit``) and the short toast (``note``)."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    mode: Literal["send", "edit", "none"] = "send"
    note: str | None = None
    alert: bool = False  # show ``note`` as a pop-up the user dismisses, not a passing toast


async def open_chat(session: AsyncSession, ref: ChatRef, now: datetime) -> ChatRow:
    """The chat's row (created with the client's language on first contact). Call it first in
    a session: when two first updates of a chat race, the loser rolls back and reads the row."""
    lang = language(ref.client_lang)
    try:
        return await chats.ensure_chat(
            session, ref.id, now, type_=ref.type, title=ref.title, lang=lang
        )
    except IntegrityError:
        await session.rollback()
        return await chats.ensure_chat(
            session, ref.id, now, type_=ref.type, title=ref.title, lang=lang
        )


async def chat_language(sessions: SessionFactory, ref: ChatRef) -> str:
    """The stored language once the chat exists, else the client's (no row is created)."""
    async with sessions() as session:
        chat = await chats.get_chat(session, ref.id)
    return language(chat.lang if chat is not None else ref.client_lang)


def too_long(text: str, limit: int = MAX_ARGUMENT) -> bool:
    return len(text) > limit
