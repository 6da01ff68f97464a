"""From an outbox row to the Telegram call(s) that deliver it, in the chat's language and zone.

An update follows the chat's choice (``updates``):
* ``edit``  — the first alert is edited to show the latest figures; if it is older than 48 h
  or the edit fails, the update line is sent as a reply instead;
* ``reply`` — the first alert is edited (best effort) and the update line is sent as a reply;
* ``off``   — nothing (plan.py makes no row).
Quiet hours → ``disable_notification``; nothing is dropped for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.chat.menus import alert_keyboard
from bot.domain import ChangeKind, Event, EventChange
from bot.notify.plan import is_quiet
from bot.notify.render import render_alert, render_broadcast, render_update
from bot.store import chats, outbox
from bot.store.serialize import event_from_dict
from bot.store.tables import BroadcastRow, ChatRow, DeliveryRow, EventChangeRow, EventRow

EDIT_MAX_AGE = timedelta(hours=48)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class NothingToSend(Exception):
    """The row has nothing left to deliver (event or broadcast gone)."""


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


def chat_zone(chat: ChatRow) -> ZoneInfo:
    try:
        return ZoneInfo(chat.tz or "Europe/Kyiv")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Kyiv")


async def load_event(session: AsyncSession, event_id: str) -> Event | None:
    row = await session.get(EventRow, event_id)
    return None if row is None else event_from_dict(row.data)


async def _previous(session: AsyncSession, event: Event) -> tuple[Event | None, tuple[str, ...]]:
    stmt = (
        select(EventChangeRow)
        .where(EventChangeRow.event_id == event.id, EventChangeRow.kind == "update")
        .order_by(EventChangeRow.version.desc())
        .limit(1)
    )
    change = (await session.execute(stmt)).scalars().first()
    if change is None or not change.previous:
        return None, ()
    return event_from_dict(change.previous), tuple(change.what_changed or ())


async def _mute_codes(session: AsyncSession, chat_id: int, event: Event) -> list[str]:
    """The chat's subscriptions below country level that cover the event (the mute offer)."""
    codes = await chats.subscription_codes(session, chat_id)
    return [code for code in codes if code in event.codes and "-" in code]


async def compose(
    session: AsyncSession, row: DeliveryRow, chat: ChatRow, now: datetime
) -> Outgoing:
    tz = chat_zone(chat)
    local = now.astimezone(tz)
    silent = is_quiet(local.hour * 60 + local.minute, chat.quiet_start, chat.quiet_end)
    lang = chat.lang or "en"
    if row.kind == "broadcast":
        broadcast = await session.get(BroadcastRow, row.broadcast_id)
        if broadcast is None or broadcast.status == "cancelled":
            raise NothingToSend("broadcast cancelled")
        return Outgoing(chat.id, render_broadcast(broadcast.text, lang), silent)
    if row.event_id is None or (event := await load_event(session, row.event_id)) is None:
        raise NothingToSend("event no longer stored")
    alert = render_alert(event, lang, tz)
    buttons = alert_keyboard(event.id, lang, await _mute_codes(session, chat.id, event))
    first = (
        await outbox.original_alert(session, chat.id, event.id) if row.kind == "update" else None
    )
    if first is None or first.message_id is None:
        return Outgoing(chat.id, alert, silent, buttons)
    previous, what = await _previous(session, event)
    change = EventChange(ChangeKind.UPDATE, event, previous=previous, what_changed=what)
    update_line = render_update(change, lang, tz)
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


async def send(bot: Bot, out: Outgoing, *, paid: bool = False) -> int:
    """Perform the calls; returns the message id that now carries the alert. ``paid``: use
    Telegram's paid broadcast (0.1 Star a message, up to 1,000 messages a second)."""
    text = out.text
    if out.edit_message_id is not None and out.edit_text is not None:
        try:
            await bot.edit_message_text(
                out.edit_text,
                chat_id=out.chat_id,
                message_id=out.edit_message_id,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=out.keyboard,
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower() and text is None:
                text = out.fallback_text
        if text is None:
            return out.edit_message_id
    assert text is not None
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
