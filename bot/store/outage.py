"""One log line when the database becomes unreachable, one when it is back — for the whole
bot (sender and scheduled jobs share one tracker), however many operations failed between."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("strikebot.database")

DATABASE_ERRORS = (SQLAlchemyError, OSError, TimeoutError)
RECOVERY_QUIET_SECONDS = 5.0  # an outage is over once nothing failed for this long


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200] if text else ''}"


class DatabaseOutage:
    """An outage in which writes failed ends only with a successful write: a database that
    answers reads but stays locked for writers (SQLite) is still out.

    A full disk lets some writes through (an in-place update) and fails others (anything that
    needs a new page), so an outage also ends only once no operation has failed for
    :data:`RECOVERY_QUIET_SECONDS`: one line when it starts, one when it is really over, not
    a line per flap. While it lasts, /healthz reports the database unhealthy.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        quiet_seconds: float | None = None,
    ) -> None:
        self._clock = clock
        self._quiet = RECOVERY_QUIET_SECONDS if quiet_seconds is None else quiet_seconds
        self._since: float | None = None
        self._last_failure = 0.0
        self._writes_failed = False
        self.failures = 0
        self.reason = ""

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException, *, write: bool) -> None:
        self.failures += 1
        self._writes_failed = self._writes_failed or write
        self._last_failure = self._clock()
        if self._since is None:
            self._since = self._last_failure
            self.reason = one_line(exc)
            log.error(
                "database unavailable: polling, alerts and deliveries wait and will resume (%s)",
                self.reason,
            )

    def ok(self, *, write: bool) -> None:
        if self._since is None or not (write or not self._writes_failed):
            return
        now = self._clock()
        if now - self._last_failure < self._quiet:
            return  # failures are still coming in between the successes (e.g. a full disk)
        log.info(
            "database reachable again after %.0f s (%d failed operations): work resumes",
            now - self._since,
            self.failures,
        )
        self._since = None
        self._writes_failed = False
        self.failures = 0
        self.reason = ""
