"""/latest end to end: events stored by the pipeline's own function, shown newest first, only
in the chat's regions, in its language and time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import StrikeBot
from bot.config import Settings
from bot.domain import ChangeKind, Event, EventChange, Place, Severity, Source, Weapon
from bot.store.events import save_change
from tests.e2e.talk import ask
from tests.fakes.telegram_api import FakeTelegram

Start = Any
KRYVYI_RIH = Place(
    "UA", "UA-12", "UA-12:12060170010065850", "Kryvyi Rih", "Кривий Ріг", "Кривой Рог",
    "Dnipropetrovsk oblast", "Дніпропетровська область", "Днепропетровская область",
)  # fmt: skip
KHARKIV = Place("UA", "UA-63", None, region_en="Kharkiv oblast", region_uk="Харківська область")


def event(event_id: str, place: Place, hours_ago: float, killed: int | None = None) -> Event:
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    return Event(
        id=event_id,
        version=1,
        places=(place,),
        event_time=at,
        first_seen=at,
        last_seen=at,
        weapon=Weapon.BALLISTIC_MISSILE,
        killed=killed,
        objects=("residential",),
        severity=Severity.HIGH if killed else Severity.LOW,
        sources=(Source("Suspilne <News>", "https://suspilne.media/1"),),
        title="Strike",
    )


async def store(bot: StrikeBot, *events: Event) -> None:
    assert bot.services is not None
    async with bot.services.sessions() as session:
        for item in events:
            change = EventChange(ChangeKind.NEW, item)
            now = datetime.now(UTC)
            await save_change(session, change, article_id=None, first_seen=now, now=now)
        await session.commit()


async def test_latest_shows_the_chats_regions_newest_first(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    reply = await ask(telegram, 70, "/latest")
    assert "no subscriptions" in reply["text"]
    await ask(telegram, 70, "/subscribe Dnipropetrovsk oblast")
    reply = await ask(telegram, 70, "/latest")
    assert "No recent events" in reply["text"]

    await store(
        bot,
        event("old", KRYVYI_RIH, 5, killed=3),
        event("new", KRYVYI_RIH, 1, killed=14),
        event("elsewhere", KHARKIV, 0.5, killed=2),
    )
    reply = await ask(telegram, 70, "/latest")
    text = reply["text"]
    assert "Kharkiv" not in text
    assert text.index("14 killed") < text.index("3 killed")
    assert "Kryvyi Rih · Dnipropetrovsk oblast" in text
    assert "Suspilne &lt;News&gt;" in text


async def test_latest_speaks_the_chats_language(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    await ask(telegram, 71, "/subscribe Дніпропетровська область", language_code="uk")
    await ask(telegram, 71, "/subscribe Харківська область", language_code="uk")
    await store(bot, event("k", KHARKIV, 2, killed=1))
    reply = await ask(telegram, 71, "/latest 3", language_code="uk")
    assert "Харківська область" in reply["text"] and "1 загиблий" in reply["text"]
