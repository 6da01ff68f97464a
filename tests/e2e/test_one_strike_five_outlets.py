"""One strike, five outlets, three languages, six hours: one alert and one update per rise.

A missile strike on Kryvyi Rih is reported by five feeds (en, uk, ru) over six hours, each in
its own words. The toll goes 3 → 3 → 5 → 4 → 7; one outlet names only the drones of the attack.
A subscriber of Dnipropetrovsk oblast gets exactly one alert, then one update when the toll
rises to 5 and one when it rises to 7; the repeat, the lower figure and the other weapon are
folded silently. (All texts are the project's own sentences.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from sqlalchemy import func, select

from bot.config import FeedSettings, PollingSettings, Settings
from bot.store.tables import ArticleRow
from tests.builders import seed_chat
from tests.fakes.feed_server import LOOPBACK, FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram

OUTLETS = [  # (path, name, lang, hours before now, title, description)
    (
        "/a.xml",
        "Wire One",
        "en",
        6.0,
        "Russian missile strike on Kryvyi Rih kills 3",
        "A missile hit an apartment block in Kryvyi Rih, killing 3 people and injuring 12, "
        "the regional governor said.",
    ),
    (
        "/b.xml",
        "Стрічка",
        "uk",
        4.5,
        "Ракетний удар по Кривому Рогу: загинули 3 людини",
        "Російська ракета влучила в житловий будинок у Кривому Розі. Загинули 3 людини, "
        "12 поранені.",
    ),
    (
        "/c.xml",
        "Лента",
        "ru",
        3.0,
        "Число погибших при ракетном ударе по Кривому Рогу выросло до 5",
        "В Кривом Роге в результате ракетного удара по жилому дому погибли 5 человек, ранены 15.",
    ),
    (
        "/d.xml",
        "Wire Four",
        "en",
        1.5,
        "Drone attack on Kryvyi Rih: 4 killed",
        "Russian drones struck a residential building in Kryvyi Rih, killing 4 people and "
        "injuring 14.",
    ),
    (
        "/e.xml",
        "Новини",
        "uk",
        0.0,
        "Кількість загиблих внаслідок ракетного удару по Кривому Рогу зросла до 7",
        "У Кривому Розі загинули 7 людей, поранено 20, повідомив голова обласної "
        "військової адміністрації.",
    ),
]


async def wait_processed(bot: Any, count: int, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with bot.services.sessions() as session:
            done = await session.scalar(
                select(func.count())
                .select_from(ArticleRow)
                .where(ArticleRow.processed_at.is_not(None))
            )
        if (done or 0) >= count:
            return
        assert asyncio.get_running_loop().time() < deadline, f"{done} of {count} processed"
        await asyncio.sleep(0.1)


async def test_five_outlets_one_strike_one_alert_and_one_update_per_rise(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    for path, *_ in OUTLETS:
        feeds.set_feed(path, rss([]))
    settings = settings_for(
        feeds=tuple(
            FeedSettings(url=feeds.url(path), name=name, lang=lang)
            for path, name, lang, *_ in OUTLETS
        ),
        polling=PollingSettings(
            interval_seconds=1, max_age_minutes=8 * 60, allowed_networks=LOOPBACK
        ),
    )
    bot = await start_bot(settings)
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, 4242, ("UA-12",))
        await seed_chat(session, 4343, ("UA-63",))  # Kharkiv oblast: not this strike

    now = datetime.now(UTC)
    expected_messages = [1, 1, 2, 2, 3]  # after each outlet: alert, repeat, rise, lower, rise
    for n, (path, _, _, hours, title, description) in enumerate(OUTLETS):
        item = {
            "title": title,
            "description": description,
            "link": f"https://outlet{n}.example/kryvyi-rih",
            "guid": f"outlet{n}-1",
            "pubDate": format_datetime(now - timedelta(hours=hours)),
        }
        feeds.set_feed(path, rss([item]))
        await wait_processed(bot, n + 1)
        await telegram.wait_sent(4242, count=expected_messages[n], timeout=30)
        await asyncio.sleep(0.5)  # time for a wrong extra message to show up
        assert len(telegram.sent(4242)) == expected_messages[n], n

    alert, first_rise, second_rise = telegram.sent(4242)
    assert "3 killed" in alert["text"] and "Kryvyi Rih" in alert["text"]
    for update, figure in ((first_rise, "5"), (second_rise, "7")):
        assert figure in update["text"]
        assert update["reply_parameters"]["message_id"] == alert["message_id"]
    edited = telegram.messages[alert["message_id"]]["text"]
    assert "7 killed" in edited and "issile" in edited  # the drones named once do not win
    for name in ("Wire One", "Стрічка", "Лента"):
        assert name in edited
    assert telegram.sent(4343) == []
    assert telegram.duplicates() == {}
