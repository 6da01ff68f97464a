"""/latest [n]: the newest events in the chat's regions, newest first, in its language and zone."""

from __future__ import annotations

from datetime import datetime

from bot.conversation import ChatRef, Reply, open_chat
from bot.i18n import language, t
from bot.notify.compose import chat_zone
from bot.notify.render import TELEGRAM_LIMIT, render_event_line, render_why
from bot.store import chats, events
from bot.store.db import SessionFactory

DEFAULT_COUNT = 5
MAX_COUNT = 10


def parse_count(args: list[str]) -> int:
    """``/latest 8`` → 8 (clamped to 1..MAX_COUNT); anything else → the default."""
    if args and args[0].isdigit():
        return min(max(int(args[0]), 1), MAX_COUNT)
    return DEFAULT_COUNT


async def latest(sessions: SessionFactory, ref: ChatRef, count: int, now: datetime) -> Reply:
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        codes = await chats.subscription_codes(session, chat.id)
        found = await events.recent(session, codes, count) if codes else []
        await session.commit()
    lang, tz = chat.lang, chat_zone(chat)
    if not codes:
        return Reply(t(lang, "latest.no_subs"))
    if not found:
        return Reply(t(lang, "latest.empty"))
    text = t(lang, "latest.header")
    for event in found:
        block = render_event_line(event, lang, tz)
        if len(text) + len(block) + 2 >= TELEGRAM_LIMIT:
            break
        text += "\n\n" + block
    return Reply(text)


async def why(sessions: SessionFactory, ref: ChatRef, event_id: str) -> Reply | None:
    """The "Why this alert?" button: the cues that fired and the sources (None: event gone)."""
    async with sessions() as session:
        event = await events.get(session, event_id)
        chat = await chats.get_chat(session, ref.id)
    if event is None:
        return None
    lang = chat.lang if chat is not None else language(ref.client_lang)
    return Reply(render_why(event, lang))
