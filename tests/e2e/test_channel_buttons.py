"""Buttons under alerts in a channel: viewers change nothing, "Why this alert?" never posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.builders import make_event, publish, seed_chat
from tests.e2e.talk import buttons, chat_row, eventually, press, subscriptions
from tests.fakes.telegram_api import FakeTelegram

CHANNEL = -1007777
BOT_ID = 123456  # the fake's bot id: the token's prefix
CHANNEL_ADMIN = 4242
VIEWER = 5555


async def _alert_in_channel(
    telegram: FakeTelegram, bot: Any, event_id: str = "ev_chan1"
) -> dict[str, Any]:
    telegram.state.chat_types[CHANNEL] = "channel"
    telegram.set_chat_admins(CHANNEL, [BOT_ID, CHANNEL_ADMIN])
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, CHANNEL, ("UA-12",), type="channel", lang="en")
        await publish(
            session, make_event(event_id, reasons=("weapon:ballistic missile", "impact:killed"))
        )
    bot.sender.wake()
    [alert] = await telegram.wait_sent(CHANNEL, timeout=15)
    assert alert["message_id"] in telegram.messages
    assert telegram.messages[alert["message_id"]]["sender_chat"]["id"] == CHANNEL
    return alert


async def test_a_viewer_cannot_mute_stop_or_reconfigure_a_channel(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Any,
    database_url: str,
) -> None:
    bot = await start_bot(settings_for(database_url=database_url))
    alert = await _alert_in_channel(telegram, bot)
    mute = buttons(alert)["Mute this region"]
    for data in (mute, "stop:yes", "set:lang:uk", "set:sev:4", "unsub:UA-12"):
        answer = await press(
            telegram, CHANNEL, alert["message_id"], data, user_id=VIEWER, chat_type="channel"
        )
        assert answer.params.get("show_alert") is True, data  # a refusal only they see
    assert await subscriptions(bot, CHANNEL) == ["UA-12"]
    row = await chat_row(bot, CHANNEL)
    assert row is not None and row.lang == "en" and row.active
    assert len(telegram.sent(CHANNEL)) == 1  # nothing was posted in the channel

    # the channel's own admin may mute it
    await press(
        telegram, CHANNEL, alert["message_id"], mute, user_id=CHANNEL_ADMIN, chat_type="channel"
    )

    async def muted() -> bool:
        return await subscriptions(bot, CHANNEL) == []

    await eventually(muted)


async def test_why_in_a_channel_answers_in_place_for_every_viewer(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    bot = await start_bot(settings_for())
    alert = await _alert_in_channel(telegram, bot, "ev_chan2")
    why = buttons(alert)["Why this alert?"]
    for viewer in range(7001, 7011):  # ten viewers press it
        answer = await press(
            telegram, CHANNEL, alert["message_id"], why, user_id=viewer, chat_type="channel"
        )
        assert answer.params.get("show_alert") is True
        text = str(answer.params.get("text", ""))
        assert "Why this alert?" in text and "ballistic missile" in text
        assert len(text) <= 200
    assert len(telegram.sent(CHANNEL)) == 1  # only the alert itself: no post per press


async def test_why_in_a_group_posts_once_then_answers_in_place(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    bot = await start_bot(settings_for())
    group = -100555
    telegram.state.chat_types[group] = "supergroup"
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, group, ("UA-12",), type="supergroup", lang="en")
        await publish(session, make_event("ev_grp1", reasons=("weapon:ballistic missile",)))
    bot.sender.wake()
    [alert] = await telegram.wait_sent(group, timeout=15)
    why = buttons(alert)["Why this alert?"]
    await press(telegram, group, alert["message_id"], why, user_id=11, chat_type="supergroup")
    await telegram.wait_sent(group, 2, timeout=10)
    for member in (12, 13, 14):
        answer = await press(
            telegram, group, alert["message_id"], why, user_id=member, chat_type="supergroup"
        )
        assert answer.params.get("show_alert") is True
    assert len(telegram.sent(group)) == 2  # the alert and one explanation
