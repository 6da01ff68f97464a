"""Scheduled jobs' guard: a failing job logs one line when it starts failing and one when it
recovers (a database outage is one outage, not a line every five seconds)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.store.outage import DATABASE_ERRORS, DatabaseOutage

log = logging.getLogger("strikebot.jobs")


@dataclass
class Health:
    """What /healthz reports; updated by the jobs."""

    last_poll_ok: datetime | None = None
    last_run: dict[str, datetime] = field(default_factory=dict)
    failing: dict[str, str] = field(default_factory=dict)  # job → one-line error


class JobGuard:
    """Runs jobs; a database error goes to the shared :class:`DatabaseOutage` (one line for
    the whole bot), any other error is logged once per job until the job recovers."""

    def __init__(
        self,
        health: Health,
        clock: Callable[[], datetime] | None = None,
        database: DatabaseOutage | None = None,
    ) -> None:
        self.health = health
        self.database = database or DatabaseOutage()
        self._clock = clock
        self._failures: dict[str, int] = {}
        self._running: set[asyncio.Task[object]] = set()

    async def cancel_running(self, seconds: float = 3.0) -> None:
        """On shutdown: cancel job runs in progress and wait for them to unwind."""
        tasks = [t for t in self._running if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=seconds)

    def guard(
        self, name: str, job: Callable[[], Awaitable[None]], *, writes: bool = False
    ) -> Callable[[], Awaitable[None]]:
        """``writes``: the job writes to the database on every run, so its success proves the
        database takes writes again."""

        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            except asyncio.CancelledError:
                return  # shutting down
            except Exception as exc:  # boundary: one scheduled job run
                reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                count = self._failures.get(name, 0) + 1
                self._failures[name] = count
                if isinstance(exc, DATABASE_ERRORS):
                    self.database.failed(exc, write=writes)
                elif count == 1:
                    log.error("%s job failing (will keep retrying): %s", name, reason[:300])
                self.health.failing[name] = reason[:300]
                return
            finally:
                if task is not None:
                    self._running.discard(task)
            failed = self._failures.pop(name, 0)
            self.health.failing.pop(name, None)
            if self.database.down:
                self.database.ok(write=writes)
            elif failed:
                log.info("%s job recovered after %d failed runs", name, failed)
            if self._clock is not None:
                self.health.last_run[name] = self._clock()

        run.__name__ = f"job_{name}"
        return run
