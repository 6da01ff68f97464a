"""The SQL of broadcasts (/channel): create, read, the queued ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.tables import BroadcastRow


async def create_broadcast(
    session: AsyncSession, admin_id: int, admin_chat_id: int, text: str, target: str, now: datetime
) -> BroadcastRow:
    row = BroadcastRow(
        admin_id=admin_id,
        admin_chat_id=admin_chat_id,
        text=text,
        target=target,
        status="draft",
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def get_broadcast(session: AsyncSession, broadcast_id: int) -> BroadcastRow | None:
    return await session.get(BroadcastRow, broadcast_id)


async def queued_broadcasts(session: AsyncSession) -> list[BroadcastRow]:
    """Broadcasts being delivered whose admin has a progress message to update."""
    stmt = (
        select(BroadcastRow)
        .where(BroadcastRow.status == "queued", BroadcastRow.progress_message_id.is_not(None))
        .order_by(BroadcastRow.id)
    )
    return list((await session.execute(stmt)).scalars())
