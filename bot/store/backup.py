"""``strikebot db backup PATH``: a consistent copy of a SQLite database while the bot runs.

Python's own ``sqlite3`` backup API (the image has no ``sqlite3`` binary): pages are copied in
steps, so the bot keeps writing meanwhile, and the copy is one consistent snapshot. The copy
is written next to its final name and renamed into place, so a failed backup never leaves a
half-written file under the name asked for. PostgreSQL has its own tool (``pg_dump``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.errors import ConfigError, StartupError

PAGES_PER_STEP = 1024


def sqlite_path(url: str) -> Path:
    """The file a SQLite URL names; ConfigError for anything else."""
    parsed = make_url(url)
    database = parsed.database or ""
    if not parsed.get_backend_name().startswith("sqlite"):
        raise ConfigError(
            f"db backup copies SQLite databases; for {parsed.get_backend_name()} use its own "
            "tool (PostgreSQL: pg_dump -Fc)"
        )
    if database in ("", ":memory:") or database.startswith("file:"):
        raise ConfigError("db backup needs a SQLite database file, not an in-memory one")
    return Path(database)


def backup_sqlite(url: str, target: Path) -> int:
    """Copy the database to ``target`` (which must not exist); returns the pages copied."""
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise StartupError(f"database file {source_path} does not exist")
    if target.exists():
        raise StartupError(f"{target} exists already: choose a new file name")
    partial = target.with_name(f".{target.name}.partial")
    copied = 0
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(partial)
            try:

                def progress(_status: int, remaining: int, total: int) -> None:
                    nonlocal copied
                    copied = total - remaining

                source.backup(destination, pages=PAGES_PER_STEP, progress=progress)
            finally:
                destination.close()
        finally:
            source.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise StartupError(f"backup of {source_path} failed: {exc}") from None
    return copied
