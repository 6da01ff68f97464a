"""The ingest shell: due feeds → fetch → parse (off the loop) → identity → one transaction.

Each :meth:`Poller.tick` syncs nothing but reads the ``feeds`` table, so feeds an admin adds
or disables are picked up on the next tick; config feeds are synced into the table once
(:meth:`Poller.sync_feeds`). Every due feed is polled concurrently (a feed still in flight
from an overlapping tick is skipped). A feed's poll is a boundary (a broad ``except``): nothing
a feed does can stop the others. Health is logged only on a change: WARNING when a
feed becomes failing, INFO when it recovers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import logging
import multiprocessing
import random
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import FeedSettings, PollingSettings
from bot.errors import FeedError, FeedParseError, one_line
from bot.ingest import identity, rate, schedule
from bot.ingest.check import article_from
from bot.ingest.fetch import Fetcher, FetchResult, RetryLater, Validators
from bot.ingest.parse import ParsedFeed, parse_feed
from bot.store import feeds as feed_repo
from bot.store.feeds import FeedInfo
from bot.store.tables import FeedRow

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(hours=1)
DB_CONCURRENCY = 4  # feeds storing at once: SQLite has one writer; the PG pool has 5 + 5
TOUCH_AFTER = timedelta(days=1)  # refresh seen_at of still-listed keys at most daily
PREFILTER_MARGIN = timedelta(minutes=10)  # first poll: items older than max_age + this are cut


@dataclass(frozen=True, slots=True)
class TickStats:
    polled: int = 0
    ok: int = 0  # parsed a changed body
    not_modified: int = 0  # 304, or the same body as last time
    failed: int = 0
    deferred: int = 0  # the host asked us to wait; no request made
    new_articles: int = 0


@dataclass(frozen=True, slots=True)
class _Polled:
    kind: str  # a TickStats field name
    new_articles: int = 0


class Poller:
    def __init__(
        self,
        settings: PollingSettings,
        feeds: Sequence[FeedSettings],
        sessions: async_sessionmaker[AsyncSession],
        http: aiohttp.ClientSession,
        *,
        clock: Callable[[], datetime],
        on_new_articles: Callable[[int], Awaitable[None]] | None = None,
        parse_executor: Executor | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._feeds = tuple(feeds)
        self._sessions = sessions
        self._clock = clock
        self._on_new_articles = on_new_articles
        self._executor = parse_executor
        self._rng = rng or random.Random()
        self._fetcher = Fetcher(http, settings, clock=clock)
        self._slots = asyncio.Semaphore(settings.global_concurrency)  # whole polls in flight
        self._db_slots = asyncio.Semaphore(DB_CONCURRENCY)
        self._busy: set[int] = set()  # feeds whose poll is in flight
        self._tasks: set[asyncio.Task[None]] = set()
        self._done = TickStats()  # polls finished since the last tick returned
        self._errors: list[Exception] = []
        self._reported: set[int] = set()  # feeds whose first failure this run was logged
        self._unchanged: list[dict[str, Any]] = []  # 304s of this tick, stored in one go
        self._synced = False
        self._max_age = timedelta(minutes=settings.max_age_minutes)
        # feed id -> (last parse without skipping, item digest -> date): the next poll skips
        # items whose bytes did not change; a full parse at least daily keeps touch_seen going
        self._digests: dict[int, tuple[datetime, dict[bytes, datetime | None]]] = {}
        self._last_prune: datetime | None = None

    async def sync_feeds(self) -> None:
        """Bring the config's feeds into the ``feeds`` table (origin="config")."""
        async with self._sessions.begin() as session:
            added, disabled = await feed_repo.sync_config_feeds(session, self._feeds, self._clock())
        self._synced = True
        if added or disabled:
            enabled = sum(1 for feed in self._feeds if feed.enabled)
            log.info(
                "feeds from config: %d added, %d no longer listed and disabled "
                "(the config lists %d, %d of them enabled)",
                added, disabled, len(self._feeds), enabled,
            )  # fmt: skip

    async def tick(self, *, wait: float | None = None) -> TickStats:
        """Start a poll of every due feed; returns what finished since the last tick.

        ``wait=None`` waits for this tick's polls (tests, benchmarks). The bot passes a short
        ``wait``: a slow feed (up to ``total_timeout_seconds``) then finishes in the
        background and no other feed's poll waits for it; its outcome is in a later tick's
        stats.
        """
        if not self._synced:
            await self.sync_feeds()
        now = self._clock()
        await self._prune(now)
        async with self._sessions() as session:
            due = await feed_repo.due_feeds(session, now, self._busy)
        due = schedule.interleave_hosts(due, lambda feed: feed.url)
        started = []
        for feed in due:
            self._busy.add(feed.id)
            started.append(asyncio.create_task(self._run(feed), name=f"poll-{feed.id}"))
        self._tasks.update(started)
        if started:
            await asyncio.wait(started, timeout=wait)
        await self._flush_unchanged()
        if self._errors:
            error, self._errors = self._errors[0], []
            raise error
        done, self._done = self._done, TickStats()
        return dataclasses.replace(done, polled=len(due))

    async def close(self) -> None:
        """Cancel polls still in flight and stop the parse pool, if any (on shutdown)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=3.0)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, feed: FeedInfo) -> None:
        try:
            result = await self._poll(feed)
        except Exception as exc:  # a database error: re-raised by the tick for the job guard
            self._errors.append(exc)
            return
        finally:
            self._busy.discard(feed.id)
            task = asyncio.current_task()
            if task is not None:
                self._tasks.discard(task)
        done = self._done
        self._done = dataclasses.replace(
            done,
            new_articles=done.new_articles + result.new_articles,
            **{result.kind: getattr(done, result.kind) + 1},
        )

    async def _poll(self, feed: FeedInfo) -> _Polled:
        async with self._slots:
            return await self._poll_guarded(feed)

    async def _poll_guarded(self, feed: FeedInfo) -> _Polled:
        try:
            return await self._poll_feed(feed)
        except RetryLater as exc:
            if exc.status is None:  # another feed of this host was told to wait
                await self._defer(feed, exc.retry_after_seconds)
                return _Polled("deferred")
            await self._failed(feed, exc, exc.retry_after_seconds)
        except FeedError as exc:
            await self._failed(feed, exc, None)
        except SQLAlchemyError:
            raise  # not this feed's fault: the tick fails once, the job guard logs it once
        except Exception as exc:  # boundary: one feed's poll must never stop the others
            if feed.consecutive_failures == 0:
                log.error("feed %s: unexpected error", feed.url, exc_info=True)
            await self._failed(feed, exc, None)
        return _Polled("failed")

    async def _poll_feed(self, feed: FeedInfo) -> _Polled:
        # a feed polled before adaptive polling existed has no rate yet: read its body once
        relearn = feed.initialized and feed.rate_per_hour is None and feed.last_new_at is None
        validators = Validators() if relearn else Validators(feed.etag, feed.last_modified)
        fetched = await self._fetcher.fetch(feed.url, validators)
        now = self._clock()
        digest = hashlib.sha256(fetched.body).hexdigest()
        if fetched.status == 304 or (digest == feed.body_hash and not relearn):
            if fetched.moved_to or feed.failing or fetched.status != 304:
                async with self._db_slots, self._sessions.begin() as session:
                    await self._save(session, feed, fetched, now, {})
            else:  # the common case by far: written for all feeds at once after the tick
                plan = self._next(feed, now, 0, schedule.Result.OK, max_age=fetched.max_age_seconds)
                self._unchanged.append(
                    {"feed_id": feed.id, "ok_at": now, "next_at": plan.at,
                     "interval": plan.interval_seconds, "reason": plan.reason}
                )  # fmt: skip
            return _Polled("not_modified")
        memo = self._digests.get(feed.id)
        unchanged = memo[1] if memo is not None and now - memo[0] < TOUCH_AFTER else None
        older_than = None if feed.initialized else now - self._max_age - PREFILTER_MARGIN
        parsed = await self._parse(fetched.body, now, older_than, unchanged)
        source = feed.name or parsed.title or urlsplit(feed.url).hostname or feed.url
        keys = identity.item_keys(feed.id, parsed.items, source)
        async with self._db_slots, self._sessions.begin() as session:
            seen = await feed_repo.seen_keys(session, (k for ks in keys for k in ks))
            decided = identity.triage(
                parsed.items, keys, seen, first_poll=not feed.initialized, fetched_at=now,
                max_age=timedelta(minutes=self._settings.max_age_minutes),
            )  # fmt: skip
            await feed_repo.record_seen(session, decided.record, feed.id, now)
            stale = [key for key, at in seen.items() if at < now - TOUCH_AFTER]
            await feed_repo.touch_seen(session, stale, now)
            articles = [
                article_from(feed, source, keys[i][0], parsed, i, now) for i in decided.fresh
            ]
            inserted = await feed_repo.insert_articles(session, feed.id, articles)
            extra: dict[str, Any] = {
                "body_hash": digest,
                "initialized": True,
                "items_total": FeedRow.items_total + inserted,
            }
            if not feed.name and parsed.title:
                extra["name"] = parsed.title[:200]
            learned = dataclasses.replace(
                feed, **rate.learn(feed, parsed, rate.new_items(keys, decided), now)
            )
            extra |= {
                "rate_per_hour": learned.rate_per_hour, "last_new_at": learned.last_new_at,
                "ttl_seconds": learned.ttl_seconds,
            }  # fmt: skip
            await self._save(session, learned, fetched, now, extra)
        if parsed.digests is None:  # committed: the next poll may skip these unchanged items
            self._digests.pop(feed.id, None)
        else:
            full_at = memo[0] if unchanged is not None and memo is not None else now
            self._digests[feed.id] = (full_at, parsed.digests)
        log.debug(
            "feed %s: %d items parsed (%d old, %d unchanged left out), %d new", feed.url,
            len(parsed.items) - parsed.dropped_old, parsed.dropped_old, parsed.skipped_unchanged,
            inserted,
        )  # fmt: skip
        if inserted and self._on_new_articles is not None:
            try:
                await self._on_new_articles(inserted)
            except Exception:  # boundary: the pipeline's wake-up must not fail the feed
                log.exception("on_new_articles callback failed")
        return _Polled("ok", inserted)

    async def _flush_unchanged(self) -> None:
        rows, self._unchanged = self._unchanged, []
        if rows:
            async with self._db_slots, self._sessions.begin() as session:
                await feed_repo.mark_not_modified(session, rows)

    async def _parse(
        self,
        body: bytes,
        now: datetime,
        older_than: datetime | None = None,
        unchanged: dict[bytes, datetime | None] | None = None,
    ) -> ParsedFeed:
        job = functools.partial(parse_feed, body, now, older_than=older_than, unchanged=unchanged)
        executor = self._executor
        if executor is None:
            return await asyncio.to_thread(job)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, job)
        except BrokenProcessPool:
            # a worker died (killed, out of memory): this feed fails, the next parses get a
            # fresh pool instead of failing forever
            if self._executor is executor and isinstance(executor, ProcessPoolExecutor):
                log.warning("a feed parse worker died; starting a new parse pool")
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = make_parse_pool(int(getattr(executor, "_max_workers", 2)))
            raise FeedParseError("the parse worker died while reading this feed") from None

    async def _save(
        self,
        session: AsyncSession,
        feed: FeedInfo,
        fetched: FetchResult,
        now: datetime,
        extra: dict[str, Any],
    ) -> None:
        """A successful poll: validators, health reset, next poll time."""
        plan = self._next(feed, now, 0, schedule.Result.OK, max_age=fetched.max_age_seconds)
        values: dict[str, Any] = {
            "last_ok_at": now, "last_polled_at": now, "last_status": fetched.status,
            "last_error": None, "consecutive_failures": 0, "failing": False,
            "next_poll_at": plan.at, "poll_interval_seconds": plan.interval_seconds,
            "poll_reason": plan.reason, **extra,
        }  # fmt: skip
        if fetched.status == 200:
            values["etag"] = (fetched.etag or "")[:512] or None
            values["last_modified"] = (fetched.last_modified or "")[:128] or None
        moved = fetched.moved_to
        if moved and not await feed_repo.feed_url_taken(session, moved, feed.id):
            values["url"] = moved
            log.info("feed %s moved permanently to %s", feed.url, moved)
        await feed_repo.update_feed(session, feed.id, **values)
        if feed.failing:
            log.info("feed %s recovered (HTTP %d)", feed.url, fetched.status)

    async def _failed(self, feed: FeedInfo, exc: BaseException, retry_after: float | None) -> None:
        now = self._clock()
        failures = feed.consecutive_failures + 1
        failing = failures >= self._settings.failing_after
        reason = _one_line(exc)
        plan = self._next(feed, now, failures, schedule.Result.FAILED, retry_after)
        async with self._db_slots, self._sessions.begin() as session:
            await feed_repo.update_feed(
                session, feed.id, last_polled_at=now, last_error=reason[:500],
                last_status=getattr(exc, "status", None), consecutive_failures=failures,
                failing=failing, next_poll_at=plan.at, poll_reason=plan.reason,
                poll_interval_seconds=round((plan.at - now).total_seconds()),
            )  # fmt: skip
        if failures == 1 and feed.id not in self._reported:  # once a feed per run, at once
            self._reported.add(feed.id)
            log.warning(
                "feed %s: poll failed: %s (retrying; failing after %d in a row)",
                feed.url, reason, self._settings.failing_after,
            )  # fmt: skip
        elif failing and not feed.failing:
            log.warning("feed %s is failing (%d polls in a row): %s", feed.url, failures, reason)
        else:
            log.debug("feed %s: poll failed (%d in a row): %s", feed.url, failures, reason)

    async def _defer(self, feed: FeedInfo, wait: float) -> None:
        now = self._clock()
        plan = self._next(feed, now, feed.consecutive_failures, schedule.Result.DEFERRED, wait)
        async with self._db_slots, self._sessions.begin() as session:
            await feed_repo.update_feed(session, feed.id, next_poll_at=plan.at)

    def _next(
        self,
        feed: FeedInfo,
        now: datetime,
        failures: int,
        result: schedule.Result,
        retry_after: float | None = None,
        *,
        max_age: float | None = None,
    ) -> schedule.Plan:
        state = schedule.FeedState(
            feed.interval_seconds, failures, feed.rate_per_hour, feed.last_new_at, feed.ttl_seconds
        )
        outcome = schedule.Outcome(result, retry_after, max_age)
        return schedule.plan(state, outcome, now, self._settings, self._rng)

    async def _prune(self, now: datetime) -> None:
        if self._last_prune is not None and now - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = now
        before = now - timedelta(days=self._settings.retention_days)
        async with self._sessions.begin() as session:
            pruned = await feed_repo.prune_seen(session, before)
        if pruned:
            log.info("seen-set: pruned %d keys older than %s", pruned, before.date())


def make_parse_pool(workers: int = 2) -> ProcessPoolExecutor:
    """A process pool for feedparser (pass it as ``parse_executor``; shut it down at exit).

    Spawned, not forked: forking a process that runs an event loop and driver threads is
    unsafe, and a spawned worker imports only ``bot.ingest.parse`` and feedparser.
    """
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def _one_line(exc: BaseException) -> str:
    text = one_line(exc)
    return text if isinstance(exc, FeedError) and text else f"{type(exc).__name__}: {text}"
