"""A user's first contact: /start and /help answer, in the client's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.fakes.telegram_api import FakeTelegram


async def test_start_replies_with_welcome_and_disclaimer(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    await start_bot(settings_for())
    telegram.send_text(42, "/start", language_code="en")
    [reply] = await telegram.wait_sent(42, timeout=10)
    assert "not an official" in reply["text"].lower()
    assert reply["parse_mode"] == "HTML"


async def test_start_speaks_ukrainian_to_a_ukrainian_client(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    await start_bot(settings_for())
    telegram.send_text(43, "/start", language_code="uk")
    [reply] = await telegram.wait_sent(43, timeout=10)
    assert "офіційн" in reply["text"].lower()


async def test_help_lists_the_commands(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    await start_bot(settings_for())
    telegram.send_text(44, "/help")
    [reply] = await telegram.wait_sent(44, timeout=10)
    for command in ("/subscribe", "/latest", "/settings"):
        assert command in reply["text"]


async def test_a_reply_survives_a_short_telegram_hiccup(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    await start_bot(settings_for())
    telegram.fail_next(2, status=502, method="sendMessage")
    telegram.send_text(45, "/start")
    [reply] = await telegram.wait_sent(45, timeout=15)
    assert "not an official" in reply["text"].lower()
    assert telegram.count("sendMessage", 502) == 2


async def test_start_speaks_russian_to_a_russian_client(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    await start_bot(settings_for())
    telegram.send_text(45, "/start", language_code="ru-RU")
    [reply] = await telegram.wait_sent(45, timeout=10)
    text = reply["text"]
    assert "Это не официальная служба воздушной тревоги" in text
    assert "Выберите свой регион:" in text
    assert "офіційн" not in text.lower() and "official" not in text.lower()
