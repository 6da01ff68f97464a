"""/latest [n]: the newest events in the chat's regions, newest first, in its language and zone."""

from __future__ import annotations

import html
import re
from datetime import datetime

from bot.conversation import ChatRef, Reply, open_chat
from bot.i18n import language, t
from bot.notify.compose import chat_zone
from bot.notify.render import TELEGRAM_LIMIT, render_event_line, render_why
from bot.store import chats, events
from bot.store.db import SessionFactory

DEFAULT_COUNT = 5
MAX_COUNT = 10
POPUP_LIMIT = 200  # characters Telegram shows in a button's pop-up answer
_TAG = re.compile(r"<[^>]+>")


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


async def why(
    sessions: SessionFactory, ref: ChatRef, event_id: str, *, popup: bool = False
) -> Reply | None:
    """The "Why this alert?" button: the cues that fired and the sources (None: event gone).

    ``popup`` (always in a channel): answered in place as a pop-up only the presser sees, never
    as a new post — ten viewers pressing must not spend the channel's 20-a-minute budget.
    """
    async with sessions() as session:
        event = await events.get(session, event_id)
        chat = await chats.get_chat(session, ref.id)
    if event is None:
        return None
    lang = chat.lang if chat is not None else language(ref.client_lang)
    text = render_why(event, lang)
    if popup or ref.type == "channel":
        return Reply("", mode="none", note=popup_text(text), alert=True)
    return Reply(text)


def popup_text(markup: str, limit: int = POPUP_LIMIT) -> str:
    """Telegram HTML → the plain text of a pop-up (tags dropped, cut to ``limit``)."""
    lines = [" ".join(html.unescape(_TAG.sub("", line)).split()) for line in markup.splitlines()]
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
