"""Chats and their subscriptions and settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import DEFAULT_TZ
from bot.store.tables import ChatRow, DeliveryRow, SubscriptionRow


async def get_chat(session: AsyncSession, chat_id: int) -> ChatRow | None:
    return await session.get(ChatRow, chat_id)


async def ensure_chat(
    session: AsyncSession,
    chat_id: int,
    now: datetime,
    *,
    type_: str = "private",
    title: str = "",
    lang: str = "en",
) -> ChatRow:
    """The chat's row, created with defaults on first contact; reactivated if it had left."""
    chat = await session.get(ChatRow, chat_id)
    if chat is None:
        chat = ChatRow(
            id=chat_id,
            type=type_,
            title=title[:256],
            lang=lang,
            tz=DEFAULT_TZ,
            min_severity=1,
            updates="reply",  # an update edits the alert and notifies with a reply
            active=True,
            created_at=now,
            updated_at=now,
        )
        session.add(chat)
        await session.flush()
    elif not chat.active:
        chat.active = True
        chat.inactive_reason = None
        chat.updated_at = now
    return chat


async def subscription_codes(session: AsyncSession, chat_id: int) -> list[str]:
    rows = await session.execute(
        select(SubscriptionRow.code)
        .where(SubscriptionRow.chat_id == chat_id)
        .order_by(SubscriptionRow.id)
    )
    return list(rows.scalars())


async def subscribe(session: AsyncSession, chat_id: int, code: str, now: datetime) -> bool:
    """False when the chat already follows ``code``."""
    existing = await session.execute(
        select(SubscriptionRow.id).where(
            SubscriptionRow.chat_id == chat_id, SubscriptionRow.code == code
        )
    )
    if existing.first() is not None:
        return False
    session.add(SubscriptionRow(chat_id=chat_id, code=code, created_at=now))
    await session.flush()
    return True


async def unsubscribe(session: AsyncSession, chat_id: int, code: str) -> bool:
    result = await session.execute(
        delete(SubscriptionRow).where(
            SubscriptionRow.chat_id == chat_id, SubscriptionRow.code == code
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def unsubscribe_all(session: AsyncSession, chat_id: int) -> int:
    result = await session.execute(
        delete(SubscriptionRow).where(SubscriptionRow.chat_id == chat_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def migrate_chat(session: AsyncSession, old_id: int, new_id: int, now: datetime) -> None:
    """A group became a supergroup: the new chat inherits settings, subscriptions, outbox."""
    old = await session.get(ChatRow, old_id)
    new = await session.get(ChatRow, new_id)
    if old is not None and new is None:
        new = ChatRow(
            id=new_id,
            type="supergroup",
            title=old.title,
            lang=old.lang,
            tz=old.tz,
            min_severity=old.min_severity,
            quiet_start=old.quiet_start,
            quiet_end=old.quiet_end,
            updates=old.updates,
            active=True,
            created_at=old.created_at,
            updated_at=now,
        )
        session.add(new)
        await session.flush()
    mine = set(await subscription_codes(session, new_id))
    for code in await subscription_codes(session, old_id):
        if code not in mine:
            session.add(SubscriptionRow(chat_id=new_id, code=code, created_at=now))
    await session.execute(delete(SubscriptionRow).where(SubscriptionRow.chat_id == old_id))
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.chat_id == old_id, DeliveryRow.status.in_(("pending", "sending")))
        .values(chat_id=new_id, status="pending")
    )
    if old is not None:
        old.active = False
        old.inactive_reason = f"migrated to {new_id}"
        old.updated_at = now


async def count_chats(session: AsyncSession) -> int:
    stmt = select(func.count()).select_from(ChatRow).where(ChatRow.active.is_(True))
    return int((await session.execute(stmt)).scalar_one())


async def subscription_counts(session: AsyncSession, limit: int = 10) -> list[tuple[str, int]]:
    """(code, active chats following it), most followed first (for /stats)."""
    stmt = (
        select(SubscriptionRow.code, func.count())
        .join(ChatRow, ChatRow.id == SubscriptionRow.chat_id)
        .where(ChatRow.active.is_(True))
        .group_by(SubscriptionRow.code)
        .order_by(func.count().desc(), SubscriptionRow.code)
        .limit(limit)
    )
    return [(str(code), int(n)) for code, n in (await session.execute(stmt)).all()]


async def count_subscriptions(session: AsyncSession) -> int:
    stmt = (
        select(func.count())
        .select_from(SubscriptionRow)
        .join(ChatRow, ChatRow.id == SubscriptionRow.chat_id)
        .where(ChatRow.active.is_(True))
    )
    return int((await session.execute(stmt)).scalar_one())
