"""Webhook mode never runs without a secret: forged updates are refused, Telegram's are not."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from tests.e2e.conftest import ADMIN_ID
from tests.fakes.telegram_api import FakeTelegram


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "U", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 9000 + update_id, "date": 1_800_000_000, "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "U"}, "from": user,
            "entities": [{"type": "bot_command", "offset": 0, "length": text.split()[0].__len__()}],
        },
    }  # fmt: skip


async def test_webhook_with_an_empty_secret_refuses_forged_updates(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()
    base = settings_for()
    settings = dataclasses.replace(
        base,
        telegram=dataclasses.replace(
            base.telegram,
            webhook_url="https://bot.example.org/hook/strike",
            webhook_listen=f"127.0.0.1:{port}",
            webhook_secret="",
        ),
    )
    with caplog.at_level(logging.INFO):
        await start_bot(settings)
    assert "random secret generated for this run" in caplog.text
    [registered] = [c for c in telegram.calls if c.method == "setWebhook"]
    secret = str(registered.params.get("secret_token") or "")
    assert len(secret) >= 32

    url = f"http://127.0.0.1:{port}/hook/strike"
    async with aiohttp.ClientSession() as http:
        forged = update(1, ADMIN_ID, "/broadcast everyone must read this")
        async with http.post(url, json=forged) as resp:
            assert resp.status == 403
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guessed"}
        async with http.post(url, json=update(2, ADMIN_ID, "/stats"), headers=wrong) as resp:
            assert resp.status == 403
        await asyncio.sleep(0.5)
        assert telegram.sent(ADMIN_ID) == []

        real = {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with http.post(url, json=update(3, 4321, "/start"), headers=real) as resp:
            assert resp.status == 200
    await telegram.wait_sent(4321, timeout=10)
    assert telegram.sent(ADMIN_ID) == []
