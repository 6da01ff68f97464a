"""The outbox (deliveries table): write planned rows, claim the next one, record outcomes.

Row life: pending ──claim──▶ sending ──▶ sent | failed | skipped | expired
                      ▲          │
                      └─retry────┘ (429, timeout, 5xx: back to pending with next_attempt_at)

Claims and outcomes are batched (one statement for many rows). A row left in ``sending`` by a
crash is resent on start (``recover_in_flight``): only rows whose request was in flight, or
whose outcome was not yet written, at the kill can be sent twice (see notify/sender.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Select, Table, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import ALL_PLACES, Event
from bot.notify.plan import PlannedDelivery, Recipient
from bot.store.tables import ChatRow, DeliveryRow, SubscriptionRow

ALERTED = ("sent", "sending", "pending")  # states of a first alert that count as "has it"


async def add_deliveries(
    session: AsyncSession,
    planned: Iterable[PlannedDelivery],
    now: datetime,
    first_seen: datetime | None,
) -> int:
    """Insert rows; a row whose dedupe_key exists is left as it is. Returns rows offered."""
    values = [
        {
            "dedupe_key": p.dedupe_key,
            "chat_id": p.chat_id,
            "kind": p.kind,
            "priority": p.priority,
            "event_id": p.event_id,
            "version": p.version,
            "broadcast_id": p.broadcast_id,
            "region": p.region,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "silent": False,
            "first_seen": first_seen,
            "created_at": now,
        }
        for p in planned
    ]
    if not values:
        return 0
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # executemany with one cached statement: a multi-row VALUES of 500 rows x 14 columns is
    # compiled afresh each time, which kept the event loop busy ~0.4 s per 1,000 recipients
    stmt = insert(DeliveryRow).on_conflict_do_nothing(index_elements=["dedupe_key"])
    for start in range(0, len(values), 1000):
        await session.execute(stmt, values[start : start + 1000])
    return len(values)


def _recipients_query(codes: Iterable[str]) -> Select[ChatRow, str]:
    wanted = [*codes, ALL_PLACES]
    return (
        select(ChatRow, SubscriptionRow.code)
        .join(SubscriptionRow, SubscriptionRow.chat_id == ChatRow.id)
        .where(ChatRow.active.is_(True), SubscriptionRow.code.in_(wanted))
    )


async def recipients_for(session: AsyncSession, event: Event) -> list[Recipient]:
    """Active chats with a subscription at or above one of the event's nodes (index on code)."""
    rows = (await session.execute(_recipients_query(event.codes))).all()
    return _group([(row[0], row[1]) for row in rows])


async def all_recipients(session: AsyncSession) -> list[Recipient]:
    rows = (
        await session.execute(
            select(ChatRow, SubscriptionRow.code)
            .outerjoin(SubscriptionRow, SubscriptionRow.chat_id == ChatRow.id)
            .where(ChatRow.active.is_(True))
        )
    ).all()
    return _group([(row[0], row[1]) for row in rows])


def _group(rows: Sequence[tuple[ChatRow, str | None]]) -> list[Recipient]:
    chats: dict[int, ChatRow] = {}
    codes: dict[int, set[str]] = {}
    for chat, code in rows:
        chats[chat.id] = chat
        bucket = codes.setdefault(chat.id, set())
        if code is not None:
            bucket.add(code)
    return [
        Recipient(
            chat_id=chat_id,
            codes=frozenset(codes[chat_id]),
            min_severity=chat.min_severity,
            updates=chat.updates,
            active=chat.active,
        )
        for chat_id, chat in chats.items()
    ]


async def alert_states(session: AsyncSession, event_id: str) -> dict[int, str]:
    """Each chat's furthest first-alert state for this event: ``sent``, ``sending`` or
    ``pending`` (chats whose alerts all failed, expired or were skipped are left out)."""
    rows = await session.execute(
        select(DeliveryRow.chat_id, DeliveryRow.status).where(
            DeliveryRow.event_id == event_id, DeliveryRow.status.in_(ALERTED)
        )
    )
    states: dict[int, str] = {}
    for chat_id, status in rows.all():
        chat = int(chat_id)
        if ALERTED.index(status) < ALERTED.index(states.get(chat, "pending")):
            states[chat] = status
        else:
            states.setdefault(chat, status)
    return states


async def already_alerted(session: AsyncSession, event_id: str) -> set[int]:
    return set(await alert_states(session, event_id))


async def next_due(session: AsyncSession, now: datetime, limit: int) -> list[DeliveryRow]:
    """The next pending rows in priority order (new, update, broadcast), oldest first."""
    stmt = (
        select(DeliveryRow)
        .where(DeliveryRow.status == "pending", DeliveryRow.next_attempt_at <= now)
        .order_by(DeliveryRow.priority, DeliveryRow.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def claim(session: AsyncSession, ids: Sequence[int], now: datetime) -> list[int]:
    """pending → sending for these rows, atomically, in one statement; returns the ids this
    caller won. A row another sender claimed first (or that changed) is left out."""
    if not ids:
        return []
    result = await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id.in_(list(ids)), DeliveryRow.status == "pending")
        .values(status="sending", claimed_at=now)
        .returning(DeliveryRow.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(int(i) for i in result.scalars())


async def postpone(session: AsyncSession, due: Sequence[tuple[int, datetime]]) -> None:
    """Pending rows whose chat is not ready yet: look again at the given time."""
    if not due:
        return
    table = cast(Table, DeliveryRow.__table__)
    conn = await session.connection()
    await conn.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.status == "pending")
        .values(next_attempt_at=bindparam("b_next")),
        [{"b_id": row_id, "b_next": when} for row_id, when in due],
    )


