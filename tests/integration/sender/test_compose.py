"""compose_batch against a real outbox (SQLite, PostgreSQL): an update never becomes a second
full alert, and a first alert that already showed a version makes its update unneeded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.domain import ChangeKind
from bot.notify import compose
from bot.store.db import SessionFactory
from bot.store.tables import DeliveryRow
from tests.builders import make_event, publish, seed_chat


async def plan_first_then_update(sessions: SessionFactory, first_status: str) -> None:
    first = make_event(killed=14)
    async with sessions.begin() as session:
        await seed_chat(session, 8001, updates="reply")
        await publish(session, first)
        await session.execute(update(DeliveryRow).values(status=first_status, message_id=77))
        raised = replace(first, version=2, killed=19)
        await publish(session, raised, ChangeKind.UPDATE, previous=first, what=("killed",))


async def compose_update(sessions: SessionFactory) -> compose.Composed:
    async with sessions() as session:
        row = (
            await session.execute(select(DeliveryRow).where(DeliveryRow.kind == "update"))
        ).scalar_one()
        [item] = await compose.compose_batch(
            session, [row], datetime.now(UTC), compose.RenderCache()
        )
    return item


async def test_an_update_waits_while_the_first_alert_is_being_sent(
    sessions: SessionFactory,
) -> None:
    await plan_first_then_update(sessions, "sending")
    item = await compose_update(sessions)
    assert isinstance(item, compose.Wait)  # not a full alert of its own


async def test_an_update_the_first_alert_already_showed_is_skipped(
    sessions: SessionFactory,
) -> None:
    await plan_first_then_update(sessions, "sending")
    async with sessions.begin() as session:  # the first alert went out showing version 2
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.kind == "new")
            .values(status="sent", version=2, sent_at=datetime.now(UTC))
        )
    item = await compose_update(sessions)
    assert isinstance(item, compose.Drop) and item.status == "skipped"


async def test_an_update_to_a_sent_alert_edits_it_and_replies(sessions: SessionFactory) -> None:
    await plan_first_then_update(sessions, "sending")
    async with sessions.begin() as session:
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.kind == "new")
            .values(status="sent", sent_at=datetime.now(UTC))
        )
    item = await compose_update(sessions)
    assert isinstance(item, compose.Ready)
    assert item.out.edit_message_id == 77 and item.out.reply_to == 77
    assert item.out.calls == 2 and "19 killed" in (item.out.edit_text or "")
