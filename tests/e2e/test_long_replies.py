"""Replies that can grow past Telegram's 4,096 characters are split, never rejected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.store import feeds as feed_repo
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.talk import eventually
from tests.fakes.telegram_api import FakeTelegram

LIMIT = 4096


async def test_feeds_list_with_many_failing_feeds_arrives_in_pieces(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    bot = await start_bot(settings_for())
    now = datetime.now(UTC)
    async with bot.services.sessions.begin() as session:
        for i in range(40):
            info = await feed_repo.add_feed(
                session, f"https://feeds{i}.example.org/{'n' * 80}.xml", now, name="F" * 60
            )
            await feed_repo.update_feed(
                session, info.id, failing=True, consecutive_failures=9,
                last_error=f"HTTP 500 Internal Server Error {'e' * 150}",
            )  # fmt: skip
    before = len(telegram.calls)
    telegram.send_text(ADMIN_ID, "/feeds")
    await telegram.wait_sent(ADMIN_ID, 2, timeout=10)

    async def all_listed() -> bool:
        return "\n".join(p["text"] for p in telegram.sent(ADMIN_ID)).count("HTTP 500") == 40

    await eventually(all_listed)  # every feed is listed
    pieces = telegram.sent(ADMIN_ID)
    rejected = [c for c in telegram.calls[before:] if c.method == "sendMessage" and c.status != 200]
    assert rejected == []
    assert all(len(p["text"]) <= LIMIT for p in pieces)


async def test_settings_echoing_a_huge_argument_is_answered(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    await start_bot(settings_for())
    for command in ("/settings " + "q" * 4086, "/settings quiet " + "7" * 4080):
        before = len(telegram.sent(77))
        telegram.send_text(77, command)
        sent = await telegram.wait_sent(77, before + 1, timeout=10)
        assert sent[before]["text"]
        assert all(len(m["text"]) <= LIMIT for m in sent)
    assert [c for c in telegram.calls if c.method == "sendMessage" and c.status != 200] == []
