"""The sender: drains the outbox into Telegram, paced, never losing or duplicating a row.

* Pace, don't burst: sends start evenly 1/rate apart (``Pacer``); at most ``MAX_IN_FLIGHT``
  requests are open at once. Private chats get ≥ 1 s between messages, groups and channels
  ``60 / group_messages_per_minute`` s.
* 429 → every send pauses for ``retry_after``; the row is retried, its attempt not counted.
  403 / "chat not found" → the chat is made inactive and its rows skipped. Migration → the
  chat moves and the row is retried. Timeouts, network errors and 5xx → retried with backoff
  up to ``max_attempts``, then ``failed`` with the reason. Other 400s → ``failed``.
* Telegram down: after ``TELEGRAM_DOWN_AFTER`` timeouts/5xx in a row (no answer in between)
  the fault is Telegram's, not the row's: attempts stop counting (an outage of any length
  loses no alert), all sends pause with a growing backoff (at most ``TELEGRAM_DOWN_MAX_PAUSE``)
  and the log gets one line when it starts and one when Telegram answers again.
* Command replies never pass through here (python-telegram-bot answers them directly), so
  they never wait behind a broadcast.
* Crash safety: a row is claimed (committed) before its request and finished after it; on
  start, rows left claimed go back to pending. Only a request in flight at a SIGKILL can be
  sent twice, so the resend window is at most ``MAX_IN_FLIGHT`` messages.
* Database outages: a row that could not be claimed stays pending; one claimed but not sent
  goes back to pending; the outcome of a request Telegram answered is written again and again
  until the database takes it (never dropped: that would leave the row "sending" and resend
  it after a restart). The log gets one line when the database fails and one when it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.config import DeliverySettings
from bot.notify import compose
from bot.notify.plan import interleave
from bot.store import chats, outbox
from bot.store.db import SessionFactory
from bot.store.outage import DATABASE_ERRORS, DatabaseOutage, one_line
from bot.store.tables import DeliveryRow

log = logging.getLogger("strikebot.sender")

MAX_IN_FLIGHT = 4
BATCH = 100
PRIVATE_SPACING = 1.05
RECORD_RETRY_MAX = 5.0  # seconds between attempts to write an outcome while the database is down
TELEGRAM_DOWN_AFTER = MAX_IN_FLIGHT + 1  # transient failures in a row that mean "Telegram is down"
TELEGRAM_DOWN_MAX_PAUSE = 15.0


class Pacer:
    """Hands out evenly spaced start times; ``pause_until`` pushes them all past a deadline."""

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self._monotonic = monotonic
        self._next = 0.0

    async def wait(self) -> None:
        now = self._monotonic()
        slot = max(self._next, now)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def pause_until(self, deadline: float) -> None:
        self._next = max(self._next, deadline)


@dataclass
class SenderStats:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    rate_limited: int = 0


class Sender:
    def __init__(
        self,
        bot: Bot,
        sessions: SessionFactory,
        settings: DeliverySettings,
        clock: Callable[[], datetime],
        *,
        on_outcome: Callable[[str, DeliveryRow, datetime], None] | None = None,
        database: DatabaseOutage | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.settings = settings
        self.clock = clock
        rate = settings.paid_messages_per_second if settings.allow_paid_broadcast else None
        self.pacer = Pacer(rate or settings.messages_per_second)
        self.stats = SenderStats()
        self._on_outcome = on_outcome
        self._chat_ready: dict[int, float] = {}
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._database = database or DatabaseOutage()
        self._transient_in_a_row = 0
        self._telegram_down_since: float | None = None

    def wake(self) -> None:
        self._wake.set()

    async def recover(self) -> int:
        async with self.sessions() as session:
            n = await outbox.recover_in_flight(session, self.clock())
            await session.commit()
        if n:
            log.warning("resuming %d deliveries that were in flight when the bot stopped", n)
        return n

    async def run(self) -> None:
        recovered = False
        while not self._stopping:
            try:
                if not recovered:
                    await self.recover()
                    recovered = True
                started = await self.drain_once()
            except Exception as exc:  # boundary: database outage etc. — keep the loop alive
                self._database.failed(exc, write=False)
                started = 0
                await asyncio.sleep(2.0)
            if started == 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=0.5)

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5.0)

    async def drain_once(self) -> int:
        """Start sending the due rows once; returns how many sends were started."""
        async with self.sessions() as session:
            rows = await outbox.next_due(session, self.clock(), BATCH)
        self._database.ok(write=False)
        rows = interleave(rows, lambda r: r.priority, lambda r: r.region)
        started = 0
        for row in rows:
            if self._stopping:
                break
            if self._chat_ready.get(row.chat_id, 0.0) > time.monotonic():
                continue
            await self._slots.acquire()
            await self.pacer.wait()
            self._chat_ready[row.chat_id] = time.monotonic() + self._spacing(row.chat_id)
            task = asyncio.create_task(self._deliver(row.id))
            self._tasks.add(task)
            task.add_done_callback(self._done)
            started += 1
        if rows and not started:
            await asyncio.sleep(0.05)
        return started

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slots.release()

    def _spacing(self, chat_id: int) -> float:
        if chat_id > 0:
            return PRIVATE_SPACING
        return 60.0 / max(1, self.settings.group_messages_per_minute)

    async def _deliver(self, delivery_id: int) -> None:
        try:
            await self._deliver_one(delivery_id)
        except Exception as exc:  # boundary: one delivery; the row is retried later
            log.error(
                "delivery %s: unexpected %s: %s", delivery_id, type(exc).__name__, one_line(exc)
            )
            when, reason = self.clock() + timedelta(seconds=30), type(exc).__name__
            await self._record(
                lambda s: outbox.retry_later(s, delivery_id, when, reason, count_attempt=True)
            )

    async def _deliver_one(self, delivery_id: int) -> None:
        try:
            async with self.sessions() as session:
                if not await outbox.claim(session, delivery_id, self.clock()):
                    return
                await session.commit()
                row = await session.get(DeliveryRow, delivery_id)
                chat = await chats.get_chat(session, row.chat_id) if row is not None else None
                if row is None:
                    return
                if chat is None or not chat.active:
                    await outbox.finish(
                        session, row.id, "skipped", self.clock(), error="chat inactive"
                    )
                    await session.commit()
                    return
                try:
                    message = await compose.compose(session, row, chat, self.clock())
                except compose.NothingToSend as why:
                    await outbox.finish(session, row.id, "skipped", self.clock(), error=str(why))
                    await session.commit()
                    return
        except DATABASE_ERRORS as exc:  # nothing was sent: the row goes (back) to pending
            self._database.failed(exc, write=True)
            await self._record(lambda s: outbox.release(s, delivery_id, self.clock()))
            return
        self._database.ok(write=True)
        try:
            message_id = await compose.send(
                self.bot, message, paid=self.settings.allow_paid_broadcast
            )
        except RetryAfter as exc:
            self._telegram_answered()
            await self._rate_limited(row, exc)
        except ChatMigrated as exc:
            self._telegram_answered()
            await self._migrated(row, exc.new_chat_id)
        except Forbidden as exc:
            self._telegram_answered()
            await self._chat_gone(row, f"forbidden: {exc.message}")
        except BadRequest as exc:
            self._telegram_answered()
            if "chat not found" in exc.message.lower():
                await self._chat_gone(row, "chat not found")
            else:
                await self._finish(row, "failed", error=f"bad request: {exc.message}")
        except NetworkError as exc:  # timeouts, connection errors, 5xx
            await self._transient(row, f"{type(exc).__name__}: {exc.message}")
        else:
            self._telegram_answered()
            await self._finish(row, "sent", message_id=message_id, silent=message.silent)

    async def _finish(
        self,
        row: DeliveryRow,
        status: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
        silent: bool = False,
    ) -> None:
        now = self.clock()
        await self._record(
            lambda s: outbox.finish(
                s, row.id, status, now, message_id=message_id, error=error, silent=silent
            )
        )
        if status == "sent":
            self.stats.sent += 1
        elif status == "failed":
            self.stats.failed += 1
            log.warning("delivery %s to chat %s failed: %s", row.id, row.chat_id, error)
        if self._on_outcome is not None:
            self._on_outcome(status, row, now)

    async def _rate_limited(self, row: DeliveryRow, exc: RetryAfter) -> None:
        with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
            warnings.simplefilter("ignore")
            wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        self.stats.rate_limited += 1
        self.pacer.pause_until(time.monotonic() + seconds)
        log.info("Telegram asked to slow down: pausing sends for %.0f s", seconds)
        when = self.clock() + timedelta(seconds=seconds)
        await self._record(
            lambda s: outbox.retry_later(s, row.id, when, "429", count_attempt=False)
        )
        if self._on_outcome is not None:
            self._on_outcome("rate_limited", row, self.clock())

    async def _transient(self, row: DeliveryRow, error: str) -> None:
        self._transient_in_a_row += 1
        down = self._transient_in_a_row >= TELEGRAM_DOWN_AFTER
        if down and self._telegram_down_since is None:
            self._telegram_down_since = time.monotonic()
            log.error(
                "Telegram unreachable (%s): alerts wait in the outbox and are retried, "
                "none is dropped",
                error,
            )
        if not down and row.attempts >= self.settings.max_attempts:  # attempts counts this one
            await self._finish(row, "failed", error=error)
            return
        self.stats.retried += 1
        if down:  # Telegram's fault, not the row's: pause everything, don't count the attempt
            rounds = self._transient_in_a_row // MAX_IN_FLIGHT
            delay = min(TELEGRAM_DOWN_MAX_PAUSE, 2.0 ** min(rounds, 8))
            self.pacer.pause_until(time.monotonic() + delay)
        else:
            delay = min(300.0, 2.0**row.attempts)
        when = self.clock() + timedelta(seconds=delay)
        await self._record(
            lambda s: outbox.retry_later(s, row.id, when, error, count_attempt=not down)
        )
        if not down:
            log.info(
                "delivery %s to chat %s: %s; retry in %.0f s", row.id, row.chat_id, error, delay
            )

    def _telegram_answered(self) -> None:
        self._transient_in_a_row = 0
        if self._telegram_down_since is not None:
            log.info(
                "Telegram reachable again after %.0f s: sending the backlog",
                time.monotonic() - self._telegram_down_since,
            )
            self._telegram_down_since = None

    async def _chat_gone(self, row: DeliveryRow, reason: str) -> None:
        await self._record(lambda s: outbox.skip_chat(s, row.chat_id, reason))
        self.stats.skipped += 1
        log.info(
            "chat %s is gone (%s): marked inactive, its deliveries skipped", row.chat_id, reason
        )
        if self._on_outcome is not None:
            self._on_outcome("skipped", row, self.clock())

    async def _migrated(self, row: DeliveryRow, new_chat_id: int) -> None:
        await self._record(lambda s: chats.migrate_chat(s, row.chat_id, new_chat_id, self.clock()))
        log.info(
            "chat %s migrated to %s: subscriptions and deliveries moved", row.chat_id, new_chat_id
        )
        self.wake()

    async def _record(self, write: Callable[[AsyncSession], Awaitable[object]]) -> None:
        """Commit one outcome, retrying through a database outage until it is stored.

        Only a stop gives up: the row then stays "sending" and is resent after the restart
        (the documented crash window)."""
        pause = 0.5
        while True:
            try:
                async with self.sessions() as session:
                    await write(session)
                    await session.commit()
            except Exception as exc:  # boundary: the database is away; the outcome is kept
                self._database.failed(exc, write=True)
                if self._stopping:
                    return
                await asyncio.sleep(pause)
                pause = min(RECORD_RETRY_MAX, pause * 2)
            else:
                self._database.ok(write=True)
                return
