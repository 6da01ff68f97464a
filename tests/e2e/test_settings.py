"""/settings end to end: buttons and text forms, quiet hours, time zone, language, groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.e2e.talk import ask, buttons, chat_row, current, press
from tests.fakes.telegram_api import FakeTelegram

Start = Any


async def test_settings_buttons_change_severity_and_updates(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    view = await ask(telegram, 60, "/settings")
    assert "Minimum severity: ⚪" in view["text"] and "Europe/Kyiv" in view["text"]
    assert "✓ ⚪ all" in buttons(view)
    answer = await press(telegram, 60, view["message_id"], "set:sev:3")
    assert answer.params.get("text") == "✅ Saved."
    assert "✓ 🟠 killed+" in buttons(current(telegram, view["message_id"]))
    await press(telegram, 60, view["message_id"], "set:upd:reply")
    row = await chat_row(bot, 60)
    assert row is not None and (row.min_severity, row.updates) == (3, "reply")


async def test_quiet_hours_and_time_zone_as_text(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    reply = await ask(telegram, 61, "/settings quiet 23:00-07:00")
    assert "Saved" in reply["text"] and "23:00–07:00" in reply["text"]
    reply = await ask(telegram, 61, "/settings tz europe/berlin")
    assert "Europe/Berlin" in reply["text"]
    row = await chat_row(bot, 61)
    assert row is not None and (row.quiet_start, row.quiet_end, row.tz) == (
        1380,
        420,
        "Europe/Berlin",
    )

    reply = await ask(telegram, 63, "/settings tz <b>Mars</b>/Olympus")
    assert "&lt;b&gt;Mars&lt;/b&gt;" in reply["text"]
    reply = await ask(telegram, 63, "/settings quiet 25:00-07:00")
    assert "quiet hours" in reply["text"]
    view = await ask(telegram, 61, "/settings")
    await press(telegram, 61, view["message_id"], "set:quiet:off")
    row = await chat_row(bot, 61)
    assert row is not None and row.quiet_start is None and row.tz == "Europe/Berlin"


async def test_language_switch_changes_every_reply(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    reply = await ask(telegram, 62, "/settings lang uk")
    assert "Збережено" in reply["text"]
    reply = await ask(telegram, 62, "/help", language_code="en")
    assert "Команди" in reply["text"]
    view = await ask(telegram, 62, "/settings")
    await press(telegram, 62, view["message_id"], "set:lang:en")
    assert "Settings" in current(telegram, view["message_id"])["text"]


async def test_group_settings_need_a_group_admin(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    group = -4010
    telegram.set_chat_admins(group, [7])
    view = await ask(telegram, group, "/settings", user_id=99, chat_type="group")
    assert "Minimum severity" in view["text"]
    refused = await ask(telegram, group, "/settings severity 4", user_id=99, chat_type="group")
    assert "Only this group's admins" in refused["text"]
    answer = await press(
        telegram, group, view["message_id"], "set:sev:4", user_id=99, chat_type="group"
    )
    assert "admins" in answer.params["text"]
    row = await chat_row(bot, group)
    assert row is not None and row.min_severity == 1
    reply = await ask(telegram, group, "/settings severity high", user_id=7, chat_type="group")
    assert "Saved" in reply["text"]
    row = await chat_row(bot, group)
    assert row is not None and row.min_severity == 3


async def test_russian_client_can_switch_language_and_the_stored_one_wins(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    view = await ask(telegram, 64, "/settings", language_code="ru")
    assert "Настройки" in view["text"] and "Язык: Русский" in view["text"]
    assert "✓ Русский" in buttons(view)
    await press(telegram, 64, view["message_id"], "set:lang:uk")
    assert "Налаштування" in current(telegram, view["message_id"])["text"]
    reply = await ask(telegram, 64, "/help", language_code="ru")
    assert "Команди" in reply["text"]  # the stored language wins over the client's
    reply = await ask(telegram, 64, "/settings lang ru", language_code="en")
    assert "Сохранено" in reply["text"]
    row = await chat_row(bot, 64)
    assert row is not None and row.lang == "ru"
