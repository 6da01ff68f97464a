"""The SQL of ingest: feeds, the seen-set and new articles. Functions take an AsyncSession.

The caller owns the transaction (one per feed's poll). Inserts into ``seen_keys`` and
``articles`` use ON CONFLICT DO NOTHING, so two feeds syndicating the same story in
concurrent transactions, or a second instance on the same database, store it once.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import FeedSettings
from bot.domain import Article
from bot.store.tables import ArticleRow, FeedRow, SeenKeyRow

log = logging.getLogger(__name__)
_ITEM_ERRORS = (DBAPIError, UnicodeError, ValueError)  # what one row's bad data raises

CHUNK = 500  # keys per statement: well under SQLite's and asyncpg's parameter limits


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """What a poll needs to know about a feed (a snapshot, safe to pass between tasks)."""

    id: int
    url: str
    name: str
    lang: str
    interval_seconds: int | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    initialized: bool
    consecutive_failures: int
    failing: bool
    rate_per_hour: float | None = None
    last_new_at: datetime | None = None
    ttl_seconds: int | None = None
    last_polled_at: datetime | None = None


def _info(row: FeedRow) -> FeedInfo:
    return FeedInfo(
        id=row.id,
        url=row.url,
        name=row.name,
        lang=row.lang,
        interval_seconds=row.interval_seconds,
        etag=row.etag,
        last_modified=row.last_modified,
        body_hash=row.body_hash,
        initialized=row.initialized,
        consecutive_failures=row.consecutive_failures,
        failing=row.failing,
        rate_per_hour=row.rate_per_hour,
        last_new_at=row.last_new_at,
        ttl_seconds=row.ttl_seconds,
        last_polled_at=row.last_polled_at,
    )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT that supports ON CONFLICT for the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def sync_config_feeds(
    session: AsyncSession, feeds: Sequence[FeedSettings], now: datetime
) -> tuple[int, int]:
    """Make the config-origin rows match ``feeds``; returns (added, disabled).

    Rows are matched on the declared URL, so a feed that moved (301/308) stays one row.
    Admin-added rows are left alone; config rows no longer in the config are disabled (their
    seen-set stays, so re-adding one later does not flood).
    """
    wanted = {feed.url: feed for feed in feeds}
    rows = (await session.scalars(select(FeedRow))).all()
    by_declared = {row.declared_url or row.url: row for row in rows}
    taken = {row.url for row in rows}
    added = disabled = 0
    for url, feed in wanted.items():
        row = by_declared.get(url)
        if row is None:
            if url in taken:
                continue  # another feed was redirected to this URL: it is polled already
            session.add(
                FeedRow(
                    url=url, declared_url=url, name=feed.name, lang=feed.lang, origin="config",
                    enabled=feed.enabled, interval_seconds=feed.interval_seconds, created_at=now,
                    consecutive_failures=0, initialized=False, failing=False, items_total=0,
                )
            )  # fmt: skip
            added += 1
        elif row.origin == "config":
            row.name, row.lang = feed.name, feed.lang
            row.enabled, row.interval_seconds = feed.enabled, feed.interval_seconds
    for row in rows:
        if row.origin == "config" and (row.declared_url or row.url) not in wanted and row.enabled:
            row.enabled = False
            disabled += 1
    await session.flush()
    return added, disabled


async def add_feed(
    session: AsyncSession,
    url: str,
    now: datetime,
    *,
    name: str = "",
    lang: str = "",
    interval_seconds: int | None = None,
    origin: str = "admin",
) -> FeedInfo:
    """Add a feed (or re-enable it); the poller picks it up on its next tick."""
    row = await session.scalar(
        select(FeedRow).where(or_(FeedRow.url == url, FeedRow.declared_url == url))
    )
    if row is None:
        row = FeedRow(
            url=url, declared_url=url, name=name, lang=lang, origin=origin, enabled=True,
            interval_seconds=interval_seconds, created_at=now, consecutive_failures=0,
            initialized=False, failing=False, items_total=0,
        )  # fmt: skip
        session.add(row)
    else:
        row.enabled = True
    await session.flush()
    return _info(row)


async def disable_feed(session: AsyncSession, url: str) -> bool:
    result = await session.execute(
        update(FeedRow)
        .where(or_(FeedRow.url == url, FeedRow.declared_url == url))
        .values(enabled=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def due_feeds(
    session: AsyncSession, now: datetime, busy: Collection[int] = ()
) -> list[FeedInfo]:
    """Enabled feeds whose next poll time has come (or was never set), except ``busy`` ones."""
    query = select(FeedRow).where(
        FeedRow.enabled.is_(True),
        or_(FeedRow.next_poll_at.is_(None), FeedRow.next_poll_at <= now),
    )
    rows = (await session.scalars(query.order_by(FeedRow.id))).all()
    return [_info(row) for row in rows if row.id not in busy]


async def feed_url_taken(session: AsyncSession, url: str, feed_id: int) -> bool:
    other = await session.scalar(
        select(FeedRow.id).where(FeedRow.url == url, FeedRow.id != feed_id)
    )
    return other is not None


async def update_feed(session: AsyncSession, feed_id: int, **values: Any) -> None:
    await session.execute(update(FeedRow).where(FeedRow.id == feed_id).values(**values))


async def mark_not_modified(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Record many 304 polls in one statement: rows of {feed_id, ok_at, next_at, interval,
    reason}."""
    table = cast(Table, FeedRow.__table__)
    stmt = (
        update(table)
        .where(table.c.id == bindparam("feed_id"))
        .values(
            last_ok_at=bindparam("ok_at"), last_polled_at=bindparam("ok_at"), last_status=304,
            next_poll_at=bindparam("next_at"), last_error=None, consecutive_failures=0,
            failing=False, poll_interval_seconds=bindparam("interval"),
            poll_reason=bindparam("reason"),
        )
    )  # fmt: skip
    await session.execute(stmt, list(rows))


