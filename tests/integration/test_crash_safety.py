"""Crash safety and single-sender: a real `strikebot run` subprocess, SIGKILLed mid-send.

Every recipient must end with exactly one message; the only tolerated resends are requests
in flight at the kill (at most ``MAX_IN_FLIGHT``) and outcomes not yet committed (one group
commit: ``WRITE_LINGER`` of sends at the pace), and the test prints how many.
"""

from __future__ import annotations

import asyncio
import math
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.notify.sender import MAX_IN_FLIGHT, WRITE_LINGER
from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.tables import DeliveryRow
from tests.builders import make_event, publish, seed_many
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "4242:CRASH-test-token-abcdefghijklmnopq"
RECIPIENTS = 2000
RATE = 400


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN, enforce_limits=False) as fake:
        yield fake


def write_config(path: Path, telegram: FakeTelegram, database_url: str, rate: float) -> Path:
    config = path / "bot.toml"
    config.write_text(
        f"""
[telegram]
api_base_url = "{telegram.base_url}"
[database]
url = "{database_url}"
[polling]
interval_seconds = 3600
[delivery]
messages_per_second = {rate}
""",
        encoding="utf-8",
    )
    return config


def start_bot(config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STRIKEBOT_TELEGRAM_TOKEN": TOKEN}
    env.pop("STRIKEBOT_DATABASE_URL", None)
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )


async def seed(database_url: str, chats: int) -> None:
    engine = create_engine(database_url)
    await upgrade(engine)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        await seed_many(session, range(10_001, 10_001 + chats))
        await publish(session, make_event())
    await engine.dispose()


async def pending(database_url: str) -> int:
    engine = create_engine(database_url)
    async with session_factory(engine)() as session:
        stmt = select(func.count()).where(DeliveryRow.status.in_(("pending", "sending")))
        n = int((await session.execute(stmt)).scalar_one())
    await engine.dispose()
    return n


async def wait_sent_count(telegram: FakeTelegram, n: int, seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        if len(telegram.sent()) >= n:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"only {len(telegram.sent())} messages sent, wanted {n}")


@pytest.mark.slow
async def test_sigkill_mid_send_then_restart_every_recipient_gets_exactly_one(
    telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    await seed(database_url, RECIPIENTS)
    config = write_config(tmp_path, telegram, database_url, rate=RATE)
    log = tmp_path / "bot.log"
    first = start_bot(config, log)
    try:
        await wait_sent_count(telegram, RECIPIENTS // 3, seconds=90)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    killed_at = len(telegram.sent())
    assert killed_at < RECIPIENTS, "the kill came too late to test anything"

    second = start_bot(config, log)
    try:
        for _ in range(1200):
            if await pending(database_url) == 0:
                break
            await asyncio.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(15)
    assert second.returncode == 0, log.read_text()

    per_chat: dict[int, int] = {}
    for message in telegram.sent():
        per_chat[message["chat_id"]] = per_chat.get(message["chat_id"], 0) + 1
    missing = [c for c in range(10_001, 10_001 + RECIPIENTS) if c not in per_chat]
    resent = sum(n - 1 for n in per_chat.values())
    print(f"\nkilled after {killed_at} sends; resent after restart: {resent}")
    assert missing == []
    assert resent <= MAX_IN_FLIGHT + math.ceil(RATE * WRITE_LINGER) + 1


async def test_second_bot_on_the_same_database_waits_as_standby(
    telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    await seed(database_url, 3)
    config = write_config(tmp_path, telegram, database_url, rate=50)
    log_a, log_b = tmp_path / "a.log", tmp_path / "b.log"
    active = start_bot(config, log_a)
    try:
        await wait_sent_count(telegram, 3, seconds=60)
        standby = start_bot(config, log_b)
        try:
            for _ in range(300):
                if "standby" in log_b.read_text():
                    break
                await asyncio.sleep(0.1)
            assert "standby" in log_b.read_text()
            active.send_signal(signal.SIGTERM)
            assert active.wait(15) == 0
            for _ in range(300):
                if "now active" in log_b.read_text():
                    break
                await asyncio.sleep(0.1)
            assert "now active" in log_b.read_text()
        finally:
            standby.send_signal(signal.SIGTERM)
            standby.wait(15)
    finally:
        if active.poll() is None:
            active.kill()
    assert len(telegram.sent()) == 3
    assert telegram.duplicates() == {}
