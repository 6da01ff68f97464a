"""The sender: drains the outbox into Telegram, paced, never losing an alert.

* Batches: rows are claimed a batch at a time (one statement), composed with a handful of
  queries and texts rendered once per (event, version, language, zone); outcomes are written
  by one writer, many rows per commit (group commit: whatever arrived during the last one).
* Pace, don't burst: every API call takes a slot of the global pace (``pacing.Pace``; an
  update's edit and its reply are two); each chat's own limit is known in advance
  (``pacing.ChatLimits``). Requests in flight are sized from rate × measured round trip, so a
  slow link does not cap the pace (bounded by ``MAX_IN_FLIGHT``).
* 429 for one chat → that chat waits ``retry_after``, the others go on at the pace; 429 that
  signals the global limit (``pacing.FloodSignal``) → every call waits ``retry_after`` and the
  pace is cut, then probes back up. The row is retried; its attempt not counted. An update
  whose edit went through before a 429 on its reply is retried as the reply only.
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
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.config import DeliverySettings
from bot.db_health import DATABASE_ERRORS, DatabaseOutage, one_line
from bot.notify import compose
from bot.notify.pacing import (
    TELEGRAM_GLOBAL_RATE,
    TELEGRAM_PAID_RATE,
    ChatLimits,
    FloodSignal,
    Pace,
)
from bot.notify.plan import interleave
from bot.notify.telegram_bot import SENDER_CONNECTIONS
from bot.store import chats, outbox
from bot.store.db import SessionFactory
from bot.store.outbox import Outcome
from bot.store.tables import DeliveryRow

log = logging.getLogger("strikebot.sender")

MIN_IN_FLIGHT = 4
MAX_IN_FLIGHT = SENDER_CONNECTIONS  # never more requests than the bot has connections
BATCH = 200
WRITE_LINGER = 0.02  # seconds a busy sender waits to write more outcomes in one commit
RECORD_RETRY_MAX = 5.0  # seconds between attempts to write outcomes while the database is down
TELEGRAM_DOWN_AFTER = 8  # transient failures in a row (no success between) = "Telegram is down"
TELEGRAM_DOWN_MAX_PAUSE = 15.0
TRANSIENT_MAX_DELAY = 30.0
NOT_ENOUGH_RIGHTS = ("not enough rights", "have no rights", "chat_write_forbidden")


@dataclass
class SenderStats:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    expired: int = 0
    retried: int = 0
    rate_limited: int = 0
    rate_limited_chat: int = 0
    rate_limited_global: int = 0


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
            row, out = item.row, item.out
            if row.chat_id in self._gone:
                self._final(row, "skipped", error="chat inactive")
                continue
            calls = out.calls
            wait = self.chat_limits.wait(row.chat_id, calls, self.monotonic())
            if wait > 0:
                self._retry(row, wait, "chat limit", count=False)
                continue
            while self._in_flight >= self.max_in_flight():
                self._slot_free.clear()
                await self._slot_free.wait()
            delay = self.pace.take(self.monotonic())
            if delay > 0:
                await self._sleep(delay)
            self.chat_limits.charge(row.chat_id, calls, self.monotonic())
            self._in_flight += 1
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
                    if "not modified" not in exc.message.lower() and not _chat_error(exc):
                        text = text if text is not None else out.fallback_text
                    elif _chat_error(exc):
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
            if _no_rights(exc.message):
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

    # ----- outcomes -----
    def _sent(self, row: DeliveryRow, message_id: int, out: compose.Outgoing) -> None:
        self._succeeded()
        self._edited.discard(row.id)
        version = max(row.version, out.version or 0)
        self._final(row, "sent", message_id=message_id, silent=out.silent, version=version)

    def _final(
        self,
        row: DeliveryRow,
        status: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
        silent: bool = False,
        attempts: int | None = None,
        version: int | None = None,
    ) -> None:
        now = self.clock()
        self._transient.pop(row.id, None)
        self._outcome(
            Outcome(
                row.id,
                status,
                row.attempts if attempts is None else attempts,
                row.version if version is None else version,
                message_id=message_id,
                error=error,
                sent_at=now if status == "sent" else None,
                silent=silent,
            )
        )
        if status == "sent":
            self.stats.sent += 1
        elif status == "failed":
            self.stats.failed += 1
            log.warning("delivery %s to chat %s failed: %s", row.id, row.chat_id, error)
        elif status == "skipped":
            self.stats.skipped += 1
        elif status == "expired":
            self.stats.expired += 1
        if self._on_outcome is not None:
            self._on_outcome(status, row, now)

    def _retry(self, row: DeliveryRow, seconds: float, error: str, *, count: bool) -> None:
        attempts = row.attempts + (1 if count else 0)
        when = self.clock() + timedelta(seconds=seconds)
        outcome = Outcome(
            row.id, "pending", attempts, row.version, next_attempt_at=when, error=error
        )
        self._outcome(outcome)

    def _outcome(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        self._outcome_ready.set()

    def _row_fault(self, row: DeliveryRow, error: str, *, final: bool) -> None:
        """An error the message itself caused: it uses up an attempt."""
        attempts = row.attempts + 1
        if final or attempts >= self.settings.max_attempts:
            self._final(row, "failed", error=error, attempts=attempts)
        else:
            self._retry(row, min(300.0, 2.0**attempts), error, count=True)

    def _rate_limited(self, row: DeliveryRow, exc: RetryAfter) -> None:
        with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
            warnings.simplefilter("ignore")
            wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        now = self.monotonic()
        kind = self.flood.refused(row.chat_id, now, self.pace.recent(now))
        self.stats.rate_limited += 1
        self.chat_limits.defer(row.chat_id, now + seconds)  # this request waits, always
        if kind == "chat":
            self.stats.rate_limited_chat += 1
            log.info("chat %s is flood-limited: its sends wait %.0f s", row.chat_id, seconds)
        else:
            self.stats.rate_limited_global += 1
            self.pace.global_limit(now, seconds, storm=kind == "storm")
            log.info(
                "Telegram's overall limit (%s): pace now %.1f/s%s",
                "many chats refused" if kind == "storm" else "at the configured pace",
                self.pace.rate,
                f", every send waits {seconds:.0f} s" if kind == "storm" else "",
            )
        self._retry(row, seconds, "429", count=False)
        if self._on_outcome is not None:
            label = "chat" if kind == "chat" else "global"
            self._on_outcome(f"rate_limited_{label}", row, self.clock())

    def _transient_failure(self, row: DeliveryRow, error: str) -> None:
        """Telegram's fault: retried with backoff, the row's attempts untouched."""
        self._transient_in_a_row += 1
        n = self._transient[row.id] = self._transient.get(row.id, 0) + 1
        self.stats.retried += 1
        delay = min(TRANSIENT_MAX_DELAY, 0.5 * 2.0 ** min(n - 1, 8))
        if self._transient_in_a_row >= TELEGRAM_DOWN_AFTER:
            if self._telegram_down_since is None:
                self._telegram_down_since = self.monotonic()
                log.error(
                    "Telegram unreachable (%s): alerts wait in the outbox and are retried, "
                    "none is dropped",
                    error,
                )
            rounds = self._transient_in_a_row // TELEGRAM_DOWN_AFTER
            pause = min(TELEGRAM_DOWN_MAX_PAUSE, 2.0 ** min(rounds, 8))
            self.pace.pause_until(self.monotonic() + pause)
            delay = min(delay, pause)  # look again soon: the first success ends the outage
        self._retry(row, delay, error, count=False)
        log.info("delivery %s to chat %s: %s; retry in %.0f s", row.id, row.chat_id, error, delay)

    def _answered(self) -> None:
        """Telegram answered (not a success): it is up, but a run of 5xx is not reset."""
        self.flood.answered(self.monotonic())

    def _succeeded(self) -> None:
        self._answered()
        self._transient_in_a_row = 0
        if self._telegram_down_since is not None:
            log.info(
                "Telegram reachable again after %.0f s: sending the backlog",
                self.monotonic() - self._telegram_down_since,
            )
            self._telegram_down_since = None
            task = asyncio.create_task(self._write(lambda s: outbox.due_now(s, self.clock())))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _chat_gone(self, row: DeliveryRow, reason: str) -> None:
        self._gone.add(row.chat_id)
        self.chat_limits.forget(row.chat_id)
        self._final(row, "skipped", error=reason)
        await self._write(lambda s: outbox.skip_chat(s, row.chat_id, reason))
        log.info(
            "chat %s is gone (%s): marked inactive, its deliveries skipped", row.chat_id, reason
        )

    async def _migrated(self, row: DeliveryRow, new_chat_id: int) -> None:
        # moves the chat's pending and sending rows (this one too) to the new id, pending
        await self._write(lambda s: chats.migrate_chat(s, row.chat_id, new_chat_id, self.clock()))
        log.info(
            "chat %s migrated to %s: subscriptions and deliveries moved", row.chat_id, new_chat_id
        )
        self.wake()

    # ----- writing outcomes -----
    async def _writer(self) -> None:
        while True:
            await self._outcome_ready.wait()
            if self._in_flight and len(self._outcomes) < BATCH:  # busy: gather a few more
                await asyncio.sleep(WRITE_LINGER)
            self._outcome_ready.clear()
            await self._flush_until_stored()

    async def _flush_until_stored(self) -> None:
        """Commit every queued outcome, retrying through a database outage until stored."""
        pause = 0.5
        while self._outcomes:
            batch, self._outcomes = self._outcomes, []
            try:
                async with self.sessions() as session:
                    await outbox.record(session, batch)
                    await session.commit()
            except Exception as exc:  # boundary: the database is away; the outcomes are kept
                self._outcomes = batch + self._outcomes
                self._database.failed(exc, write=True)
                await asyncio.sleep(pause)
                pause = min(RECORD_RETRY_MAX, pause * 2)
            else:
                self._database.ok(write=True)
                if any(o.status == "pending" for o in batch):
                    self.wake()

    async def _write(self, write: Callable[..., Awaitable[object]]) -> None:
        """One other write (chat gone, migrated), retried through a database outage."""
        pause = 0.5
        while True:
            try:
                async with self.sessions() as session:
                    await write(session)
                    await session.commit()
            except Exception as exc:  # boundary: the database is away; retried
                self._database.failed(exc, write=True)
                if self._stopping:
                    return
                await asyncio.sleep(pause)
                pause = min(RECORD_RETRY_MAX, pause * 2)
            else:
                self._database.ok(write=True)
                return


def _chat_error(exc: BadRequest) -> bool:
    return "chat not found" in exc.message.lower()


def _no_rights(message: str) -> bool:
    return any(marker in message.lower() for marker in NOT_ENOUGH_RIGHTS)
