"""Builders for domain objects and database state that tests share (project-written data)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import ChangeKind, Event, EventChange, Place, Severity, Source, Weapon
from bot.pipeline import enqueue_change
from bot.store import chats, events
from bot.store.tables import ChatRow, SubscriptionRow

T0 = datetime(2026, 4, 4, 16, 0, tzinfo=UTC)

KRYVYI_RIH = Place(
    country="UA",
    region_code="UA-12",
    settlement_code="UA-12:1000001",
    name_en="Kryvyi Rih",
    name_uk="Кривий Ріг",
    name_ru="Кривой Рог",
    region_en="Dnipropetrovsk oblast",
    region_uk="Дніпропетровська область",
    region_ru="Днепропетровская область",
)
KHARKIV = Place(
    country="UA",
    region_code="UA-63",
    settlement_code="UA-63:1000002",
    name_en="Kharkiv",
    name_uk="Харків",
    name_ru="Харьков",
    region_en="Kharkiv oblast",
    region_uk="Харківська область",
    region_ru="Харьковская область",
)


def make_event(event_id: str = "ev_test1", **fields: Any) -> Event:
    values: dict[str, Any] = {
        "id": event_id,
        "version": 1,
        "places": (KRYVYI_RIH,),
        "event_time": T0,
        "first_seen": T0,
        "last_seen": datetime.now(UTC),  # fresh: the sender expires first alerts of old events
        "weapon": Weapon.BALLISTIC_MISSILE,
        "killed": 14,
        "injured": 50,
        "injured_more": True,
        "children_killed": 6,
        "objects": ("residential",),
        "severity": Severity.CRITICAL,
        "sources": (Source("Test Wire", "https://example.org/a/1"),),
        "title": "Missile strike on a residential area",
    }
    values.update(fields)
    return Event(**values)


async def seed_chat(
    session: AsyncSession, chat_id: int, codes: tuple[str, ...] = ("UA-12",), **settings: Any
) -> None:
    chat = await chats.ensure_chat(session, chat_id, T0, lang=settings.pop("lang", "en"))
    for name, value in settings.items():
        setattr(chat, name, value)
    for code in codes:
        await chats.subscribe(session, chat_id, code, T0)


async def publish(
    session: AsyncSession,
    event: Event,
    kind: ChangeKind = ChangeKind.NEW,
    previous: Event | None = None,
    what: tuple[str, ...] = (),
    now: datetime = T0,
) -> int:
    """Store a change and plan its deliveries, as the pipeline does; returns rows planned."""
    change = EventChange(kind, event, previous=previous, what_changed=what)
    await events.save_change(session, change, article_id=None, first_seen=now, now=now)
    return await enqueue_change(session, change, now, now)


async def seed_many(session: AsyncSession, chat_ids: range, code: str = "UA-12") -> None:
    """Many private chats following ``code``, inserted in bulk."""
    ids = list(chat_ids)
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        await session.execute(
            insert(ChatRow),
            [
                {
                    "id": i,
                    "type": "private",
                    "title": "",
                    "lang": "en",
                    "tz": "Europe/Kyiv",
                    "min_severity": 1,
                    "updates": "reply",
                    "active": True,
                    "created_at": T0,
                    "updated_at": T0,
                }
                for i in part
            ],
        )
        await session.execute(
            insert(SubscriptionRow), [{"chat_id": i, "code": code, "created_at": T0} for i in part]
        )
