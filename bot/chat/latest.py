"""/latest [n]: the newest events in the chat's regions, newest first, in its language and zone."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.chat import menus
from bot.chat.conversation import ChatRef, Reply, open_chat
from bot.chat.places import PlaceIndex, code_name
from bot.domain import ALL_PLACES, DEFAULT_TZ
from bot.i18n import language, t
from bot.notify.compose import chat_zone
from bot.notify.render import TELEGRAM_LIMIT, render_event_line
from bot.notify.why import Trace, render_why
from bot.store import chats, events
from bot.store.db import SessionFactory
from bot.store.tables import ArticleRow

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
    sessions: SessionFactory,
    index: PlaceIndex,
    ref: ChatRef,
    event_id: str,
    *,
    popup: bool = False,
) -> Reply | None:
    """The "Why this alert?" button: the chat's matching subscriptions, the places struck, what
    the reports say, the sources with their times and how the figures changed (None: the event
    is gone).

    ``popup`` (always in a channel): answered in place as a pop-up only the presser sees, never
    as a new post — ten viewers pressing must not spend the channel's 20-a-minute budget.
    """
    async with sessions() as session:
        event = await events.get(session, event_id)
        chat = await chats.get_chat(session, ref.id)
        codes = await chats.subscription_codes(session, ref.id) if chat is not None else []
        rows = await events.articles_of(session, event_id) if event is not None else []
    if event is None:
        return None
    lang = chat.lang if chat is not None else language(ref.client_lang)
    tz = chat_zone(chat) if chat is not None else ZoneInfo(DEFAULT_TZ)
    matched = [c for c in codes if c == ALL_PLACES or c in event.codes]
    names = {code: code_name(index, code, lang) for code in matched}
    reports = [_trace(row) for row in rows]
    text = render_why(event, lang, tz, matched, reports, names)
    if popup or ref.type == "channel":
        return Reply("", mode="none", note=popup_text(text), alert=True)
    return Reply(text, mode="send")


def _trace(row: ArticleRow) -> Trace:
    report = row.report if isinstance(row.report, dict) else {}

    def figure(name: str) -> int | None:
        value = report.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return Trace(
        source=row.source,
        url=row.url,
        published=row.published,
        title=row.title,
        killed=figure("killed"),
        injured=figure("injured"),
        killed_more=bool(report.get("killed_more")),
        injured_more=bool(report.get("injured_more")),
    )


async def mute_choice(
    sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, event_id: str
) -> Reply | None:
    """ "Mute…" under an alert that several of the chat's subscriptions cover: pick which."""
    async with sessions() as session:
        event = await events.get(session, event_id)
        chat = await chats.get_chat(session, ref.id)
        codes = await chats.subscription_codes(session, ref.id) if chat is not None else []
    if event is None or chat is None:
        return None
    matched = [code for code in codes if code in event.codes and "-" in code]
    if not matched:
        return Reply("", mode="none", note=t(chat.lang, "error.stale"))
    offered = [("🔕 " + code_name(index, code, chat.lang), code) for code in matched]
    return Reply(t(chat.lang, "mute.choose"), menus.choices(offered, "unsub"), mode="send")


def popup_text(markup: str, limit: int = POPUP_LIMIT) -> str:
    """Telegram HTML → the plain text of a pop-up (tags dropped, cut to ``limit``)."""
    lines = [" ".join(html.unescape(_TAG.sub("", line)).split()) for line in markup.splitlines()]
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
