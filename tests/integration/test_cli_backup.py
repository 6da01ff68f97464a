"""`strikebot db backup PATH`: a consistent SQLite copy with Python's backup API (the Docker
image has no sqlite3 binary), refusing to overwrite, and a clear word for PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def strikebot(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    env["STRIKEBOT_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_backup_copies_a_live_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    assert strikebot("db", "upgrade", url=url).returncode == 0
    writer = sqlite3.connect(tmp_path / "bot.sqlite3")  # the "bot", mid-work, in WAL mode
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute(
        "INSERT INTO chats (id, type, title, lang, tz, min_severity, updates, active, created_at,"
        " updated_at)"
        " VALUES (42, 'private', '', 'uk', 'Europe/Kyiv', 1, 'reply', 1, '2026-01-01',"
        " '2026-01-01')"
    )
    writer.commit()
    target = tmp_path / "backup.sqlite3"
    result = strikebot("db", "backup", str(target), url=url)
    writer.close()
    assert result.returncode == 0, result.stderr
    assert "backed up" in result.stdout
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT lang FROM chats WHERE id = 42").fetchone() == ("uk",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()

    again = strikebot("db", "backup", str(target), url=url)
    assert again.returncode == 1 and "exists already" in again.stderr


def test_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    result = strikebot(
        "db", "backup", str(tmp_path / "x"), url="postgresql+asyncpg://u:secret@127.0.0.1/db"
    )
    assert result.returncode == 2
    assert "pg_dump" in result.stderr and "secret" not in result.stderr
    assert not (tmp_path / "x").exists()
