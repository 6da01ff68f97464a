"""Quiet hours are the chat's own night, in its time zone — not UTC's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from tests.builders import make_event, publish, seed_chat
from tests.fakes.telegram_api import FakeTelegram

NOW = datetime(2025, 11, 25, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo, 09:00 in New York
NIGHT = {"quiet_start": 22 * 60, "quiet_end": 7 * 60}
CHATS = {  # chat → (zone, silent at NOW)
    4101: ("Asia/Tokyo", True),  # 23:00: inside 22:00–07:00
    4102: ("America/New_York", False),  # 09:00
    4103: ("Europe/Kyiv", False),  # 16:00
    4104: ("America/Los_Angeles", True),  # 06:00
}


def silent(message: dict[str, Any]) -> bool:
    return message.get("disable_notification") in (True, "true", "True")


async def test_quiet_hours_follow_each_chats_time_zone(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    bot = await start_bot(settings_for(), clock=lambda: NOW)
    async with bot.services.sessions.begin() as session:
        for chat_id, (zone, _) in CHATS.items():
            await seed_chat(session, chat_id, ("UA-12",), tz=zone, **NIGHT)
        await publish(session, make_event("ev_quiet"), now=NOW)
    bot.sender.wake()
    for chat_id, (zone, expected) in CHATS.items():
        [alert] = await telegram.wait_sent(chat_id, timeout=15)
        assert silent(alert) is expected, zone
