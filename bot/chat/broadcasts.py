"""Admin broadcasts: draft → preview with the recipient count → Confirm / Cancel → outbox.

``/broadcast [region:UA-12] <text>`` stores a draft and answers with a preview (the message
exactly as recipients will see it, marked as from the admins) and the recipient count. Confirm
plans one delivery row per recipient (``plan_broadcast``) and writes them in the same
transaction that marks the broadcast queued; the sender delivers them with the same pacing as
alerts, behind them in priority. :func:`report_broadcast_progress` (scheduled every few
seconds) edits the preview message into "sent / failed / remaining" until nothing remains.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.chat import menus
from bot.chat.conversation import ChatRef, Reply, open_chat
from bot.chat.places import PlaceIndex, code_name, resolve
from bot.domain import ALL_PLACES
from bot.i18n import language, t, t_html
from bot.notify.plan import plan_broadcast
from bot.notify.render import render_broadcast
from bot.store import broadcasts as broadcast_repo
from bot.store import chats, outbox
from bot.store.db import SessionFactory

log = logging.getLogger("strikebot.broadcast")

MAX_TEXT = 3500  # leaves room for the header and the preview line under Telegram's 4096
TARGET_PREFIX = "region:"


def split_target(index: PlaceIndex, text: str) -> tuple[str | None, str]:
    """``"region:UA-12 hello"`` → ("UA-12", "hello"); no prefix → ("*", text); a region that
    is not a known region or country → (None, text)."""
    text = text.strip()
    if not text.lower().startswith(TARGET_PREFIX):
        return ALL_PLACES, text
    head, _, rest = text.partition(" ")
    found = resolve(index, head[len(TARGET_PREFIX) :])
    if found.kind == "all":
        return ALL_PLACES, rest.strip()
    areas = [p for p in found.places if not p.settlement_code]  # "Kharkiv": the oblast
    if found.kind not in ("one", "many") or len(areas) != 1:
        return None, rest.strip()
    return areas[0].code, rest.strip()


async def draft(
    sessions: SessionFactory,
    index: PlaceIndex,
    ref: ChatRef,
    admin_id: int,
    text: str,
    now: datetime,
) -> Reply:
    target, body = split_target(index, text)
    async with sessions() as session:
        lang = (await open_chat(session, ref, now)).lang
        if target is None:
            await session.commit()
            return Reply(t_html(lang, "broadcast.bad_region", region=text.split(" ", 1)[0][:80]))
        if not body:
            await session.commit()
            return Reply(t(lang, "broadcast.usage"))
        if len(body) > MAX_TEXT:
            await session.commit()
            return Reply(t(lang, "error.too_long", limit=MAX_TEXT))
        row = await broadcast_repo.create_broadcast(session, admin_id, ref.id, body, target, now)
        count = len(plan_broadcast(row.id, target, await outbox.all_recipients(session)))
        await session.commit()
        broadcast_id = row.id
    preview = t_html(
        lang, "broadcast.preview", count=count, n=count, target=code_name(index, target, lang)
    )
    markup = menus.confirm(
        lang,
        ("button.confirm", f"bc:ok:{broadcast_id}"),
        ("button.cancel", f"bc:no:{broadcast_id}"),
    )
    return Reply(f"{render_broadcast(body, lang)}\n\n{preview}", markup)


async def confirm(
    sessions: SessionFactory,
    ref: ChatRef,
    admin_id: int,
    broadcast_id: int,
    message_id: int | None,
    now: datetime,
) -> tuple[Reply, bool]:
    """Queue the deliveries; returns the reply and whether anything was queued."""
    async with sessions() as session:
        lang = (await open_chat(session, ref, now)).lang
        row = await broadcast_repo.get_broadcast(session, broadcast_id)
        if row is None or row.status != "draft" or row.admin_id != admin_id:
            await session.commit()
            return Reply("", mode="none", note=t(lang, "error.stale")), False
        planned = plan_broadcast(row.id, row.target, await outbox.all_recipients(session))
        await outbox.add_deliveries(session, planned, now, None)
        row.status = "queued" if planned else "done"
        row.progress_message_id = message_id
        await session.commit()
    text = progress_text(lang, 0, 0, len(planned))
    return Reply(text, mode="edit", note=t(lang, "broadcast.queued")), bool(planned)


async def cancel(
    sessions: SessionFactory, ref: ChatRef, admin_id: int, broadcast_id: int, now: datetime
) -> Reply:
    async with sessions() as session:
        lang = (await open_chat(session, ref, now)).lang
        row = await broadcast_repo.get_broadcast(session, broadcast_id)
        if row is None or row.status != "draft" or row.admin_id != admin_id:
            await session.commit()
            return Reply("", mode="none", note=t(lang, "error.stale"))
        row.status = "cancelled"
        await session.commit()
    return Reply(t(lang, "broadcast.cancelled"), mode="edit")


def progress_text(lang: str, sent: int, failed: int, remaining: int) -> str:
    key = "broadcast.progress" if remaining else "broadcast.finished"
    return t(lang, key, sent=sent, failed=failed, remaining=remaining)


async def report_broadcast_progress(bot: Bot, sessions: SessionFactory) -> None:
    """Edit each queued broadcast's progress message; mark it done when nothing remains."""
    async with sessions() as session:
        rows = await broadcast_repo.queued_broadcasts(session)
        work = []
        for row in rows:
            counts = await outbox.counts(session, row.id)
            chat = await chats.get_chat(session, row.admin_chat_id)
            lang = language(chat.lang if chat is not None else "en")
            work.append((row.id, row.admin_chat_id, row.progress_message_id, lang, counts))
    for broadcast_id, chat_id, message_id, lang, counts in work:
        remaining = counts.get("pending", 0) + counts.get("sending", 0)
        failed = counts.get("failed", 0) + counts.get("skipped", 0)
        text = progress_text(lang, counts.get("sent", 0), failed, remaining)
        try:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                log.info("broadcast %s: cannot update progress: %s", broadcast_id, exc.message)
        except TelegramError as exc:
            log.info("broadcast %s: cannot update progress now: %s", broadcast_id, exc)
            continue
        if remaining == 0:
            async with sessions() as session:
                finished = await broadcast_repo.get_broadcast(session, broadcast_id)
                if finished is not None:
                    finished.status = "done"
                await session.commit()
            log.info("broadcast %s finished: %s", broadcast_id, counts)
