"""One log line when the database becomes unreachable, one when it is back — for the whole
bot (sender and scheduled jobs share one tracker), however many operations failed between."""

from __future__ import annotations

import logging
import time

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("strikebot.database")

DATABASE_ERRORS = (SQLAlchemyError, OSError, TimeoutError)


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200] if text else ''}"


class DatabaseOutage:
    """An outage in which writes failed ends only with a successful write: a database that
    answers reads but stays locked for writers (SQLite) is still out."""

    def __init__(self) -> None:
        self._since: float | None = None
        self._writes_failed = False
        self.failures = 0

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException, *, write: bool) -> None:
        self.failures += 1
        self._writes_failed = self._writes_failed or write
        if self._since is None:
            self._since = time.monotonic()
            log.error(
                "database unavailable: polling, alerts and deliveries wait and will resume (%s)",
                one_line(exc),
            )

    def ok(self, *, write: bool) -> None:
        if self._since is not None and (write or not self._writes_failed):
            log.info(
                "database reachable again after %.0f s (%d failed operations): work resumes",
                time.monotonic() - self._since,
                self.failures,
            )
            self._since = None
            self._writes_failed = False
            self.failures = 0
