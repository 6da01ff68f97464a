"""Whole articles and languages, end to end: feed → classify → cluster → alert.

* The founding example — the user's Kryvyi Rih article, read at run time from
  ``../shared/seed/`` (never copied here) — arrives as ONE feed item, with or without a
  headline, in a feed that declares English, nothing, or (wrongly) Ukrainian: a Dnipropetrovsk
  oblast subscriber gets one alert with the strike's figures, whatever background, reactions
  and page furniture the article goes on with.
* A Ukrainian and a Russian report in a feed declared ``lang = "en"`` alert their subscribers:
  the text's language decides, the declared one only breaks ties.

The article is dated 4 April 2025, so the bot runs on a clock that starts that evening.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import FeedSettings, Settings
from tests.builders import seed_chat
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
FOUNDING = SEED / "founding_example_kryvyi_rih.txt"
STRIKE_EVENING = datetime(2025, 4, 4, 19, 30, tzinfo=UTC)  # an hour after the strike (22:30 Kyiv)


def shifted_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that starts at ``start`` and runs at the real pace."""
    real_start = datetime.now(UTC)
    return lambda: start + (datetime.now(UTC) - real_start)


async def start_one_feed(
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
    lang: str,
    subscribers: dict[int, str],
    clock: Callable[[], datetime] | None = None,
) -> None:
    feeds.set_feed("/wire.xml", rss([]))
    settings = settings_for(
        feeds=(FeedSettings(url=feeds.url("/wire.xml"), name="The Wire", lang=lang),)
    )
    bot = await (start_bot(settings, clock=clock) if clock else start_bot(settings))
    async with bot.services.sessions.begin() as session:
        for chat_id, region in subscribers.items():
            await seed_chat(session, chat_id, (region,))


HEADLINE = "Ballistic missile hits a residential area of Kryvyi Rih"  # our own words


@pytest.mark.parametrize(
    ("title", "lang"), [("", "en"), (HEADLINE, "en"), ("", ""), (HEADLINE, "uk")]
)
async def test_the_founding_article_alerts_its_oblast_once(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
    title: str,
    lang: str,
) -> None:
    if not FOUNDING.exists():
        pytest.skip(f"the founding example is not here: {FOUNDING}")
    article = FOUNDING.read_text(encoding="utf-8")
    clock = shifted_clock(STRIKE_EVENING)
    await start_one_feed(
        feeds, settings_for, start_bot, lang, {4242: "UA-12", 4343: "UA-63"}, clock
    )

    item = {
        "title": title,
        "link": "https://wire.example/kryvyi-rih-article",
        "guid": "wire-article-1",
        "description": article,
        "pubDate": format_datetime(clock() - timedelta(minutes=5)),
    }
    feeds.set_feed("/wire.xml", rss([item]))
    [alert] = await telegram.wait_sent(4242, timeout=30)
    text = alert["text"]
    assert "Kryvyi Rih" in text and "Dnipropetrovsk" in text
    assert "14 killed" in text and "6 children" in text
    assert "50+ injured" in text
    assert "allistic" in text
    # The article's background (another strike, with its own toll) lends nothing to this one.
    assert not re.search(r"(?<!\d)4 killed|(?<!\d)14 injured", text)

    await asyncio.sleep(2.5)  # two more polls of the same article: still one alert
    assert len(telegram.sent(4242)) == 1
    assert telegram.sent(4343) == []  # Kharkiv oblast
    assert telegram.duplicates() == {}


UK_REPORT = {
    "title": "Дрон влучив у житловий будинок у Полтаві, загинули двоє людей",
    "link": "https://wire.example/poltava",
    "guid": "wire-uk-1",
    "description": (
        "Уночі російський ударний безпілотник влучив у дев'ятиповерховий будинок у Полтаві. "
        "Загинули двоє людей, ще семеро поранені, повідомив начальник обласної військової "
        "адміністрації."
    ),
}
RU_REPORT = {
    "title": "Ракетный удар по Запорожью: погибли три человека",
    "link": "https://wire.example/zaporizhzhia",
    "guid": "wire-ru-1",
    "description": (
        "Утром ракета попала в жилой квартал Запорожья. Погибли три человека, еще одиннадцать "
        "ранены, сообщил глава областной военной администрации."
    ),
}


async def test_ukrainian_and_russian_reports_in_an_english_feed_alert(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    await start_one_feed(
        feeds, settings_for, start_bot, "en", {5001: "UA-53", 5002: "UA-23", 5003: "UA-46"}
    )
    published = format_datetime(datetime.now(UTC) - timedelta(minutes=3))
    feeds.set_feed(
        "/wire.xml",
        rss([{**UK_REPORT, "pubDate": published}, {**RU_REPORT, "pubDate": published}]),
    )
    [poltava] = await telegram.wait_sent(5001, timeout=30)
    assert "Poltava" in poltava["text"] and "2 killed" in poltava["text"]
    [zaporizhzhia] = await telegram.wait_sent(5002, timeout=30)
    assert "Zaporizhzhia" in zaporizhzhia["text"] and "3 killed" in zaporizhzhia["text"]
    assert telegram.sent(5003) == []  # Lviv oblast follows neither
