"""The whole product, end to end: feeds → classify → cluster → alert → update.

The founding example: a ballistic missile strike on Kryvyi Rih. A subscriber of
Dnipropetrovsk oblast gets one alert; when a second outlet reports a higher toll, the alert
is updated — never a second alert. (All texts are the project's own sentences.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from bot.config import FeedSettings, Settings
from tests.builders import seed_chat
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram


def now_rfc822() -> str:
    return format_datetime(datetime.now(UTC))


FIRST = {
    "title": "Russian ballistic missile strike on Kryvyi Rih kills 14, including 6 children",
    "link": "https://wire-one.example/kryvyi-rih-strike",
    "guid": "wire-one-1",
    "description": (
        "A ballistic missile hit a residential area of Kryvyi Rih in the evening, killing 14 "
        "people, including six children, and injuring more than 50, the regional governor said."
    ),
}
SECOND = {
    "title": "Death toll from the missile strike on Kryvyi Rih rises to 18",
    "link": "https://wire-two.example/toll-rises",
    "guid": "wire-two-1",
    "description": (
        "The number of people killed in the Russian ballistic missile attack on a residential "
        "district of Kryvyi Rih has risen to 18, including nine children, officials said."
    ),
}
UNRELATED = {
    "title": "Parliament debates the new budget for schools",
    "link": "https://wire-one.example/budget",
    "guid": "wire-one-2",
    "description": "Lawmakers argued for hours about teacher salaries and school repairs.",
}


async def start_with_two_feeds(
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
    second: str,
    second_lang: str,
    others: dict[int, str],
) -> Any:
    """The bot (returned) polling /one.xml ("Wire One", en) and /two.xml, both empty; chat
    4242 follows Dnipropetrovsk oblast (default settings), each of ``others`` its one region."""
    feeds.set_feed("/one.xml", rss([]))
    feeds.set_feed("/two.xml", rss([]))
    settings = settings_for(
        feeds=(
            FeedSettings(url=feeds.url("/one.xml"), name="Wire One", lang="en"),
            FeedSettings(url=feeds.url("/two.xml"), name=second, lang=second_lang),
        )
    )
    bot = await start_bot(settings)
    async with bot.services.sessions.begin() as session:
        for chat_id, region in {4242: "UA-12", **others}.items():
            await seed_chat(session, chat_id, (region,))
    return bot


async def test_one_alert_then_an_update_when_the_toll_rises(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    await start_with_two_feeds(
        feeds,
        settings_for,
        start_bot,
        "Wire Two",
        "en",
        {4343: "UA-63"},  # Kharkiv: not this
    )

    feeds.set_feed("/one.xml", rss([{**FIRST, "pubDate": now_rfc822()}, UNRELATED]))
    [alert] = await telegram.wait_sent(4242, timeout=30)
    text = alert["text"]
    assert text.startswith("🔴")
    assert "Kryvyi Rih" in text and "Dnipropetrovsk" in text
    assert "14 killed" in text and "6 children" in text
    assert "50+ injured" in text
    assert "allistic" in text
    assert "Wire One" in text

    feeds.set_feed("/two.xml", rss([{**SECOND, "pubDate": now_rfc822()}]))
    messages = await telegram.wait_sent(4242, count=2, timeout=30)
    update = messages[1]
    assert "18" in update["text"] and "14" in update["text"]
    assert update["reply_parameters"]["message_id"] == alert["message_id"]
    # the first alert now shows the latest toll and both sources
    edited = telegram.messages[alert["message_id"]]["text"]
    assert "18 killed" in edited and "Wire Two" in edited

    assert telegram.sent(4343) == []
    assert telegram.duplicates() == {}
    assert len(telegram.sent(4242)) == 2  # one alert, one update: never a second alert


async def test_a_bare_toll_update_updates_the_strike_but_never_starts_an_alert(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    await start_with_two_feeds(
        feeds,
        settings_for,
        start_bot,
        "Стрічка",
        "uk",
        {4444: "UA-18"},  # Zhytomyr oblast
    )

    # A toll that names no strike, about a place with no known strike: no alert.
    lone = {
        "title": "Кількість загиблих у Житомирі зросла до 5",
        "link": "https://stream.example/zhytomyr-toll",
        "guid": "stream-0",
        "pubDate": now_rfc822(),
    }
    feeds.set_feed("/two.xml", rss([lone]))
    feeds.set_feed("/one.xml", rss([{**FIRST, "pubDate": now_rfc822()}]))
    [alert] = await telegram.wait_sent(4242, timeout=30)
    assert "14 killed" in alert["text"]

    bare = {
        "title": "Кривий Ріг: кількість загиблих зросла до 20, серед них 9 дітей",
        "link": "https://stream.example/toll-20",
        "guid": "stream-1",
        "pubDate": now_rfc822(),
    }
    feeds.set_feed("/two.xml", rss([bare, lone]))
    messages = await telegram.wait_sent(4242, count=2, timeout=30)
    assert "20" in messages[1]["text"]
    assert messages[1]["reply_parameters"]["message_id"] == alert["message_id"]
    assert "20 killed" in telegram.messages[alert["message_id"]]["text"]
    assert telegram.sent(4444) == []
    assert len(telegram.sent(4242)) == 2
