"""Turn claimed outbox rows into the Bot API calls to make (batched reads, cached renders).

``compose_batch`` reads what a batch of rows needs with a handful of queries (chats, their
subscriptions, events, broadcasts, first alerts) and renders each alert text once per
(event, version, language, zone) — ``RenderCache`` keeps them across batches.

Each row becomes one of:
* ``Ready`` — an :class:`Outgoing` (one or two API calls);
* ``Drop``  — nothing to send: ``skipped`` (chat inactive, event or broadcast gone) or
  ``expired`` (a first alert whose event's latest report is older than ``max_age``: after an
  outage old news is not pushed as if it were new; the event stays in /latest);
* ``Wait``  — an update whose chat's first alert is still on its way: it goes out after that
  alert (as an edit/reply), never as a second full alert.

How an update reaches a chat that has the first alert (``chats.updates``):
* ``edit``  — the first alert is edited to show the latest figures; if it is older than 48 h
  or the edit fails, the update line is sent as a reply instead;
* ``reply`` — the first alert is edited (best effort) and the update line is sent as a reply;
* ``off``   — nothing (plan.py makes no row).
An update for a chat that never got the first alert is sent as a full alert.
Quiet hours → ``disable_notification``; nothing is dropped for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode

from bot.chat.menus import alert_keyboard
from bot.domain import ChangeKind, Event, EventChange
from bot.notify.plan import is_quiet
from bot.notify.render import render_alert, render_broadcast, render_update
from bot.store import outbox
from bot.store.serialize import event_from_dict
from bot.store.tables import (
    BroadcastRow,
    ChatRow,
    DeliveryRow,
    EventChangeRow,
    EventRow,
    SubscriptionRow,
)

R = TypeVar("R", ChatRow, BroadcastRow)
EDIT_MAX_AGE = timedelta(hours=48)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
WAIT_FOR_FIRST = 2.0  # seconds before an update looks again for its first alert
CACHE_MAX = 4096


@dataclass(frozen=True)
class Outgoing:
    chat_id: int
    text: str | None  # a new message (None: edit only)
    silent: bool = False
    keyboard: InlineKeyboardMarkup | None = None  # under the alert (kept on edits)
    reply_to: int | None = None
    edit_message_id: int | None = None
    edit_text: str | None = None
    fallback_text: str | None = None  # sent as a reply when the edit fails
    version: int | None = None  # the event version this shows (a first alert: the latest)

    @property
    def calls(self) -> int:
        """API calls this needs at most (edit + reply = 2)."""
        edits = self.edit_message_id is not None and self.edit_text is not None
        sends = self.text is not None or self.fallback_text is not None
        return int(edits) + int(sends)

    def without_edit(self) -> Outgoing:
        """The rest of an update whose edit is done: the reply (or nothing)."""
        return Outgoing(
            self.chat_id, self.text, self.silent, self.keyboard, self.reply_to, version=self.version
        )


@dataclass(frozen=True)
class Ready:
    row: DeliveryRow
    out: Outgoing


@dataclass(frozen=True)
class Drop:
    row: DeliveryRow
    status: str  # skipped | expired
    reason: str


@dataclass(frozen=True)
class Wait:
    row: DeliveryRow
    seconds: float
    reason: str


Composed = Ready | Drop | Wait


class RenderCache:
    """Rendered texts and decoded events, keyed by event version (bounded; cleared when full)."""

    def __init__(self) -> None:
        self.texts: dict[tuple[str, int, str, str, str], str] = {}
        self.events: dict[tuple[str, int], Event] = {}
        self.previous: dict[tuple[str, int], tuple[Event | None, tuple[str, ...]]] = {}
        self.renders = 0  # how many texts were actually rendered (for tests and benchmarks)

    def text(self, kind: str, event: Event, lang: str, tz: ZoneInfo, change: EventChange) -> str:
        key = (kind, event.version, lang, str(tz), event.id)
        found = self.texts.get(key)
        if found is None:
            if len(self.texts) >= CACHE_MAX:
                self.texts.clear()
            self.renders += 1
            found = (
                render_alert(event, lang, tz)
                if kind == "alert"
                else render_update(change, lang, tz)
            )
            self.texts[key] = found
        return found


def chat_zone(chat: ChatRow) -> ZoneInfo:
    try:
        return ZoneInfo(chat.tz or "Europe/Kyiv")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Kyiv")


async def _events(session: AsyncSession, ids: set[str], cache: RenderCache) -> dict[str, Event]:
    if not ids:
        return {}
    versions = (
        await session.execute(select(EventRow.id, EventRow.version).where(EventRow.id.in_(ids)))
    ).all()
    found: dict[str, Event] = {}
    missing = []
    for event_id, version in versions:
        event = cache.events.get((event_id, version))
        if event is None:
            missing.append(event_id)
        else:
            found[event_id] = event
    if missing:
        if len(cache.events) >= CACHE_MAX:
            cache.events.clear()
        for row in (
            await session.execute(select(EventRow).where(EventRow.id.in_(missing)))
        ).scalars():
            event = event_from_dict(row.data)
            cache.events[(row.id, row.version)] = event
            found[row.id] = event
    return found


async def _previous(
    session: AsyncSession, event: Event, cache: RenderCache
) -> tuple[Event | None, tuple[str, ...]]:
    key = (event.id, event.version)
    if key not in cache.previous:
        stmt = (
            select(EventChangeRow)
            .where(EventChangeRow.event_id == event.id, EventChangeRow.kind == "update")
            .order_by(EventChangeRow.version.desc())
            .limit(1)
        )
        change = (await session.execute(stmt)).scalars().first()
        if change is None or not change.previous:
            cache.previous[key] = (None, ())
        else:
            previous = event_from_dict(change.previous)
            cache.previous[key] = (previous, tuple(change.what_changed or ()))
    return cache.previous[key]


async def _by_id(session: AsyncSession, table: type[R], ids: set[Any]) -> dict[Any, R]:
    if not ids:
        return {}
    column = getattr(table, "id")  # noqa: B009 - every table here has an integer "id"
    return {
        row.id: row
        for row in (await session.execute(select(table).where(column.in_(ids)))).scalars()
    }


async def _subscriptions(session: AsyncSession, chat_ids: set[int]) -> dict[int, set[str]]:
    codes: dict[int, set[str]] = {}
    if chat_ids:
        stmt = select(SubscriptionRow.chat_id, SubscriptionRow.code).where(
            SubscriptionRow.chat_id.in_(chat_ids)
        )
        for chat_id, code in (await session.execute(stmt)).all():
            codes.setdefault(int(chat_id), set()).add(str(code))
    return codes


def mute_codes(codes: set[str], event: Event) -> list[str]:
    """The chat's subscriptions below country level that cover the event (the mute offer)."""
    return sorted(code for code in codes if code in event.codes and "-" in code)


