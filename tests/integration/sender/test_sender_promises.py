"""The outbox keeps its promise through the limit-enforcing fake Bot API (SQLite, PostgreSQL):
no duplicate first alert, no loss in a partial outage, one claim per row with two senders,
Retry-After honoured per chat, updates paced as two calls, old news expired."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.chat.admin import gather_stats, render_stats
from bot.domain import ChangeKind
from bot.geo import load_gazetteer
from bot.ops.metrics import Metrics
from bot.store.db import SessionFactory
from bot.store.tables import DeliveryRow, EventRow
from tests.builders import make_event, publish, seed_chat
from tests.fakes.telegram_api import FakeTelegram
from tests.integration.sender.helpers import all_rows, wait_until_done

NO_RIGHTS = "Forbidden: not enough rights to send text messages to the chat"


async def test_update_while_the_first_alert_waits_brings_one_alert_with_the_latest_toll(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    first = make_event(killed=14)
    async with sessions.begin() as session:
        await seed_chat(session, 1101, updates="reply")
        await seed_chat(session, 1102, updates="reply")
        await publish(session, first)
    telegram.chat_429(1101, retry_after=2)  # the first alert to 1101 waits in the outbox
    await sender_for()
    await telegram.wait_for(lambda c: c.status == 429 and c.params.get("chat_id") == 1101)
    await telegram.wait_sent(1102)
    raised = replace(first, version=2, killed=19)
    async with sessions.begin() as session:
        await publish(session, raised, ChangeKind.UPDATE, previous=first, what=("killed",))
    await wait_until_done(sessions, seconds=20)
    await asyncio.sleep(0.5)  # room for a second alert to show up
    [alert] = telegram.sent(1101)
    assert "19 killed" in alert["text"]  # the waiting alert went out with the latest figure
    assert telegram.duplicates() == {}
    original, reply = telegram.sent(1102)  # the chat that had it gets the update as a reply
    assert reply["reply_parameters"]["message_id"] == original["message_id"]


async def test_half_of_sends_failing_for_a_while_loses_and_duplicates_nothing(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    chats = range(2001, 2081)
    async with sessions.begin() as session:
        for chat_id in chats:
            await seed_chat(session, chat_id)
        await publish(session, make_event())
    telegram.failing(0.5, status=502, seconds=6.0)
    await sender_for(max_attempts=2)
    done = await wait_until_done(sessions, seconds=60)
    assert set(done.values()) == {"sent"}
    assert all(len(telegram.sent(c)) == 1 for c in chats)
    assert telegram.count("sendMessage", 502) >= 20


async def test_two_senders_on_one_database_send_each_alert_once(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    await sender_for(messages_per_second=200.0)
    await sender_for(messages_per_second=200.0)
    await asyncio.sleep(0.3)  # both have started (and recovered nothing)
    chats = range(3001, 3061)
    async with sessions.begin() as session:
        for chat_id in chats:
            await seed_chat(session, chat_id)
        await publish(session, make_event())
    await wait_until_done(sessions)
    await asyncio.sleep(0.5)
    assert telegram.duplicates() == {}
    assert all(len(telegram.sent(c)) == 1 for c in chats)


async def test_a_chat_told_to_retry_later_is_not_asked_again_before_then(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        for chat_id in (4001, 4002, 4003):
            await seed_chat(session, chat_id)
        await publish(session, make_event())
    telegram.chat_429(4001, retry_after=2)
    sender = await sender_for()
    await wait_until_done(sessions)
    refused = next(c.at for c in telegram.calls if c.status == 429)
    delivered = next(
        c.at for c in telegram.calls if c.status == 200 and c.params.get("chat_id") == 4001
    )
    assert telegram.faults.early == 0  # nothing came inside the retry window
    assert delivered - refused >= 2.0
    assert all(len(telegram.sent(c)) == 1 for c in (4001, 4002, 4003))
    assert (sender.stats.rate_limited_chat, sender.stats.rate_limited_global) == (1, 0)


async def test_an_update_is_two_paced_calls_and_a_429_on_the_reply_does_not_edit_again(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    chats = range(5001, 5041)
    first = make_event(killed=14)
    async with sessions.begin() as session:
        for chat_id in chats:
            await seed_chat(session, chat_id, updates="reply")
        await publish(session, first)
    await sender_for(messages_per_second=20.0)
    await wait_until_done(sessions)
    telegram.fail_next(1, status=429, method="sendMessage")  # the first reply is refused
    mark = len(telegram.calls)
    raised = replace(first, version=2, killed=19)
    async with sessions.begin() as session:
        await publish(session, raised, ChangeKind.UPDATE, previous=first, what=("killed",))
    await wait_until_done(sessions, seconds=30)
    calls = [c for c in telegram.calls[mark:] if c.status == 200]
    first_second = [c for c in calls if c.at < calls[0].at + 1.0]
    assert len(first_second) <= 21  # edits count: 20 calls a second, not 20 updates
    assert telegram.count(status=429) == 1  # the one injected, none earned
    for chat_id in chats:
        edits = [
            c
            for c in telegram.calls[mark:]
            if c.method == "editMessageText" and c.params["chat_id"] == chat_id
        ]
        assert len(edits) == 1, chat_id  # never edited again after the refused reply
        assert len(telegram.sent(chat_id)) == 2  # the alert and one reply


async def test_a_group_that_took_the_bots_rights_is_not_treated_as_gone(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    async with sessions.begin() as session:
        await seed_chat(session, -6001, type="group")
        await publish(session, make_event())
    telegram.fail_next(1, status=403, method="sendMessage", description=NO_RIGHTS)
    await sender_for()
    assert await wait_until_done(sessions) == {-6001: "failed"}
    async with sessions.begin() as session:
        await publish(session, make_event("ev_next"))
    await telegram.wait_sent(-6001)  # still a subscriber: the next alert goes out


async def test_alerts_of_old_events_expire_but_updates_to_sent_alerts_go_out(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    now = datetime.now(UTC)
    fresh = make_event("ev_fresh", killed=3, last_seen=now)
    async with sessions.begin() as session:
        await seed_chat(session, 7001, updates="reply")
        await publish(session, fresh)
    metrics = Metrics()

    def count(outcome: str, row: DeliveryRow, at: datetime) -> None:
        metrics.delivery(outcome, row.first_seen, at)

    sender = await sender_for(max_alert_age_minutes=180, sender_kwargs={"on_outcome": count})
    await wait_until_done(sessions)
    stale = make_event("ev_stale", last_seen=now - timedelta(minutes=181))
    raised = replace(fresh, version=2, killed=5, last_seen=now - timedelta(minutes=200))
    async with sessions.begin() as session:
        await publish(session, stale)
        await publish(session, raised, ChangeKind.UPDATE, previous=fresh, what=("killed",))
    await wait_until_done(sessions)
    statuses = {(r.event_id, r.kind): r.status for r in await all_rows(sessions)}
    assert statuses[("ev_stale", "new")] == "expired"
    assert statuses[("ev_fresh", "update")] == "sent"
    texts = [m["text"] for m in telegram.sent(7001)]
    assert len(texts) == 2 and "3 killed" in texts[0] and "5" in texts[1]
    assert sender.stats.expired == 1
    sample = metrics.registry.get_sample_value
    assert sample("strikebot_deliveries_total", {"outcome": "expired"}) == 1
    stats = render_stats(await gather_stats(sessions, now), load_gazetteer(), "en")
    assert "2 sent · 1 expired" in stats  # /stats and `strikebot stats`
    async with sessions() as session:  # the event itself stays (for /latest)
        assert await session.get(EventRow, "ev_stale") is not None
