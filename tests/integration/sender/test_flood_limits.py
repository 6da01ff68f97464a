"""A 429 for one chat slows that chat, not the fan-out (fake Bot API enforcing Telegram's
limits; the sender reports what kind of 429 it saw to /metrics)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from bot.ops.metrics import Metrics
from bot.store.db import SessionFactory
from bot.store.tables import DeliveryRow
from tests.builders import make_event, publish, seed_many
from tests.fakes.telegram_api import FakeTelegram
from tests.integration.sender.helpers import wait_until_done

FIRST = 20_001
RATE = 25.0


@pytest.mark.slow
async def test_one_chat_in_ten_flood_limited_does_not_slow_the_other_nine(
    telegram: FakeTelegram, sessions: SessionFactory, sender_for: Callable[..., Any]
) -> None:
    chats = range(FIRST, FIRST + 300)
    limited = set(chats[::10])
    async with sessions.begin() as session:
        await seed_many(session, chats)
        await publish(session, make_event())
    for chat_id in limited:
        telegram.chat_429(chat_id, retry_after=3)
    metrics = Metrics()

    def count(outcome: str, row: DeliveryRow, now: datetime) -> None:
        metrics.delivery(outcome, row.first_seen, now)

    sender = await sender_for(messages_per_second=RATE, sender_kwargs={"on_outcome": count})
    done = await wait_until_done(sessions, seconds=60)
    assert set(done.values()) == {"sent"} and len(done) == 300
    assert telegram.duplicates() == {}
    assert all(len(telegram.sent(c)) == 1 for c in chats)

    sends = [c for c in telegram.calls if c.method == "sendMessage"]
    ok = {c.params["chat_id"]: c.at for c in sends if c.status == 200}
    refused = {c.params["chat_id"]: c.at for c in sends if c.status == 429}
    assert set(refused) == limited
    assert telegram.faults.early == 0
    assert all(ok[chat] - refused[chat] >= 3.0 for chat in limited)  # after their retry_after
    others = sorted(at for chat, at in ok.items() if chat not in limited)
    achieved = (len(others) - 1) / (others[-1] - others[0])
    print(f"\n270 unaffected chats at {achieved:.1f}/s of {RATE:.0f}/s configured")
    assert achieved >= 0.8 * RATE
    assert sender.stats.rate_limited_chat == 30 and sender.stats.rate_limited_global == 0
    sample = metrics.registry.get_sample_value
    assert sample("strikebot_telegram_429_total", {"kind": "chat"}) == 30
    assert sample("strikebot_telegram_429_total", {"kind": "global"}) == 0
