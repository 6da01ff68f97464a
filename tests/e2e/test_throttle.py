"""Throttling as a user meets it: a flood gets one clear "wait N seconds" (in the user's
language) and nothing else, button presses while setting up are not a flood, and a burst of
commands in one chat is answered in order without hitting Telegram's per-chat limit."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.e2e.talk import ask, chat_row, press
from tests.fakes.telegram_api import FakeTelegram

Start = Any


def _limited(settings: Settings, per_minute: int) -> Settings:
    telegram_settings = dataclasses.replace(settings.telegram, commands_per_minute=per_minute)
    return dataclasses.replace(settings, telegram=telegram_settings)


async def test_a_flooding_user_is_told_once_how_long_to_wait(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(_limited(settings_for(), 5))
    group, flooder = -4100, 66  # in a group, so Telegram's per-chat limit is not the test
    for _ in range(100):
        telegram.send_text(group, "/help", user_id=flooder, chat_type="group")
    reply = await ask(telegram, 67, "/help")
    assert "/subscribe" in reply["text"]

    sent = await telegram.wait_sent(group, 6)
    slow = [m for m in sent if "Too many commands" in m["text"]]
    assert len(slow) == 1
    seconds = re.search(r"next (\d+) seconds?", slow[0]["text"])
    assert seconds is not None and 1 <= int(seconds.group(1)) <= 60
    assert "did not act on this one" in slow[0]["text"]
    assert len(sent) == 6  # five answers, one "wait"; the other 94 ignored, as it said
    assert telegram.count("sendMessage") == 7


async def test_the_warning_speaks_ukrainian(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(_limited(settings_for(), 2))
    group = -4101
    for _ in range(4):
        telegram.send_text(group, "/help", user_id=68, chat_type="group", language_code="uk")
    sent = await telegram.wait_sent(group, 3)
    warned = [m for m in sent if re.search(r"Забагато команд.*протягом \d+ секунд", m["text"])]
    assert len(warned) == 1


async def test_setting_up_with_buttons_is_not_a_flood(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(_limited(settings_for(), 5))
    chat = 69
    view = await ask(telegram, chat, "/settings")
    for step in ("set:sev:3", "set:sev:2", "set:upd:reply", "set:upd:edit", "set:sev:1") * 3:
        answer = await press(telegram, chat, view["message_id"], step)
        assert answer.params.get("text") == "✅ Saved."
    # fifteen presses later, a typed setting is still applied
    reply = await ask(telegram, chat, "/settings quiet 23:00-07:00")
    assert "Saved" in reply["text"] and "23:00–07:00" in reply["text"]
    row = await chat_row(bot, chat)
    assert row is not None and (row.quiet_start, row.quiet_end) == (1380, 420)


async def test_a_burst_of_commands_in_one_chat_is_answered_in_order(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    chat = 70  # a private chat: Telegram allows a short burst, then about one message a second
    for _ in range(7):
        telegram.send_text(chat, "/help")
    sent = await telegram.wait_sent(chat, 7, timeout=20)
    assert all("/subscribe" in m["text"] for m in sent)
    assert not any("went wrong" in m["text"] for m in sent)
    limited = [c for c in telegram.calls if c.method == "sendMessage" and c.status == 429]
    assert limited == []
