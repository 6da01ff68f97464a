"""The `strikebot` command as an operator meets it: help, version, errors, db upgrade, stop."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bot
from bot.store.migrate import head_revision

ROOT = Path(__file__).resolve().parents[2]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}


def strikebot(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=120,
        cwd=ROOT,
    )


def test_help_lists_every_command() -> None:
    result = strikebot("--help")
    assert result.returncode == 0
    for verb in ("run", "classify", "replay", "check-feed", "stats", "db"):
        assert verb in result.stdout


def test_version() -> None:
    result = strikebot("--version")
    assert result.returncode == 0
    assert bot.__version__ in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "config file not found"),
        ("this is = = not toml", "not valid TOML"),
        ("[polling]\nintervl_seconds = 5\n", "unknown key 'polling.intervl_seconds'"),
        (
            '[polling]\ninterval_seconds = "often"\n',
            "'polling.interval_seconds' must be an integer",
        ),
        ('[[feeds]]\nname = "no url"\n', "missing required key 'feeds[0].url'"),
    ],
)
def test_bad_config_is_one_clear_line_and_exit_2(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = strikebot("run", "--config", str(path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_token_says_how_to_set_it(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"
    result = strikebot("run", env={"STRIKEBOT_DATABASE_URL": db})
    assert result.returncode == 1
    assert "STRIKEBOT_TELEGRAM_TOKEN" in result.stderr
    assert "--dry-run" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_a_clear_error_without_the_password() -> None:
    url = "postgresql+asyncpg://strikebot:hunter2secret@127.0.0.1:1/strikebot"
    result = strikebot("run", "--dry-run", env={"STRIKEBOT_DATABASE_URL": url})
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr
    assert "hunter2secret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'up.sqlite3'}"
    result = strikebot("db", "upgrade", env={"STRIKEBOT_DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert f"revision {head_revision()}" in result.stdout
    again = strikebot("db", "upgrade", env={"STRIKEBOT_DATABASE_URL": db})
    assert again.returncode == 0


def test_dry_run_starts_without_a_token_and_stops_on_sigterm_within_10_s(tmp_path: Path) -> None:
    config = tmp_path / "dry.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "dry.sqlite3"}"\n', encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--dry-run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        assert proc.stderr is not None
        seen = ""
        while "strikebot started" not in seen and time.monotonic() < deadline:
            seen += proc.stderr.readline()
        assert "strikebot started" in seen
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        proc.wait(timeout=10)
        assert time.monotonic() - started < 10
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_classify_and_replay_never_crash_on_bad_lines() -> None:
    lines = "\n".join(
        [
            "not json",
            json.dumps([1, 2]),
            json.dumps({"id": "x1", "title": 5}),
            json.dumps(
                {
                    "id": "ok1",
                    "title": "Drone strike damages a school in Sumy",
                    "text": (
                        "A Russian drone hit a school building in Sumy overnight; "
                        "two people were injured."
                    ),
                    "published": "2026-05-01T06:00:00+00:00",
                }
            ),
        ]
    )
    for verb in ("classify", "replay"):
        result = strikebot(verb, stdin=lines + "\n")
        assert result.returncode == 0, result.stderr
        out = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(out) == 4
        assert all("error" in o for o in out[:3])
        assert out[3]["id"] == "ok1" and out[3]["is_civilian_strike"] is True
        assert out[3]["injured"] == 2
        if verb == "replay":
            assert out[3]["change"] == "new" and out[3]["event_id"]


async def test_a_token_telegram_rejects_is_a_clear_error(tmp_path: Path) -> None:
    from tests.fakes.telegram_api import FakeTelegram

    async with FakeTelegram("1111:the-right-token-abcdefghijklmnop") as telegram:
        config = tmp_path / "c.toml"
        config.write_text(
            f'[telegram]\napi_base_url = "{telegram.base_url}"\n'
            f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "t.sqlite3"}"\n',
            encoding="utf-8",
        )
        wrong = "2222:a-wrong-token-abcdefghijklmnopqrs"
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config),
            env={**clean_env(), "STRIKEBOT_TELEGRAM_TOKEN": wrong},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=ROOT,
        )  # fmt: skip
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1
    assert "rejected the bot token" in err.decode()
    assert wrong not in err.decode() and "Traceback" not in err.decode()


def test_classify_and_replay_read_only_what_the_live_bot_keeps_of_an_item() -> None:
    strike = "A Russian drone hit a school building in Sumy overnight; two people were injured."
    filler = "The city council discussed road repairs and the new bus timetable. " * 70
    assert len(filler) > 4000  # the live bot keeps the first 4,000 characters of an item
    lines = [
        json.dumps({"id": "lede", "text": f"{strike} {filler}", "published": "2026-05-01T06:00Z"}),
        json.dumps({"id": "buried", "text": filler + strike, "published": "2026-05-01T07:00Z"}),
    ]
    for verb in ("classify", "replay"):
        result = strikebot(verb, stdin="\n".join(lines) + "\n")
        assert result.returncode == 0, result.stderr
        verdicts = {
            o["id"]: o["is_civilian_strike"] for o in map(json.loads, result.stdout.split("\n")[:2])
        }
        assert verdicts == {"lede": True, "buried": False}, verb
