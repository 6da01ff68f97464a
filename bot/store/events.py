"""Events: candidate search by (node code, time) index, saving changes, recent events."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cluster.matching import index_codes
from bot.domain import ALL_PLACES, ChangeKind, Event, EventChange
from bot.store.serialize import event_from_dict, event_to_dict
from bot.store.tables import ArticleRow, EventChangeRow, EventNodeRow, EventRow

#: Reports naming no place are compared with at most this many recent events.
NO_PLACE_CANDIDATES = 300


async def candidates(
    session: AsyncSession, codes: Collection[str], when: datetime, window: timedelta
) -> list[Event]:
    """Events sharing a node with ``codes`` whose time is within ``window`` of ``when``.

    Uses ix_event_nodes_code_time, so the cost follows the events in the window and region,
    not all history."""
    low, high = when - window, when + window
    if codes:
        ids = select(EventNodeRow.event_id).where(
            EventNodeRow.code.in_(list(codes)),
            EventNodeRow.event_time >= low,
            EventNodeRow.event_time <= high,
        )
        stmt = select(EventRow).where(EventRow.id.in_(ids))
    else:
        stmt = (
            select(EventRow)
            .where(EventRow.event_time >= low, EventRow.event_time <= high)
            .order_by(EventRow.event_time.desc())
            .limit(NO_PLACE_CANDIDATES)
        )
    rows = (await session.execute(stmt)).scalars()
    return [event_from_dict(row.data) for row in rows]


async def save_change(
    session: AsyncSession,
    change: EventChange,
    *,
    article_id: int | None,
    first_seen: datetime,
    now: datetime,
) -> None:
    """Store the event as it is after ``change`` (new, update or duplicate)."""
    event = change.event
    if event is None or change.kind is ChangeKind.IGNORED:
        return
    row = await session.get(EventRow, event.id)
    data = event_to_dict(event)
    country = event.places[0].country if event.places else ""
    if row is None:
        row = EventRow(
            id=event.id,
            version=event.version,
            country=country,
            event_time=event.event_time,
            first_seen=event.first_seen,
            last_seen=event.last_seen,
            severity=int(event.severity),
            data=data,
        )
        session.add(row)
    else:
        row.version = event.version
        row.country = country
        row.event_time = event.event_time
        row.last_seen = event.last_seen
        row.severity = int(event.severity)
        row.data = data
    await session.flush()
    await session.execute(delete(EventNodeRow).where(EventNodeRow.event_id == event.id))
    nodes = index_codes(event.places)
    session.add_all(
        EventNodeRow(event_id=event.id, code=code, event_time=event.event_time) for code in nodes
    )
    if change.kind in (ChangeKind.NEW, ChangeKind.UPDATE):
        session.add(
            EventChangeRow(
                event_id=event.id,
                version=event.version,
                kind=change.kind.value,
                what_changed=list(change.what_changed),
                previous=None if change.previous is None else event_to_dict(change.previous),
                article_id=article_id,
                first_seen=first_seen,
                created_at=now,
            )
        )
    await session.flush()


async def recent(
    session: AsyncSession, codes: Collection[str] | None, limit: int = 5
) -> list[Event]:
    """The newest events at or below any of ``codes`` (None or ``"*"``: everywhere)."""
    stmt = select(EventRow).order_by(EventRow.event_time.desc(), EventRow.id).limit(limit)
    if codes is not None and ALL_PLACES not in codes:
        ids = select(EventNodeRow.event_id).where(EventNodeRow.code.in_(list(codes)))
        stmt = stmt.where(EventRow.id.in_(ids))
    return [event_from_dict(row.data) for row in (await session.execute(stmt)).scalars()]


async def get(session: AsyncSession, event_id: str) -> Event | None:
    row = await session.get(EventRow, event_id)
    return None if row is None else event_from_dict(row.data)


async def count_since(session: AsyncSession, since: datetime) -> int:
    stmt = select(func.count()).select_from(EventRow).where(EventRow.first_seen >= since)
    return int((await session.execute(stmt)).scalar_one())


async def articles_of(session: AsyncSession, event_id: str, limit: int = 50) -> list[ArticleRow]:
    """The reports clustered into an event, oldest publication first (for "Why this alert?")."""
    stmt = (
        select(ArticleRow)
        .where(ArticleRow.event_id == event_id)
        .order_by(ArticleRow.published, ArticleRow.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())
