"""A user flooding the bot is throttled (one "slow down", then silence) while others get
their answers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.e2e.talk import ask
from tests.fakes.telegram_api import FakeTelegram

Start = Any


async def test_a_flooding_user_is_throttled_and_others_are_served(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    settings = settings_for()
    telegram_settings = dataclasses.replace(settings.telegram, commands_per_minute=5)
    await start_bot(dataclasses.replace(settings, telegram=telegram_settings))
    group, flooder = -4100, 66  # in a group, so Telegram's per-chat limit is not the test
    for _ in range(100):
        telegram.send_text(group, "/help", user_id=flooder, chat_type="group")
    reply = await ask(telegram, 67, "/help")
    assert "/subscribe" in reply["text"]

    sent = await telegram.wait_sent(group, 6)
    slow = [m for m in sent if "slow down" in m["text"]]
    assert len(slow) == 1
    assert len(sent) == 6  # five answers, one "slow down"; the other 94 ignored
    assert telegram.count("sendMessage") == 7