async def compose_batch(
    session: AsyncSession,
    rows: Sequence[DeliveryRow],
    now: datetime,
    cache: RenderCache,
    max_age: timedelta | None = None,
) -> list[Composed]:
    """What to do with each claimed row (same order). ``max_age``: first alerts of events
    whose latest report is older are ``expired``; ``None`` never expires."""
    chats = await _by_id(session, ChatRow, {row.chat_id for row in rows})
    events = await _events(session, {r.event_id for r in rows if r.event_id is not None}, cache)
    broadcasts = await _by_id(
        session, BroadcastRow, {r.broadcast_id for r in rows if r.broadcast_id is not None}
    )
    updates = [r for r in rows if r.kind == "update" and r.event_id is not None]
    firsts = await outbox.first_alerts(
        session, {str(r.event_id) for r in updates}, {r.chat_id for r in updates}
    )
    codes = await _subscriptions(session, {r.chat_id for r in rows if r.kind != "broadcast"})
    out: list[Composed] = []
    for row in rows:
        chat = chats.get(row.chat_id)
        if chat is None or not chat.active:
            out.append(Drop(row, "skipped", "chat inactive"))
            continue
        tz = chat_zone(chat)
        local = now.astimezone(tz)
        silent = is_quiet(local.hour * 60 + local.minute, chat.quiet_start, chat.quiet_end)
        lang = chat.lang or "en"
        if row.kind == "broadcast":
            broadcast = broadcasts.get(row.broadcast_id or 0)
            if broadcast is None or broadcast.status == "cancelled":
                out.append(Drop(row, "skipped", "broadcast cancelled"))
            else:
                out.append(
                    Ready(row, Outgoing(chat.id, render_broadcast(broadcast.text, lang), silent))
                )
            continue
        event = events.get(row.event_id or "")
        if event is None:
            out.append(Drop(row, "skipped", "event no longer stored"))
            continue
        first = firsts.get((row.chat_id, event.id)) if row.kind == "update" else None
        if first is not None and first.status != "sent":
            out.append(Wait(row, WAIT_FOR_FIRST, "waiting for the first alert"))
            continue
        if first is not None and first.version >= row.version:
            out.append(Drop(row, "skipped", "the first alert already showed this version"))
            continue
        change = EventChange(ChangeKind.NEW, event)
        alert = cache.text("alert", event, lang, tz, change)
        buttons = alert_keyboard(event.id, lang, mute_codes(codes.get(chat.id, set()), event))
        if first is None or first.message_id is None:
            if max_age is not None and now - event.last_seen > max_age:
                out.append(Drop(row, "expired", f"event older than {max_age}"))
            else:
                out.append(
                    Ready(row, Outgoing(chat.id, alert, silent, buttons, version=event.version))
                )
            continue
        previous, what = await _previous(session, event, cache)
        change = EventChange(ChangeKind.UPDATE, event, previous=previous, what_changed=what)
        update_line = cache.text("update", event, lang, tz, change)
        out.append(Ready(row, _update(chat, first, now, alert, update_line, silent, buttons)))
    return out


