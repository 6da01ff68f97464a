"""What became of each delivery, and writing it down: the outcome half of the sender.

``Outcomes`` is mixed into :class:`bot.notify.sender.Sender`: it turns Telegram's answer to a
request into an outbox outcome (sent, failed, skipped, expired, or pending again with a time),
decides what a 429, a 5xx or a 403 means (see the sender's docstring), and writes outcomes in
batches through a database outage.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.error import BadRequest, RetryAfter

from bot.config import DeliverySettings
from bot.notify import compose
from bot.notify.pacing import ChatLimits, FloodSignal, Pace
from bot.store import chats, outbox
from bot.store.db import SessionFactory
from bot.store.outage import DatabaseOutage
from bot.store.outbox import Outcome
from bot.store.tables import DeliveryRow

log = logging.getLogger("strikebot.sender")

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


class Outcomes:
    # set by Sender.__init__
    sessions: SessionFactory
    settings: DeliverySettings
    clock: Callable[[], datetime]
    monotonic: Callable[[], float]
    pace: Pace
    chat_limits: ChatLimits
    flood: FloodSignal
    stats: SenderStats
    _on_outcome: Callable[[str, DeliveryRow, datetime], None] | None
    _database: DatabaseOutage
    _outcomes: list[Outcome]
    _outcome_ready: asyncio.Event
    _edited: set[int]
    _transient: dict[int, int]
    _transient_in_a_row: int
    _telegram_down_since: float | None
    _gone: set[int]
    _tasks: set[asyncio.Task[None]]
    _in_flight: int
    _stopping: bool

    def wake(self) -> None:
        raise NotImplementedError

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


def chat_error(exc: BadRequest) -> bool:
    return "chat not found" in exc.message.lower()


def no_rights(message: str) -> bool:
    return any(marker in message.lower() for marker in NOT_ENOUGH_RIGHTS)
