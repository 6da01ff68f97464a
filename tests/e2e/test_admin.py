"""Admin commands end to end: broadcast (preview, confirm, delivery by the real sender,
progress), regional broadcast, cancel, forged confirmations, /stats, /feeds, /addfeed,
/delfeed, /channel — and every one of them refused to a non-admin."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import StrikeBot
from bot.chat.broadcasts import report_broadcast_progress
from bot.config import Settings
from bot.store import outbox
from bot.store.tables import BroadcastRow, DeliveryRow, FeedRow
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.talk import (
    ask,
    buttons,
    chat_row,
    current,
    eventually,
    press,
    subscriptions,
)
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram

Start = Any
BOT_ID = 123456  # the fake's bot id: the token's prefix


async def count(bot: StrikeBot, table: type[Any]) -> int:
    assert bot.services is not None
    async with bot.services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def audience(telegram: FakeTelegram) -> None:
    await ask(telegram, 80, "/subscribe Dnipropetrovsk oblast")
    await ask(telegram, 81, "/subscribe Kharkiv oblast")
    await ask(telegram, 82, "/subscribe all")


async def test_broadcast_preview_confirm_delivery_and_progress(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    await audience(telegram)
    preview = await ask(telegram, ADMIN_ID, "/broadcast Maintenance tonight <3")
    assert "Message from the bot's admins" in preview["text"]
    assert "Maintenance tonight &lt;3" in preview["text"]
    assert "4 recipients (all regions)" in preview["text"]  # three users and the admin
    keys = buttons(preview)
    assert set(keys) == {"Confirm", "Cancel"}

    await press(telegram, ADMIN_ID, preview["message_id"], keys["Confirm"], user_id=ADMIN_ID)
    assert "4 remaining" in current(telegram, preview["message_id"])["text"]
    for chat in (80, 81, 82):
        [*_, received] = await telegram.wait_sent(chat, 2)
        assert received["text"].startswith("📢 <b>Message from the bot's admins</b>")
        assert "Maintenance tonight &lt;3" in received["text"]
    await telegram.wait_sent(ADMIN_ID, 2)
    assert bot.application is not None and bot.services is not None
    sessions = bot.services.sessions

    async def delivered() -> bool:  # the sender records each send just after it
        async with sessions() as session:
            return (await outbox.counts(session)).get("sent", 0) == 4

    await eventually(delivered)
    tg_bot = bot.application.bot

    async def reported() -> bool:  # what the 5-second job does; the fake may ask it to wait
        await report_broadcast_progress(tg_bot, sessions)
        return "4 sent, 0 failed, 0 remaining" in current(telegram, preview["message_id"])["text"]

    await eventually(reported)
    async with sessions() as session:
        assert (await session.get(BroadcastRow, 1)) is not None
        assert (await session.get(BroadcastRow, 1)).status == "done"  # type: ignore[union-attr]

    again = await press(
        telegram, ADMIN_ID, preview["message_id"], keys["Confirm"], user_id=ADMIN_ID
    )
    assert "expired" in again.params["text"]
    assert await count(bot, DeliveryRow) == 4 + 0  # no second round of deliveries


async def test_regional_broadcast_reaches_only_that_regions_subscribers(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    await audience(telegram)
    preview = await ask(telegram, ADMIN_ID, "/broadcast region:UA-12 Shelters open in Dnipro")
    assert "2 recipients (Dnipropetrovsk oblast)" in preview["text"]
    await press(
        telegram, ADMIN_ID, preview["message_id"], buttons(preview)["Confirm"], user_id=ADMIN_ID
    )
    for chat in (80, 82):
        [*_, received] = await telegram.wait_sent(chat, 2)
        assert "Shelters open in Dnipro" in received["text"]
    assert all("Shelters" not in m["text"] for m in telegram.sent(81))
    assert all("Shelters" not in m["text"] for m in telegram.sent(ADMIN_ID)[1:])


async def test_cancelled_and_forged_broadcasts_send_nothing(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    await audience(telegram)
    preview = await ask(telegram, ADMIN_ID, "/broadcast Never sent")
    keys = buttons(preview)
    forged = await press(telegram, 81, preview["message_id"], keys["Confirm"], user_id=81)
    assert "admins only" in forged.params["text"]
    await press(telegram, ADMIN_ID, preview["message_id"], keys["Cancel"], user_id=ADMIN_ID)
    assert "cancelled" in current(telegram, preview["message_id"])["text"]
    late = await press(telegram, ADMIN_ID, preview["message_id"], keys["Confirm"], user_id=ADMIN_ID)
    assert "expired" in late.params["text"]
    assert await count(bot, DeliveryRow) == 0
    reply = await ask(telegram, ADMIN_ID, "/broadcast region:Atlantis hello")
    assert "region" in reply["text"]
    reply = await ask(telegram, ADMIN_ID, "/broadcast")
    assert "Usage" in reply["text"]


async def test_admin_commands_from_a_non_admin_are_refused_and_logged(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Start,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = await start_bot(settings_for())
    caplog.set_level(logging.WARNING, logger="strikebot.admin")
    commands = (
        "/broadcast hello everyone",
        "/stats",
        "/feeds",
        "/addfeed http://127.0.0.1:9/feed.xml",
        "/delfeed 1",
        "/channel UA-12 -1007777",
    )
    for user, command in enumerate(commands, start=83):  # one chat each: no per-chat pacing
        telegram.send_text(user, command)
    for user, command in enumerate(commands, start=83):
        [reply, *_] = await telegram.wait_sent(user)
        assert "for the bot's admins only" in reply["text"], command
    # the refusal must also stop the command: give a handler that went on after refusing the
    # time to show it (a broadcast preview, stats, a feed or channel row)
    await asyncio.sleep(1.5)
    for user, command in enumerate(commands, start=83):
        assert len(telegram.sent(user)) == 1, (command, telegram.sent(user))
    refused = [r.getMessage() for r in caplog.records if "from non-admin user" in r.getMessage()]
    assert len(refused) == 6
    assert await count(bot, BroadcastRow) == 0
    assert await count(bot, FeedRow) == 0
    assert await chat_row(bot, -1007777) is None


async def test_stats(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    await audience(telegram)
    reply = await ask(telegram, ADMIN_ID, "/stats")
    assert "Chats: 4 active · subscriptions: 3" in reply["text"]
    assert "Dnipropetrovsk oblast 1" in reply["text"]
    assert "Events today: 0" in reply["text"]
    assert "Deliveries: 0 pending · 0 failed" in reply["text"]


async def test_addfeed_feeds_and_delfeed(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Start,
    feeds: FeedServer,
) -> None:
    bot = await start_bot(settings_for())
    feeds.set_feed("/news.xml", rss([{"title": "Hello", "link": "https://e.com/1", "guid": "1"}]))
    reply = await ask(telegram, ADMIN_ID, "/addfeed not-a-url")
    assert "Usage" in reply["text"]
    feeds.fail("/broken.xml", 500)
    reply = await ask(telegram, ADMIN_ID, f"/addfeed {feeds.url('/broken.xml')}")
    assert "Could not read" in reply["text"]
    reply = await ask(telegram, ADMIN_ID, f"/addfeed {feeds.url('/news.xml')} Local news")
    assert "Feed added (#" in reply["text"] and "1 item" in reply["text"]
    listing = await ask(telegram, ADMIN_ID, "/feeds")
    assert "Local news" in listing["text"]
    reply = await ask(telegram, ADMIN_ID, "/delfeed 1")
    assert "disabled" in reply["text"]
    assert bot.services is not None
    async with bot.services.sessions() as session:
        row = (await session.execute(select(FeedRow))).scalar_one()
        assert not row.enabled
    reply = await ask(telegram, ADMIN_ID, "/delfeed 999")
    assert "don't know" in reply["text"]


async def test_channel_registration(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    channel = -1007777
    telegram.state.chat_types[channel] = "channel"
    reply = await ask(telegram, ADMIN_ID, f"/channel Kharkiv oblast {channel}")
    assert "not an admin" in reply["text"]
    telegram.set_chat_admins(channel, [BOT_ID])
    reply = await ask(telegram, ADMIN_ID, f"/channel Kharkiv oblast {channel}")
    assert "will get alerts for Kharkiv oblast" in reply["text"]
    assert await subscriptions(bot, channel) == ["UA-63"]
    row = await chat_row(bot, channel)
    assert row is not None and row.type == "channel"
    reply = await ask(telegram, ADMIN_ID, "/channel UA-63 -1008888")
    assert "not a channel" in reply["text"]
    reply = await ask(telegram, ADMIN_ID, "/channel UA-63")
    assert "Usage" in reply["text"]
