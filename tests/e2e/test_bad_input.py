"""Bad input end to end: markup in names, very long and empty arguments, emoji, unknown
commands and free text, forged and stale callbacks, edited messages, and a failing reply
(the error handler logs one line with the update id)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot.config import Settings
from tests.e2e.talk import ask, buttons, chat_row, press, subscriptions
from tests.fakes.telegram_api import FakeTelegram

Start = Any


async def test_markup_in_names_is_escaped(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    reply = await ask(telegram, 90, "/subscribe <b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in reply["text"] and "<b>x</b>" not in reply["text"]
    reply = await ask(telegram, 90, "/subscribe *bold* _it_ [a](http://e.com) &amp;")
    assert "&amp;amp;" in reply["text"]
    reply = await ask(telegram, 90, '/unsubscribe <a href="x">')
    assert "<a href" not in reply["text"]


async def test_long_empty_and_emoji_arguments(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    reply = await ask(telegram, 91, "/subscribe " + "Київ" * 1000)
    assert "too long" in reply["text"]
    reply = await ask(telegram, 91, "/settings tz " + "x" * 3000)
    assert "too long" in reply["text"]
    reply = await ask(telegram, 91, "/subscribe 🚀🔥")
    assert "I don't know a place" in reply["text"]
    menu = await ask(telegram, 91, "/subscribe      ")
    assert "sub:UA" in buttons(menu).values()
    reply = await ask(telegram, 91, "/latest 99999999999999999999")
    assert "no subscriptions" in reply["text"]
    assert await subscriptions(bot, 91) == []


async def test_unknown_commands_and_free_text_get_a_short_help(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    reply = await ask(telegram, 92, "/frobnicate now")
    assert "/help" in reply["text"]
    reply = await ask(telegram, 93, "hello bot 👋")
    assert "/help" in reply["text"]
    reply = await ask(telegram, 94, "привіт", language_code="uk")
    assert "/help" in reply["text"] and "зрозумів" in reply["text"]


async def test_forged_and_stale_callbacks_change_nothing(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    view = await ask(telegram, 95, "/settings")
    for data in ("sub:ZZ-99", "sub:UA-12:999999", "set:sev:9", "rm -rf", "", "x" * 64,
                 "unsub:*", "page:regions:ZZ:0", "bc:ok:1", "stop:maybe"):  # fmt: skip
        answer = await press(telegram, 95, view["message_id"], data)
        assert answer.status == 200, data
        text = answer.params.get("text", "")
        assert "expired" in text or "admins only" in text or "not subscribed" in text, data
    row = await chat_row(bot, 95)
    assert row is not None and row.min_severity == 1
    assert await subscriptions(bot, 95) == []


async def test_edited_messages_are_ignored(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    await ask(telegram, 96, "/subscribe Kharkiv oblast")
    telegram.send_text(96, "/subscribe Odesa oblast", edited=True)
    reply = await ask(telegram, 96, "/mysubs")
    assert "Odesa" not in reply["text"]
    assert len(telegram.sent(96)) == 2
    assert await subscriptions(bot, 96) == ["UA-63"]


async def test_a_failing_reply_is_logged_once_with_the_update_id(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Start,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await start_bot(settings_for())
    telegram.fail_next(1, 400, "sendMessage")
    update_id = telegram.send_text(97, "/help")
    await telegram.wait_for(lambda c: c.method == "sendMessage" and c.status == 400)
    [apology] = await telegram.wait_sent(97, timeout=10)
    assert "went wrong" in apology["text"]  # the user is not left in silence
    reply = await ask(telegram, 97, "/help")
    assert "/subscribe" in reply["text"]
    lines = [
        r for r in caplog.records if r.name == "strikebot.handlers" and r.levelno >= logging.ERROR
    ]
    assert len(lines) == 1 and f"update {update_id}" in lines[0].getMessage()


async def test_in_a_group_only_commands_addressed_to_the_bot_get_help(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    group = -4200
    telegram.send_text(group, "/weather@other_bot", user_id=5, chat_type="group")
    reply = await ask(
        telegram, group, "/frobnicate@strikebot_test_bot", user_id=5, chat_type="group"
    )
    assert "/help" in reply["text"]
    reply = await ask(telegram, group, "/help@strikebot_test_bot", user_id=5, chat_type="group")
    assert "/subscribe" in reply["text"]
    assert len(telegram.sent(group)) == 2


async def test_the_command_menu_is_published_in_every_language(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    for code in (None, "uk", "ru"):
        call = await telegram.wait_for(
            lambda c, code=code: (
                c.method == "setMyCommands" and c.params.get("language_code") == code
            )
        )
        names = [item["command"] for item in call.params["commands"]]
        assert {"subscribe", "latest", "settings", "stop"} <= set(names)


async def test_a_new_chats_first_commands_at_once_all_get_answers(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Start,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = await start_bot(settings_for())
    for text in ("/start", "/settings", "/mysubs"):
        telegram.send_text(98, text)
    replies = await telegram.wait_sent(98, 3)
    assert len(replies) == 3
    assert not [
        r for r in caplog.records if r.levelno >= logging.ERROR and "update" in r.getMessage()
    ]
    assert await chat_row(bot, 98) is not None
