""" "Why this alert?" as a subscriber reads it, after a real feed → alert → update flow: which
of their subscriptions matched, the places struck, what the reports say (in their language,
never raw tags), the sources with times and headlines, and how the toll changed, by outlet."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.builders import seed_chat
from tests.e2e.test_alert_flow import FIRST, SECOND, now_rfc822, start_with_two_feeds
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram

RAW_TAG = re.compile(r"\b(?:cue|impact|weapon|object|place):")


async def _why_after_update(telegram: FakeTelegram, feeds: FeedServer, chat: int) -> str:
    feeds.set_feed("/one.xml", rss([{**FIRST, "pubDate": now_rfc822()}]))
    [alert] = await telegram.wait_sent(chat, timeout=30)
    feeds.set_feed("/two.xml", rss([{**SECOND, "pubDate": now_rfc822()}]))
    await telegram.wait_sent(chat, count=2, timeout=30)
    why_button = alert["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    telegram.press_button(chat, alert["message_id"], why_button)
    sent = await telegram.wait_sent(chat, count=3, timeout=10)
    return str(telegram.messages[sent[2]["message_id"]]["text"])  # as shown: HTML parsed


async def test_why_explains_in_english(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    await start_with_two_feeds(feeds, settings_for, start_bot, "Wire Two", "en", {})
    text = await _why_after_update(telegram, feeds, 4242)
    assert text.startswith("Why this alert?")
    assert "Your subscription: Dnipropetrovsk oblast" in text
    assert "Place struck: Kryvyi Rih (Dnipropetrovsk oblast)" in text
    assert re.search(r"What the reports say: ballistic missile;.*people killed", text)
    assert "a residential area hit" in text
    assert re.search(r"Wire One, \d\d\.\d\d \d\d:\d\d — “Russian ballistic missile", text)
    assert re.search(r"Killed: 14 \(Wire One, [^)]+\) → 18 \(Wire Two, [^)]+\)", text)
    assert not RAW_TAG.search(text)


async def test_why_explains_in_ukrainian(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    bot = await start_with_two_feeds(feeds, settings_for, start_bot, "Wire Two", "en", {})
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, 4545, ("UA-12", "UA"), lang="uk")
    text = await _why_after_update(telegram, feeds, 4545)
    assert text.startswith("Чому це сповіщення?")
    assert "Ваші підписки: Дніпропетровська область, Україна" in text
    assert "Місце удару: Кривий Ріг (Дніпропетровська область)" in text
    assert re.search(r"Що пишуть у повідомленнях: балістична ракета;.*є загиблі", text)
    assert "удар по житловому кварталу" in text
    assert re.search(r"Загиблі: 14 \(Wire One, [^)]+\) → 18 \(Wire Two, [^)]+\)", text)
    assert not RAW_TAG.search(text) and "killed" not in text
