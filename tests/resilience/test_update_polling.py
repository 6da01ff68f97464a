"""Telegram's getUpdates fails for a while (401): the bot notices, says so in /healthz, restarts
polling with back-off and answers again; after a long outage it exits non-zero."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from bot.app import StrikeBot
from bot.config import ServerSettings, Settings
from tests.fakes.telegram_api import FakeTelegram


async def healthz(listen: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(f"http://{listen}/healthz") as resp:
        return resp.status, await resp.json()


async def test_a_burst_of_401_from_getupdates_does_not_stop_command_handling(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    unused_tcp_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    listen = f"127.0.0.1:{unused_tcp_port}"
    await start_bot(settings_for(server=ServerSettings(listen=listen)))
    assert (await healthz(listen))[0] == 200
    telegram.fail_next(3, 401, "getUpdates")  # ~6 s of "Unauthorized"
    telegram.send_text(601, "/start")  # wakes the long poll; the next one gets the 401
    await telegram.wait_for(lambda c: c.method == "getUpdates" and c.status == 401, timeout=15)

    statuses: list[tuple[int, dict[str, Any]]] = []
    for _ in range(20):
        statuses.append(await healthz(listen))
        if statuses[-1][0] == 503:
            break
        await asyncio.sleep(0.25)
    status, body = statuses[-1]
    assert status == 503 and body["receiving_updates"] is False, statuses

    telegram.send_text(602, "/start")  # sent during the outage: answered once it ends
    await telegram.wait_sent(602, timeout=30)
    for _ in range(20):
        status, body = await healthz(listen)
        if status == 200:
            break
        await asyncio.sleep(0.25)
    assert status == 200 and body["receiving_updates"] is True
    lines = [r.getMessage() for r in caplog.records if r.name == "strikebot.updates"]
    assert len([m for m in lines if "stopped" in m]) == 1, lines
    assert len([m for m in lines if "again" in m]) == 1, lines


async def test_a_long_getupdates_outage_ends_the_process_with_status_1(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Callable[..., Any]
) -> None:
    bot: StrikeBot = await start_bot(settings_for(), updates_give_up_after=3.0)
    telegram.fail_next(10_000, 401, "getUpdates")
    telegram.send_text(603, "/start")
    await asyncio.wait_for(bot.stop_requested.wait(), 20)
    assert bot.exit_code == 1
