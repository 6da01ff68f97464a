"""`strikebot stats` as an operator runs it: a missing database file is reported (exit 1) and
not created; on a real database the failing feeds are listed with their reason and since when."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.tables import FeedRow

ROOT = Path(__file__).resolve().parents[2]


def strikebot(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    env["STRIKEBOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_stats_on_a_missing_database_leaves_no_file(tmp_path: Path) -> None:
    database = tmp_path / "nowhere.sqlite3"
    result = strikebot("stats", database=database)
    assert result.returncode == 1
    assert f"database file {database} does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert not database.exists()


async def test_stats_lists_failing_feeds(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        await upgrade(engine)
        async with session_factory(engine).begin() as session:
            since = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
            for name, failures, error in (("Fine", 0, None), ("Down", 3, "HTTP 503 Busy")):
                session.add(
                    FeedRow(
                        url=f"https://{name.lower()}.example/rss", name=name, created_at=since,
                        last_ok_at=since, consecutive_failures=failures, last_error=error,
                    )
                )  # fmt: skip
    finally:
        await engine.dispose()
    result = strikebot("stats", database=database)
    assert result.returncode == 0, result.stderr
    assert "Feeds: 2 enabled · 1 failing" in result.stdout
    assert "⚠️ Down · failing since 01.05 08:30 UTC: HTTP 503 Busy" in result.stdout
    assert "<" not in result.stdout  # plain text, no HTML
