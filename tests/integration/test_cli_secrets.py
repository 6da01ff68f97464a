"""Secrets never reach stderr or stdout, and every start-up failure is one line."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from pathlib import Path

import pytest

from bot.ops.logs import setup_logging
from tests.integration.test_cli import ROOT, clean_env, strikebot

TOKEN = "1111:the-right-token-abcdefghijklmnop"
FEED_SECRETS = ("apikey7f3e9", "hunter2pw", "tok9z8y7", "s1gn4ture")
FEED_URL = "http://apikey7f3e9@127.0.0.1:1/rss?token=tok9z8y7&lang=en&sig=s1gn4ture"


def test_a_malformed_database_url_is_a_config_error() -> None:
    url = "postgresql+asyncpg://strikebot:hunter2pw@db.example.org:notaport/strikebot"
    for verb in (["run", "--dry-run"], ["db", "upgrade"], ["stats"]):
        result = strikebot(*verb, env={"STRIKEBOT_DATABASE_URL": url})
        assert result.returncode == 2, (verb, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "port is not a number" in lines[0]
        assert "hunter2pw" not in result.stderr and "Traceback" not in result.stderr


async def test_the_senders_own_getme_rejected_is_one_line_without_the_token(
    tmp_path: Path,
) -> None:
    from tests.fakes.telegram_api import FakeTelegram

    async with FakeTelegram(TOKEN) as telegram:
        telegram.fail_next(1, 401, "getMe", after=1)  # the Application's getMe passes
        config = tmp_path / "c.toml"
        config.write_text(
            f'[telegram]\napi_base_url = "{telegram.base_url}"\n'
            f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "t.sqlite3"}"\n',
            encoding="utf-8",
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config),
            env={**clean_env(), "STRIKEBOT_TELEGRAM_TOKEN": TOKEN},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=ROOT,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert [c.status for c in telegram.calls if c.method == "getMe"] == [200, 401]
    text = err.decode()
    assert proc.returncode == 1
    assert "rejected the bot token" in text
    assert TOKEN not in text + out.decode() and "the-right-token" not in text
    assert "Traceback" not in text
    assert len([line for line in text.splitlines() if line.startswith("strikebot:")]) == 1


def test_check_feed_never_prints_feed_credentials() -> None:
    result = strikebot("check-feed", FEED_URL)
    assert result.returncode == 1
    assert "127.0.0.1" in result.stderr  # the line still says which feed
    for secret in FEED_SECRETS:
        assert secret not in result.stderr + result.stdout


def test_log_lines_hide_url_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        setup_logging("INFO")
        log = logging.getLogger("strikebot.ingest.poller")
        log.warning("feed %s is failing (5 polls in a row): HTTP 500", FEED_URL)
        log.warning("feed https://user:hunter2pw@h.example/x?api_key=%s moved", "tok9z8y7")
        try:
            raise ValueError(f"cannot fetch {FEED_URL}")
        except ValueError:
            log.exception("unexpected error")
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    err = capsys.readouterr().err
    assert "feed http://***@127.0.0.1:1/rss?token=***&lang=en&sig=*** is failing" in err
    assert "https://user:***@h.example/x?api_key=***" in err
    for secret in FEED_SECRETS:
        assert secret not in err


def test_any_other_start_up_failure_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:  # /healthz cannot listen where something else does
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = tmp_path / "c.toml"
        config.write_text(
            f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "t.sqlite3"}"\n'
            f'[server]\nlisten = "127.0.0.1:{port}"\n',
            encoding="utf-8",
        )
        result = strikebot("run", "--dry-run", "--config", str(config))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("strikebot:")]
    assert len(errors) == 1 and "address already in use" in errors[0].lower(), result.stderr
