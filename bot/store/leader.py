"""One active bot per database.

SQLite: an exclusive ``flock`` on ``<database file>.lock``. PostgreSQL: a session advisory lock
held on a dedicated connection. Both are released by the operating system or the server the
moment the process dies (SIGKILL included), so a restart takes over at once. A second
``strikebot run`` on the same database waits as a standby until the lock is free.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from typing import IO, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger("strikebot")

ADVISORY_KEY = 0x5354524B  # "STRK"


class LeaderLock:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._file: IO[Any] | None = None
        self._conn: AsyncConnection | None = None

    def _lock_path(self) -> str | None:
        database = make_url(str(self.engine.url)).database
        if not database or database == ":memory:":
            return None
        return os.path.abspath(database) + ".lock"

    async def try_acquire(self) -> bool:
        if self.engine.dialect.name == "sqlite":
            return self._try_file()
        return await self._try_advisory()

    def _try_file(self) -> bool:
        path = self._lock_path()
        if path is None:
            return True
        handle = open(path, "a+")  # noqa: SIM115 - held for the process lifetime
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    async def _try_advisory(self) -> bool:
        conn = await self.engine.connect()
        try:
            result = await conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({ADVISORY_KEY})")
            got = bool(result.scalar())
            await conn.commit()
        except BaseException:  # not a handler: close the connection, then re-raise
            await conn.close()
            raise
        if not got:
            await conn.close()
            return False
        self._conn = conn
        return True

    async def acquire(self, poll_seconds: float = 2.0) -> None:
        """Wait until this process is the active one."""
        warned = False
        while not await self.try_acquire():
            if not warned:
                log.warning(
                    "another strikebot is active on this database: waiting as a standby "
                    "(it takes over when the other one stops)"
                )
                warned = True
            await asyncio.sleep(poll_seconds)
        if warned:
            log.info("the other strikebot stopped: this one is now active")

    async def still_held(self) -> bool:
        """PostgreSQL: False when the lock connection died (server restart)."""
        if self._conn is None:
            return True
        try:
            await self._conn.exec_driver_sql("SELECT 1")
            await self._conn.commit()
            return True
        except (SQLAlchemyError, OSError):  # the connection (and with it the lock) is gone
            return False

    async def ensure(self) -> bool:
        """Still the active instance? PostgreSQL drops an advisory lock with its connection
        (a database restart): take it again if it is free. False: another instance has it now.
        Raises when the database cannot be reached (the caller retries)."""
        if self.engine.dialect.name == "sqlite" or await self.still_held():
            return True
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None
        return await self._try_advisory()

    async def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.exec_driver_sql(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
                await self._conn.commit()
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None