async def due_now(session: AsyncSession, now: datetime) -> None:
    """Telegram is back after an outage: every pending row that was backing off is due now
    (the sender still keeps each chat's own limits and retry windows)."""
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.status == "pending", DeliveryRow.next_attempt_at > now)
        .values(next_attempt_at=now)
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one claimed row; written in batches by :func:`record`."""

    id: int
    status: str  # sent | failed | skipped | expired | pending (retry later)
    attempts: int  # the row's attempt count after this outcome
    version: int  # the event version the chat now has (a first alert shows the latest)
    next_attempt_at: datetime | None = None  # for "pending"
    message_id: int | None = None
    error: str | None = None
    sent_at: datetime | None = None
    silent: bool = False


async def record(session: AsyncSession, outcomes: Sequence[Outcome]) -> None:
    """Write many outcomes with one executemany per shape (no commit). Only rows still in
    ``sending`` change: a row skipped meanwhile (its chat blocked the bot) stays skipped."""
    finals = [o for o in outcomes if o.status != "pending"]
    retries = [o for o in outcomes if o.status == "pending"]
    table = cast(Table, DeliveryRow.__table__)
    conn = await session.connection()  # Core executemany: the ORM's bulk path wants no WHERE
    if finals:
        await conn.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.status == "sending")
            .values(
                status=bindparam("b_status"),
                attempts=bindparam("b_attempts"),
                version=bindparam("b_version"),
                message_id=bindparam("b_message_id"),
                error=bindparam("b_error"),
                sent_at=bindparam("b_sent_at"),
                silent=bindparam("b_silent"),
            ),
            [
                {
                    "b_id": o.id,
                    "b_status": o.status,
                    "b_attempts": o.attempts,
                    "b_version": o.version,
                    "b_message_id": o.message_id,
                    "b_error": None if o.error is None else o.error[:300],
                    "b_sent_at": o.sent_at,
                    "b_silent": o.silent,
                }
                for o in finals
            ],
        )
    if retries:
        await conn.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.status == "sending")
            .values(
                status="pending",
                attempts=bindparam("b_attempts"),
                next_attempt_at=bindparam("b_next"),
                error=bindparam("b_error"),
            ),
            [
                {
                    "b_id": o.id,
                    "b_attempts": o.attempts,
                    "b_next": o.next_attempt_at,
                    "b_error": None if o.error is None else o.error[:300],
                }
                for o in retries
            ],
        )


async def recover_in_flight(session: AsyncSession, now: datetime) -> int:
    """Rows a crashed sender left in ``sending`` go back to pending."""
    result = await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.status == "sending")
        .values(status="pending", next_attempt_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def skip_chat(session: AsyncSession, chat_id: int, reason: str) -> None:
    """A chat that blocked the bot: inactive, and its pending rows skipped."""
    await session.execute(
        update(ChatRow)
        .where(ChatRow.id == chat_id)
        .values(active=False, inactive_reason=reason[:200])
    )
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.chat_id == chat_id, DeliveryRow.status.in_(("pending", "sending")))
        .values(status="skipped", error=reason[:300])
    )


async def first_alerts(
    session: AsyncSession, event_ids: Collection[str], chat_ids: Collection[int]
) -> dict[tuple[int, str], DeliveryRow]:
    """For update rows: each (chat, event)'s first alert that is sent or still on its way
    (the sent one wins; else the pending/sending one, which an update must wait for)."""
    if not event_ids or not chat_ids:
        return {}
    stmt = select(DeliveryRow).where(
        DeliveryRow.event_id.in_(list(event_ids)),
        DeliveryRow.chat_id.in_(list(chat_ids)),
        DeliveryRow.kind == "new",
        DeliveryRow.status.in_(ALERTED),
    )
    found: dict[tuple[int, str], DeliveryRow] = {}
    for row in (await session.execute(stmt)).scalars():
        key = (row.chat_id, str(row.event_id))
        old = found.get(key)
        if old is None or (ALERTED.index(row.status), row.version) < (
            ALERTED.index(old.status),
            old.version,
        ):
            found[key] = row
    return found


async def counts(session: AsyncSession, broadcast_id: int | None = None) -> dict[str, int]:
    stmt = select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
    if broadcast_id is not None:
        stmt = stmt.where(DeliveryRow.broadcast_id == broadcast_id)
    return {str(status): int(n) for status, n in (await session.execute(stmt)).all()}


async def backlog(session: AsyncSession) -> int:
    stmt = select(func.count()).where(
        or_(DeliveryRow.status == "pending", DeliveryRow.status == "sending")
    )
    return int((await session.execute(stmt)).scalar_one())
