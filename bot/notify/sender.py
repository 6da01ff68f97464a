"""The sender: drains the outbox into Telegram, paced, never losing an alert.

* Batches: rows are claimed a batch at a time (one statement), composed with a handful of
  queries and texts rendered once per (event, version, language, zone); outcomes are written
  by one writer, many rows per commit (``outcomes.py``). The sender's bot talks HTTP through
  aiohttp (``aiohttp_request.py``), half the CPU per request of PTB's default httpx.
* Pace, don't burst: every API call takes a slot of the global pace (``pacing.Pace``; an
  update's edit and its reply are two); each chat's own limit is known in advance
  (``pacing.ChatLimits``). Requests in flight are sized from rate × measured round trip, so a
  slow link does not cap the pace (bounded by ``MAX_IN_FLIGHT``).
* A 429 always makes that chat wait ``retry_after``; the others go on. A 429 that signals the
  global limit (``pacing.FloodSignal``: the sender was at Telegram's overall pace) also cuts
  the pace, which probes back up later; in a storm (many chats refused at once) every call
  waits ``retry_after``. The row is retried, its attempt not counted. An update whose edit
  went through before a 429 on its reply is retried as the reply only.
* 403 blocked/kicked/deactivated, "chat not found" → the chat is made inactive and its rows
  skipped; 403/400 "not enough rights" (a group that muted the bot) → that row fails, the
  chat stays. Migration → the chat moves and the row is retried. Other 400s → ``failed``.
* Timeouts, network errors and 5xx are Telegram's fault, not the message's: they never use
  up the row's attempts (only errors the message caused do, up to ``max_attempts``). The row
  is retried with a growing backoff; after ``TELEGRAM_DOWN_AFTER`` in a row with no success in
  between, all sends pause (at most ``TELEGRAM_DOWN_MAX_PAUSE``), with one log line when it
  starts and one when Telegram answers again.
* Expiry: a first alert whose event is older than ``max_alert_age_minutes`` is ``expired``,
  not pushed (compose.py); updates to an alert that was sent still go out.
* Command replies never pass through here (python-telegram-bot answers them directly).

Delivery guarantee — at least once, exactly once in the normal case:
* A row is claimed (committed) before its request and its outcome written after the answer.
  If the process is killed, rows whose request was in flight or whose outcome was not yet
  committed go back to pending on start and are sent again: at most ``MAX_IN_FLIGHT``
  requests plus the outcomes of one commit (``WRITE_LINGER`` of sends at the pace).
* A message Telegram accepted but whose answer was lost (a timeout, a 502 from a proxy after
  Telegram delivered) looks like a failure and is sent again. The Bot API offers no way to
  ask "did this arrive?", so for that case the honest guarantee is at-least-once.
* Database outages: a row that could not be claimed stays pending; outcomes Telegram answered
  are kept in memory and written again and again until the database takes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.config import DeliverySettings
from bot.notify import compose
from bot.notify.outcomes import (
    BATCH,
    WRITE_LINGER,
    Outcomes,
    SenderStats,
    chat_error,
    no_rights,
)
from bot.notify.pacing import (
    TELEGRAM_GLOBAL_RATE,
    TELEGRAM_PAID_RATE,
    ChatLimits,
    FloodSignal,
    Pace,
)
from bot.notify.plan import interleave
from bot.notify.telegram import SENDER_CONNECTIONS
from bot.store import outbox
from bot.store.db import SessionFactory
from bot.store.outage import DATABASE_ERRORS, DatabaseOutage, one_line
from bot.store.outbox import Outcome
from bot.store.tables import DeliveryRow

log = logging.getLogger("strikebot.sender")

MIN_IN_FLIGHT = 4
MAX_IN_FLIGHT = SENDER_CONNECTIONS  # never more requests than the bot has connections
__all__ = ["MAX_IN_FLIGHT", "WRITE_LINGER", "Sender", "SenderStats"]


class Sender(Outcomes):
    def __init__(
        self,
        bot: Bot,
        sessions: SessionFactory,
        settings: DeliverySettings,
        clock: Callable[[], datetime],
        *,
        on_outcome: Callable[[str, DeliveryRow, datetime], None] | None = None,
        database: DatabaseOutage | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.settings = settings
        self.clock = clock
        self.monotonic = monotonic
        self._sleep = sleep
        paid = settings.allow_paid_broadcast
        rate = settings.paid_messages_per_second if paid else settings.messages_per_second
        limit = TELEGRAM_PAID_RATE if paid else TELEGRAM_GLOBAL_RATE
        self.pace = Pace(rate, monotonic(), limit)
        self.chat_limits = ChatLimits(settings.group_messages_per_minute)
        self.flood = FloodSignal(limit)
        self.cache = compose.RenderCache()
        self.stats = SenderStats()
        self._on_outcome = on_outcome
        self._database = database or DatabaseOutage()
        self._queue: asyncio.Queue[compose.Ready] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight = 0
        self._slot_free = asyncio.Event()
        self._rtt = 0.05  # seconds, moving average of request round trips
        self._outcomes: list[Outcome] = []
        self._outcome_ready = asyncio.Event()
        self._wake = asyncio.Event()
        self._stopping = False
        self._edited: set[int] = set()  # update rows whose edit went through
        self._transient: dict[int, int] = {}  # row id → transient failures so far
        self._transient_in_a_row = 0
        self._telegram_down_since: float | None = None
        self._gone: set[int] = set()
        self._finished: asyncio.Event | None = None
        self._holding: compose.Ready | None = None  # taken from the queue, not yet sent

    # ----- lifecycle -----
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
        self._finished = finished = asyncio.Event()
        try:
            await self._run()
        finally:
            finished.set()

    async def _run(self) -> None:
        writer = asyncio.create_task(self._writer(), name="sender-writer")
        dispatcher = asyncio.create_task(self._dispatcher(), name="sender-dispatch")
        try:
            await self._produce_forever()
        finally:
            dispatcher.cancel()
            await asyncio.gather(dispatcher, return_exceptions=True)
            if self._tasks:
                await asyncio.wait(self._tasks, timeout=5.0)
            self._release_queued()
            self._outcome_ready.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flush_until_stored(), timeout=5.0)
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)

    async def stop(self) -> None:
        """Finish the requests in flight, put composed rows back, write every outcome."""
        self._stopping = True
        self._wake.set()
        self._slot_free.set()
        if self._finished is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), timeout=8.0)

    async def _produce_forever(self) -> None:
        recovered = False
        while not self._stopping:
            try:
                if not recovered:
                    await self.recover()
                    recovered = True
                started = await self.fill()
            except Exception as exc:  # boundary: database outage etc. — keep the loop alive
                self._database.failed(exc, write=False)
                started = 0
                await asyncio.sleep(2.0)
            if started == 0 or self._queue.qsize() >= self._buffer():
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    timeout = 0.5 if started == 0 else self._buffer() / 2 * self.pace.interval
                    await asyncio.wait_for(self._wake.wait(), timeout=timeout)

    def _buffer(self) -> int:
        """Composed rows kept ready: about one second of sends."""
        return max(20, min(1000, math.ceil(self.pace.rate)))

    # ----- claim and compose -----
    async def fill(self) -> int:
        """Claim and compose due rows until about a second of sends is ready; returns how
        many were queued."""
        if self._queue.qsize() >= self._buffer():
            return 0
        now = self.clock()
        mono = self.monotonic()
        async with self.sessions() as session:
            rows = await outbox.next_due(session, now, min(BATCH, 2 * self._buffer()))
            self._database.ok(write=False)
            ready: list[tuple[DeliveryRow, float]] = []
            postponed: list[tuple[DeliveryRow, float]] = []
            for row in interleave(rows, lambda r: r.priority, lambda r: r.region):
                wait = self.chat_limits.wait(row.chat_id, 1, mono)
                (postponed if wait > 0 else ready).append((row, wait))
            if postponed:
                await outbox.postpone(
                    session, [(r.id, now + timedelta(seconds=w)) for r, w in postponed]
                )
            claimed = set(await outbox.claim(session, [r.id for r, _ in ready], now))
            await session.commit()
            rows = [r for r, _ in ready if r.id in claimed]
            try:
                composed = await compose.compose_batch(
                    session, rows, now, self.cache, self._max_age()
                )
            except DATABASE_ERRORS as exc:  # nothing was sent: the rows go back to pending
                self._database.failed(exc, write=False)
                for row in rows:
                    self._retry(row, 0.0, "database unavailable", count=False)
                return 0
        for item in composed:
            if isinstance(item, compose.Ready):
                if item.row.id in self._edited:
                    item = compose.Ready(item.row, item.out.without_edit())
                self._queue.put_nowait(item)
            elif isinstance(item, compose.Wait):
                self._retry(item.row, item.seconds, item.reason, count=False)
            else:
                self._final(item.row, item.status, error=item.reason)
        return len(rows)

    def _max_age(self) -> timedelta | None:
        minutes = self.settings.max_alert_age_minutes
        return timedelta(minutes=minutes) if minutes > 0 else None

    def _release_queued(self) -> None:
        if self._holding is not None:  # the dispatcher was waiting to send it
            self._retry(self._holding.row, 0.0, "sender stopped", count=False)
            self._holding = None
        while not self._queue.empty():
            item = self._queue.get_nowait()
            self._retry(item.row, 0.0, "sender stopped", count=False)

    # ----- dispatch -----
    def max_in_flight(self) -> int:
        """Enough requests open to keep the pace over the measured round trip, bounded."""
        wanted = math.ceil(self.pace.rate * self._rtt * 1.5) + 2
        return max(MIN_IN_FLIGHT, min(MAX_IN_FLIGHT, wanted))

    async def _dispatcher(self) -> None:
        while True:
            item = await self._queue.get()
            if self._queue.qsize() < self._buffer() // 2:
                self._wake.set()  # ask for the next batch before this one runs out
            self._holding = item
            try:
                await self._dispatch(item.row, item.out)
            except Exception as exc:  # boundary: one row; it goes back to the outbox
                log.error("dispatch of delivery %s: %s", item.row.id, one_line(exc))
                self._retry(item.row, 5.0, type(exc).__name__, count=False)
            self._holding = None

    async def _dispatch(self, row: DeliveryRow, out: compose.Outgoing) -> None:
        if row.chat_id in self._gone:
            self._final(row, "skipped", error="chat inactive")
            return
        calls = out.calls
        wait = self.chat_limits.wait(row.chat_id, calls, self.monotonic())
        if wait > 0:
            self._retry(row, wait, "chat limit", count=False)
            return
        while self._in_flight >= self.max_in_flight():
            self._slot_free.clear()
            await self._slot_free.wait()
        delay = self.pace.take(self.monotonic())
        if delay > 0:
            await self._sleep(delay)
        self.chat_limits.charge(row.chat_id, calls, self.monotonic())
        self._in_flight += 1
        self._holding = None
        task = asyncio.create_task(self._deliver(row, out))
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._in_flight -= 1
        self._slot_free.set()

    async def _call(self, call: Callable[[], Awaitable[int | None]]) -> int | None:
        started = self.monotonic()
        result = await call()
        self._rtt = 0.9 * self._rtt + 0.1 * max(0.0, self.monotonic() - started)
        return result

    # ----- one delivery -----
    async def _deliver(self, row: DeliveryRow, out: compose.Outgoing) -> None:
        try:
            await self._deliver_one(row, out)
        except Exception as exc:  # boundary: one delivery; the row is retried later
            log.error("delivery %s: unexpected %s: %s", row.id, type(exc).__name__, one_line(exc))
            self._retry(row, 30.0, type(exc).__name__, count=True)

    async def _deliver_one(self, row: DeliveryRow, out: compose.Outgoing) -> None:
        try:
            text = out.text
            if out.edit_message_id is not None and out.edit_text is not None:
                try:
                    await self._call(lambda: self._edit(out))
                except BadRequest as exc:
                    if "not modified" not in exc.message.lower() and not chat_error(exc):
                        text = text if text is not None else out.fallback_text
                    elif chat_error(exc):
                        raise
                self._edited.add(row.id)
                if text is None:
                    self._sent(row, out.edit_message_id, out)
                    return
                delay = self.pace.take(self.monotonic())  # the reply is a call of its own
                if delay > 0:
                    await self._sleep(delay)
            assert text is not None
            paid = self.settings.allow_paid_broadcast
            message_id = await self._call(lambda: compose.send_text(self.bot, out, text, paid=paid))
        except RetryAfter as exc:
            self._rate_limited(row, exc)
        except ChatMigrated as exc:
            self._answered()
            await self._migrated(row, exc.new_chat_id)
        except Forbidden as exc:
            self._answered()
            if no_rights(exc.message):
                self._row_fault(row, f"forbidden: {exc.message}", final=True)
            else:
                await self._chat_gone(row, f"forbidden: {exc.message}")
        except BadRequest as exc:
            self._answered()
            if "chat not found" in exc.message.lower():
                await self._chat_gone(row, "chat not found")
            else:
                self._row_fault(row, f"bad request: {exc.message}", final=True)
        except NetworkError as exc:  # timeouts, connection errors, 5xx
            self._transient_failure(row, f"{type(exc).__name__}: {exc.message}")
        else:
            assert message_id is not None
            self._succeeded()
            self._sent(row, message_id, out)

    async def _edit(self, out: compose.Outgoing) -> None:
        await compose.edit(self.bot, out)