async def seen_keys(session: AsyncSession, keys: Iterable[str]) -> dict[str, datetime]:
    """The keys among ``keys`` that are in the seen-set, with when they were last seen."""
    found: dict[str, datetime] = {}
    for chunk in _chunks(sorted(set(keys)), CHUNK):
        rows = await session.execute(
            select(SeenKeyRow.key, SeenKeyRow.seen_at).where(SeenKeyRow.key.in_(chunk))
        )
        found.update({key: seen_at for key, seen_at in rows})
    return found


async def record_seen(
    session: AsyncSession, keys: Iterable[str], feed_id: int, now: datetime
) -> None:
    rows = [{"key": key, "feed_id": feed_id, "seen_at": now} for key in sorted(set(keys))]
    if rows:  # executemany: one compiled statement, batched by the driver
        await session.execute(_insert(session, SeenKeyRow.__table__).on_conflict_do_nothing(), rows)


async def touch_seen(session: AsyncSession, keys: Iterable[str], now: datetime) -> None:
    """Refresh ``seen_at`` of keys still listed by a feed, so pruning never forgets them."""
    for chunk in _chunks(sorted(set(keys)), CHUNK):
        await session.execute(
            update(SeenKeyRow).where(SeenKeyRow.key.in_(chunk)).values(seen_at=now)
        )


async def prune_seen(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(SeenKeyRow).where(SeenKeyRow.seen_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


async def insert_articles(session: AsyncSession, feed_id: int, articles: Sequence[Article]) -> int:
    """Store new articles (processed_at NULL); returns how many were really inserted."""
    rows = [
        {
            "key": a.key, "feed_id": feed_id, "source": a.source[:200], "url": a.url[:2048],
            "title": a.title, "text": a.text, "lang": a.lang[:8], "published": a.published,
            "fetched_at": a.fetched_at,
        }
        for a in articles
    ]  # fmt: skip
    if not rows:
        return 0
    try:
        async with session.begin_nested():
            return await _insert_articles(session, rows)
    except _ITEM_ERRORS as exc:
        if _is_outage(exc):
            raise
    inserted = 0  # one item the database refuses must not cost the others: one at a time
    for row in rows:
        try:
            async with session.begin_nested():
                inserted += await _insert_articles(session, [row])
        except _ITEM_ERRORS as exc:
            if _is_outage(exc):
                raise
            log.warning(
                "feed #%d: article %s not stored: %s", feed_id, str(row["url"])[:300], _why(exc)
            )
    return inserted


async def _insert_articles(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    stmt = _insert(session, ArticleRow.__table__).on_conflict_do_nothing().returning(ArticleRow.id)
    return len((await session.execute(stmt, rows)).all())


def _is_outage(exc: BaseException) -> bool:
    """The database is out (not this row's fault): never skip rows for that."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


def _why(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200] if text else ''}"


async def list_feeds(session: AsyncSession) -> list[FeedRow]:
    stmt = select(FeedRow).order_by(FeedRow.enabled.desc(), FeedRow.id)
    return list((await session.execute(stmt)).scalars())


async def feed_by_id(session: AsyncSession, feed_id: int) -> FeedRow | None:
    return await session.get(FeedRow, feed_id)
