"""Retention benchmark: does the SQLite database stay bounded under months of traffic?

Simulates a busy deployment day by day with the real store functions, into two SQLite files
fed the very same stream:

* 300 feeds x ~50 new items a day of realistic size (title, 0.5-2 KB summary, link), their
  identity keys in the seen-set (``identity.item_keys`` + ``feed_repo.record_seen``), stored
  with ``feed_repo.insert_articles`` and then marked classified with a report, as the
  pipeline does;
* ~200 events a day (``events.save_change``), each planned for its region's subscribers by
  ``pipeline.enqueue_change`` into the outbox; 5,000 chats, one oblast each; every delivery
  then marked sent (one bulk UPDATE standing in for the sender);
* one file gets ``bot.store.retention.prune`` and the poller's seen-set prune once a day with the
  default retention (articles 30 days, deliveries 30, events 90, seen keys 30); the other is
  never pruned.

Prints both sizes after every week and at the end (file + WAL after a checkpoint, and the
pages in use). With the defaults the pruned file levels off once the 30-day windows fill.

    python benchmarks/bench_retention.py               # 45 days (~19 min on 2 cores)
    python benchmarks/bench_retention.py --days 30     # one month
    python benchmarks/bench_retention.py --scale 0.2   # a fifth of the traffic, quicker
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import FeedSettings, RetentionSettings
from bot.domain import Article, ChangeKind, Event, EventChange, Place, Severity, Source, Weapon
from bot.ingest.identity import item_keys
from bot.ingest.parse import ParsedItem
from bot.pipeline import enqueue_change
from bot.store import chats, events
from bot.store import feeds as feed_repo
from bot.store.db import SessionFactory, create_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.retention import prune
from bot.store.tables import ArticleRow, ChatRow, DeliveryRow, FeedRow, SubscriptionRow

START = datetime(2026, 1, 1, tzinfo=UTC)
REGIONS = [f"UA-{n:02d}" for n in (5, 7, 9, 12, 14, 18, 21, 23, 26, 30, 32, 35, 46, 48, 51,
                                   53, 56, 59, 61, 63, 65, 68, 71, 74, 77)]  # fmt: skip
PROSE = (
    "the regional administration said emergency services were working at the site of the "
    "attack where residential buildings shops and a school were damaged overnight while "
    "officials reported power outages in several districts and urged residents to stay in "
    "shelters until the all clear as repair crews assessed the damage to the grid"
)
WORDS = PROSE.split()
SEEN_RETENTION_DAYS = 30  # [polling] retention_days, pruned by the poller


@dataclass(frozen=True)
class Day:
    """One day of traffic, generated once and written to every database."""

    items: dict[int, list[ParsedItem]]
    events: list[Event]


@dataclass
class Traffic:
    feeds: int = 300
    items_per_feed: int = 50
    events: int = 200
    chats: int = 5000


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraphs(rng: random.Random, n: int = 3000) -> list[str]:
    """Summaries of 0.5-2 KB (drawn from a pool: generating 15,000 a day is the slow part)."""
    return [
        " ".join(sentence(rng, rng.randint(12, 25)) for _ in range(rng.randint(4, 14)))
        for _ in range(n)
    ]


def place(code: str) -> Place:
    return Place(
        country="UA", region_code=code, settlement_code=f"{code}:{hash(code) % 10**6}",
        name_en=f"Town {code}", name_uk=f"Місто {code}", name_ru=f"Город {code}",
        region_en=f"Oblast {code}", region_uk=f"Область {code}", region_ru=f"Область {code}",
    )  # fmt: skip


async def seed(sessions: SessionFactory, traffic: Traffic, rng: random.Random) -> list[int]:
    async with sessions.begin() as session:
        configured = [
            FeedSettings(url=f"https://outlet{i}.example/rss", name=f"Outlet {i}", lang="uk")
            for i in range(traffic.feeds)
        ]
        await feed_repo.sync_config_feeds(session, configured, START)
        rows = [
            {"id": 1_000_000 + i, "type": "private", "title": "", "lang": "uk",
             "tz": "Europe/Kyiv", "min_severity": 1, "updates": "edit", "active": True,
             "created_at": START, "updated_at": START}
            for i in range(traffic.chats)
        ]  # fmt: skip
        await session.execute(ChatRow.__table__.insert(), rows)
        subs = [
            {"chat_id": row["id"], "code": rng.choice(REGIONS), "created_at": START} for row in rows
        ]
        await session.execute(SubscriptionRow.__table__.insert(), subs)
        ids = (await session.execute(FeedRow.__table__.select())).all()
        assert await chats.count_chats(session) == traffic.chats
    return [int(row.id) for row in ids]


def make_day(
    feed_ids: list[int], day: int, traffic: Traffic, rng: random.Random, pool: list[str]
) -> Day:
    midnight = START + timedelta(days=day)
    items: dict[int, list[ParsedItem]] = {}
    for feed_id in feed_ids:
        count = max(0, int(rng.gauss(traffic.items_per_feed, traffic.items_per_feed / 5)))
        items[feed_id] = [
            ParsedItem(
                guid=f"urn:outlet{feed_id}:{day}:{n}",
                link=f"https://outlet{feed_id}.example/news/{day}/{n}-"
                + "-".join(rng.choice(WORDS) for _ in range(6)),
                title=sentence(rng, rng.randint(8, 16)),
                text=rng.choice(pool),
                published=midnight + timedelta(seconds=rng.randrange(86_400)),
                dated=True,
            )
            for n in range(count)
        ]
    events_: list[Event] = []
    for n in range(traffic.events):
        at = midnight + timedelta(seconds=rng.randrange(86_400))
        events_.append(
            Event(
                id=f"ev_{day:03d}_{n:04d}", version=1, places=(place(rng.choice(REGIONS)),),
                event_time=at, first_seen=at, last_seen=at, weapon=Weapon.DRONE,
                killed=rng.choice([None, 1, 2, 5]), injured=rng.randint(0, 30),
                objects=("residential",), severity=Severity.HIGH,
                sources=(Source(f"Outlet {n}", f"https://outlet{n}.example/news/{day}/{n}"),),
                title=sentence(rng, 12), reasons=("weapon:drone", "casualties", "place"),
            )
        )  # fmt: skip
    return Day(items, events_)


async def write_day(sessions: SessionFactory, day: int, data: Day) -> None:
    midnight = START + timedelta(days=day)
    async with sessions.begin() as session:
        for feed_id, items in data.items.items():
            keys = item_keys(feed_id, items, f"Outlet {feed_id}")
            await feed_repo.record_seen(session, (k for ks in keys for k in ks), feed_id, midnight)
            articles = [
                Article(
                    key=keys[i][0],
                    feed_url=f"https://outlet{feed_id}.example/rss",
                    source=f"Outlet {feed_id}",
                    url=item.link,
                    title=item.title,
                    text=item.text,
                    lang="uk",
                    published=item.published,
                    fetched_at=item.published,
                )
                for i, item in enumerate(items)
            ]
            await feed_repo.insert_articles(session, feed_id, articles)
        # the pipeline's verdict on each article
        report = {
            "is_civilian_strike": False, "score": 0.12, "places": [], "killed": None,
            "injured": None, "weapon": "unknown", "objects": [], "reasons": [],
        }  # fmt: skip
        await session.execute(
            update(ArticleRow)
            .where(ArticleRow.processed_at.is_(None))
            .values(
                processed_at=midnight + timedelta(hours=23),
                is_strike=False,
                score=0.12,
                reasons=["place:region", "no-casualty-cue"],
                report=report,
            )
        )
        for event in data.events:
            change = EventChange(ChangeKind.NEW, event)
            at = event.first_seen
            await events.save_change(session, change, article_id=None, first_seen=at, now=at)
            await enqueue_change(session, change, at, at)
        # the sender: everything planned today went out
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.status == "pending")
            .values(status="sent", sent_at=midnight + timedelta(hours=23), message_id=1, attempts=1)
        )


async def size_mb(engine: AsyncEngine, path: Path) -> tuple[float, float]:
    """(file + WAL after a checkpoint, pages in use) in MB."""
    async with engine.connect() as conn:
        await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        page = (await conn.execute(text("PRAGMA page_size"))).scalar_one()
        pages = (await conn.execute(text("PRAGMA page_count"))).scalar_one()
        free = (await conn.execute(text("PRAGMA freelist_count"))).scalar_one()
    return file_bytes(path) / 1e6, (pages - free) * page / 1e6


def file_bytes(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


async def main(days: int, traffic: Traffic, seed_: int) -> None:
    retention = RetentionSettings()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"pruned": Path(tmp) / "pruned.sqlite3", "unpruned": Path(tmp) / "unpruned.sqlite3"}
        engines = {name: create_engine(f"sqlite+aiosqlite:///{p}") for name, p in paths.items()}
        sessions = {name: session_factory(e) for name, e in engines.items()}
        feed_ids: dict[str, list[int]] = {}
        for name, engine in engines.items():
            await upgrade(engine)
            feed_ids[name] = await seed(sessions[name], traffic, random.Random(seed_))
        print(
            f"{traffic.feeds} feeds x ~{traffic.items_per_feed} items/day, {traffic.events} "
            f"events/day, {traffic.chats} chats; retention: articles {retention.articles_days} "
            f"d, deliveries {retention.deliveries_days} d, events {retention.events_days} d, "
            f"seen keys {SEEN_RETENTION_DAYS} d"
        )
        print(f"{'day':>4}  {'pruned MB':>10} {'(in use)':>9}  {'unpruned MB':>11}  {'s/day':>6}")
        started = time.monotonic()
        rng = random.Random(seed_)
        pool = paragraphs(rng)
        assert feed_ids["pruned"] == feed_ids["unpruned"]
        for day in range(days):
            t0 = time.monotonic()
            data = make_day(feed_ids["pruned"], day, traffic, rng, pool)
            for name in engines:
                await write_day(sessions[name], day, data)
            now = START + timedelta(days=day + 1)
            await prune(sessions["pruned"], retention, now)
            async with sessions["pruned"].begin() as session:
                await feed_repo.prune_seen(session, now - timedelta(days=SEEN_RETENTION_DAYS))
            if (day + 1) % 7 == 0 or day + 1 == days:
                pruned, in_use = await size_mb(engines["pruned"], paths["pruned"])
                unpruned, _ = await size_mb(engines["unpruned"], paths["unpruned"])
                print(
                    f"{day + 1:>4}  {pruned:>10.1f} {in_use:>9.1f}  {unpruned:>11.1f}  "
                    f"{time.monotonic() - t0:>6.1f}"
                )
        pruned, in_use = await size_mb(engines["pruned"], paths["pruned"])
        unpruned, _ = await size_mb(engines["unpruned"], paths["unpruned"])
        print(
            f"after {days} days: {pruned:.0f} MB with pruning ({in_use:.0f} MB in use), "
            f"{unpruned:.0f} MB without; {time.monotonic() - started:.0f} s"
        )
        for engine in engines.values():
            await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the traffic")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    base = Traffic()
    traffic = Traffic(
        feeds=max(1, int(base.feeds * args.scale)),
        items_per_feed=base.items_per_feed,
        events=max(1, int(base.events * args.scale)),
        chats=max(1, int(base.chats * args.scale)),
    )
    asyncio.run(main(args.days, traffic, args.seed))
