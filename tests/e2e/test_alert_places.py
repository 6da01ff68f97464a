"""Who is alerted: the subscribers of the places struck and of their regions — never those of
a place only named (an official whose name is a village, an office named after a region, a
newsroom's dateline). A list of five cities hit alerts all five. Own sentences, en/uk/ru."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest

from bot.config import FeedSettings, Settings
from tests.builders import seed_chat
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram


def _today() -> str:
    now = datetime.now(UTC)
    return f"{now:%b} {now.day}"


CASES = {
    "en: an official named like a village, a regional office, a dateline": (
        "en",
        "Shelling of Nikopol kills a woman",
        "ODESA, {today} (Reuters) – Russian artillery shelled Nikopol, killing a 58-year-old "
        "woman and injuring her husband, said Serhii Lysak, head of the Dnipropetrovsk "
        "regional military administration.",
        {"UA-12": True, "UA": True, "UA-77": False, "UA-51": False},  # Serhii village; Odesa
    ),
    "uk: a mayor whose surname is a village": (
        "uk",
        "Удар по Харкову: поранено сімох людей",
        "Російська ракета влучила в житловий будинок у Харкові, поранено сімох людей, написав "
        "мер Ігор Терехов.",
        {"UA-63": True, "UA-07": False},  # Terekhy is a Volyn village
    ),
    "ru: a list of five cities hit": (
        "ru",
        "Ракеты ударили по пяти городам",
        "Ночью российские ракеты ударили по Харькову, Одессе, Днепру, Львову и Полтаве, погибли "
        "по меньшей мере девять мирных жителей.",
        {"UA-63": True, "UA-46": True, "UA-53": True, "UA-59": False, "UA-32": False},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_only_the_subscribers_of_places_struck_are_alerted(
    case: str,
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Any,
) -> None:
    lang, title, body, wanted = CASES[case]
    feeds.set_feed("/news.xml", rss([]))
    settings = settings_for(
        feeds=(FeedSettings(url=feeds.url("/news.xml"), name="Newsroom", lang=lang),)
    )
    bot = await start_bot(settings)
    chats = {code: 7000 + i for i, code in enumerate(wanted)}
    async with bot.services.sessions.begin() as session:
        for code, chat_id in chats.items():
            await seed_chat(session, chat_id, (code,))

    item = {
        "title": title,
        "link": "https://newsroom.example/strike",
        "guid": "newsroom-1",
        "description": body.format(today=_today()),
        "pubDate": format_datetime(datetime.now(UTC)),
    }
    feeds.set_feed("/news.xml", rss([item]))
    for code, alerted in wanted.items():
        if alerted:
            [alert] = await telegram.wait_sent(chats[code], timeout=30)
            assert alert["text"]
    for code, alerted in wanted.items():
        if not alerted:
            assert telegram.sent(chats[code]) == [], (case, code)
    assert telegram.duplicates() == {}