def _update(
    chat: ChatRow,
    first: DeliveryRow,
    now: datetime,
    alert: str,
    update_line: str,
    silent: bool,
    buttons: InlineKeyboardMarkup,
) -> Outgoing:
    fresh = first.sent_at is not None and now - first.sent_at < EDIT_MAX_AGE
    if not fresh:
        return Outgoing(chat.id, update_line, silent, reply_to=first.message_id)
    if chat.updates == "reply":
        return Outgoing(
            chat.id,
            update_line,
            silent,
            buttons,
            reply_to=first.message_id,
            edit_message_id=first.message_id,
            edit_text=alert,
        )
    return Outgoing(
        chat.id,
        None,
        silent,
        buttons,
        reply_to=first.message_id,
        edit_message_id=first.message_id,
        edit_text=alert,
        fallback_text=update_line,
    )


async def edit(bot: Bot, out: Outgoing) -> None:
    """The edit half of an update (raises what Telegram answers, "not modified" included)."""
    assert out.edit_message_id is not None and out.edit_text is not None
    await bot.edit_message_text(
        out.edit_text,
        chat_id=out.chat_id,
        message_id=out.edit_message_id,
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        reply_markup=out.keyboard,
    )


async def send_text(bot: Bot, out: Outgoing, text: str, *, paid: bool = False) -> int:
    """Send one message; ``paid``: Telegram's paid broadcast (0.1 Star a message, up to
    1,000 messages a second). Returns its message id."""
    first_alert = out.reply_to is None and out.keyboard is not None
    message = await bot.send_message(
        out.chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=out.keyboard if first_alert else None,
        disable_notification=out.silent,
        link_preview_options=NO_PREVIEW,
        allow_paid_broadcast=True if paid else None,
        reply_parameters=(
            ReplyParameters(message_id=out.reply_to, allow_sending_without_reply=True)
            if out.reply_to is not None
            else None
        ),
    )
    return message.message_id
