"""The outbox sender against the fake Bot API and a real database (SQLite, PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.config import DeliverySettings
from bot.domain import ChangeKind, Severity
from bot.notify.sender import Sender
from bot.ops.services import utcnow
from bot.store import chats
from bot.store.db import SessionFactory, session_factory
from bot.store.tables import ChatRow, DeliveryRow
from tests.builders import KHARKIV, make_event, publish, seed_chat
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "777:SENDER-test-token-abcdefghijklmnop"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
def sessions(engine: AsyncEngine) -> SessionFactory:
    return session_factory(engine)


@pytest.fixture
async def sender_for(
    telegram: FakeTelegram, sessions: SessionFactory
) -> AsyncIterator[Callable[..., Any]]:
    started: list[tuple[Sender, asyncio.Task[None], Bot]] = []

    async def start(**settings: Any) -> Sender:
        bot = Bot(TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
        await bot.initialize()
        delivery = replace(DeliverySettings(messages_per_second=50.0, max_attempts=3), **settings)
        sender = Sender(bot, sessions, delivery, utcnow)
        task = asyncio.create_task(sender.run())
        started.append((sender, task, bot))
        return sender

    yield start
    for sender, task, bot in started:
        await sender.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await bot.shutdown()


async def statuses(sessions: SessionFactory) -> dict[int, str]:
    async with sessions() as session:
        rows = (await session.execute(select(DeliveryRow))).scalars()
        return {row.chat_id: row.status for row in rows}


async def wait_until_done(sessions: SessionFactory, seconds: float = 15.0) -> dict[int, str]:
    for _ in range(int(seconds / 0.1)):
        found = await statuses(sessions)
        if found and all(s in ("sent", "failed", "skipped") for s in found.values()):
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries not finished: {await statuses(sessions)}")


async def test_subscribers_of_the_region_get_one_alert_each(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        await seed_chat(session, 101, ("UA-12",))  # the oblast
        await seed_chat(session, 102, ("UA-12:1000001",))  # the city itself
        await seed_chat(session, 103, ("UA",))  # the country
        await seed_chat(session, 104, ("*",))  # everything
        await seed_chat(session, 105, ("UA-63",))  # another oblast: nothing
        await publish(session, make_event())
    await sender_for()
    done = await wait_until_done(sessions)
    assert done == {101: "sent", 102: "sent", 103: "sent", 104: "sent"}
    for chat_id in (101, 102, 103, 104):
        [message] = telegram.sent(chat_id)
        assert message["text"].startswith("🔴")
        assert "Kryvyi Rih" in message["text"]
    assert telegram.sent(105) == []
    assert telegram.duplicates() == {}


async def test_minimum_severity_filters_alerts(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        await seed_chat(session, 201, ("UA-63",), min_severity=int(Severity.HIGH))
        await seed_chat(session, 202, ("UA-63",))
        event = make_event(
            "ev_low",
            places=(KHARKIV,),
            killed=None,
            injured=3,
            children_killed=None,
            injured_more=False,
            severity=Severity.MEDIUM,
        )
        await publish(session, event)
    await sender_for()
    assert await wait_until_done(sessions) == {202: "sent"}


async def test_429_pauses_and_retries_without_loss_or_duplicate(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        for chat_id in range(301, 306):
            await seed_chat(session, chat_id)
        await publish(session, make_event())
    telegram.force_429(2, retry_after=1)
    sender = await sender_for()
    done = await wait_until_done(sessions)
    assert set(done.values()) == {"sent"}
    assert sender.stats.rate_limited == 2
    assert telegram.count("sendMessage", 429) == 2
    assert all(len(telegram.sent(c)) == 1 for c in range(301, 306))


async def test_blocked_and_missing_chats_become_inactive_others_still_served(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        for chat_id in (401, 402, 403):
            await seed_chat(session, chat_id)
        await publish(session, make_event())
    telegram.block(401)
    telegram.chat_not_found(402)
    await sender_for()
    assert await wait_until_done(sessions) == {401: "skipped", 402: "skipped", 403: "sent"}
    async with sessions() as session:
        assert (await session.get(ChatRow, 401)).active is False  # type: ignore[union-attr]
        assert (await session.get(ChatRow, 402)).active is False  # type: ignore[union-attr]


async def test_migrated_group_gets_the_alert_at_its_new_id(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        await seed_chat(session, -500, ("UA-12",), type="group")
        await publish(session, make_event())
    telegram.migrate(-500, -1000500)
    await sender_for()
    assert await wait_until_done(sessions) == {-1000500: "sent"}
    assert len(telegram.sent(-1000500)) == 1
    async with sessions() as session:
        assert await chats.subscription_codes(session, -1000500) == ["UA-12"]
        assert await chats.subscription_codes(session, -500) == []


async def test_server_errors_are_retried_then_failed_with_reason(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        await seed_chat(session, 601)
        await publish(session, make_event())
    telegram.fail_next(1, status=502, method="sendMessage")
    await sender_for(max_attempts=3)
    assert await wait_until_done(sessions) == {601: "sent"}

    async with sessions.begin() as session:
        await seed_chat(session, 602, ("UA-63",))
        await publish(session, make_event("ev_other", places=(KHARKIV,)))
    telegram.fail_next(10, status=500, method="sendMessage")
    done = await wait_until_done(sessions, seconds=30)
    assert done[602] == "failed"
    async with sessions() as session:
        row = (
            await session.execute(select(DeliveryRow).where(DeliveryRow.chat_id == 602))
        ).scalar_one()
    assert (row.error and "500" in row.error) or "Internal" in (row.error or "")
    assert telegram.sent(602) == []


async def test_update_edits_the_first_alert_and_reply_mode_also_replies(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    first = make_event(killed=14)
    async with sessions.begin() as session:
        await seed_chat(session, 701, updates="edit")
        await seed_chat(session, 702, updates="reply")
        await seed_chat(session, 703, updates="off")
        await publish(session, first)
    await sender_for()
    await wait_until_done(sessions)
    original = {c: telegram.sent(c)[0]["message_id"] for c in (701, 702, 703)}

    raised = replace(first, version=2, killed=19, children_killed=9)
    async with sessions.begin() as session:
        await publish(
            session, raised, ChangeKind.UPDATE, previous=first, what=("killed", "children")
        )
    await wait_until_done(sessions)
    # edit mode: the first alert now shows 19, no new message
    assert "19 killed" in telegram.messages[original[701]]["text"]
    assert len(telegram.sent(701)) == 1
    # reply mode: edited and a reply that says what changed
    assert "19 killed" in telegram.messages[original[702]]["text"]
    [_, reply] = telegram.sent(702)
    assert "19" in reply["text"] and "14" in reply["text"]
    assert reply["reply_parameters"]["message_id"] == original[702]
    # off: nothing more
    assert len(telegram.sent(703)) == 1
    assert "14 killed" in telegram.messages[original[703]]["text"]


async def test_quiet_hours_deliver_silently(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        await seed_chat(session, 801, quiet_start=0, quiet_end=24 * 60)
        await seed_chat(session, 802)
        await publish(session, make_event())
    await sender_for()
    await wait_until_done(sessions)
    assert telegram.sent(801)[0].get("disable_notification") in (True, "true", "True")
    assert telegram.sent(802)[0].get("disable_notification") in (None, False, "false", "False")


async def test_paid_broadcast_mode_marks_every_send(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        await seed_chat(session, 901)
        await publish(session, make_event())
    await sender_for(allow_paid_broadcast=True, paid_messages_per_second=100.0)
    await wait_until_done(sessions)
    [message] = telegram.sent(901)
    assert message.get("allow_paid_broadcast") in (True, "true", "True")
