"""Telegram goes away for a minute (5xx, then timeouts), comes back, then rate-limits hard.

What users and operators notice:
* every subscriber gets each alert exactly once — late, but none lost (no row ``failed``) and
  none repeated, although the outage outlasts the sender's per-row retry budget;
* ``/start`` is answered again as soon as Telegram is, including the one sent during the
  outage (Telegram keeps updates; the bot fetches it when it can);
* the log says "Telegram unreachable" once, not once per retried delivery.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import StrikeBot
from bot.config import Settings
from bot.store.tables import DeliveryRow
from tests.builders import KHARKIV, KRYVYI_RIH, make_event, publish, seed_chat
from tests.fakes.telegram_api import FakeTelegram
from tests.resilience.waiting import wait_for

PHASE_SECONDS = 28.0  # 5xx for this long, then timeouts for as long: about a minute in all
STORM_429S = 12
CHAT_IDS = range(80_001, 80_013)
EARLY_USER, LATE_USER = 85_001, 85_002
REPLY_BOUND = 40.0  # python-telegram-bot's polling backs off up to 30 s between attempts


async def statuses(bot: StrikeBot) -> dict[str, int]:
    assert bot.services is not None
    async with bot.services.sessions() as session:
        stmt = select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
        return {str(s): int(n) for s, n in (await session.execute(stmt)).all()}


def alerts(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [m["text"] for m in telegram.sent(chat_id)]


@pytest.mark.slow
async def test_telegram_outage_then_429_storm_delays_alerts_loses_none(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="strikebot")
    bot: StrikeBot = await start_bot(settings_for())  # default delivery: max_attempts = 6
    assert bot.services is not None and bot.sender is not None
    now = datetime.now(UTC)
    async with bot.services.sessions.begin() as session:
        for chat_id in CHAT_IDS:
            await seed_chat(session, chat_id, ("UA",))

    # minute one, first half: every request answers 502 (updates too)
    telegram.fail_next(10**6, status=502)
    telegram.fail_next(10**6, status=502, method="getUpdates")
    first = make_event(
        "ev_during_outage",
        places=(KHARKIV,),
        event_time=now - timedelta(days=3),
        title="Drone strike on Kharkiv",
    )
    async with bot.services.sessions.begin() as session:
        await publish(session, first, now=now)
    bot.sender.wake()
    # a user writes while Telegram is down (after the long poll in flight has failed): the
    # update waits at Telegram, and the bot must answer it once it can fetch it
    start = len(telegram.calls)
    await telegram.wait_for(lambda c: c.method == "getUpdates" and c.status == 502, 15, start=start)
    telegram.send_text(EARLY_USER, "/start")
    await asyncio.sleep(PHASE_SECONDS)
    assert telegram.sent() == []
    tried = telegram.count("sendMessage")
    assert tried >= 5, "the sender did not even try during the outage"

    # second half: sends hang past the client's timeout (never answered); updates still 502
    telegram.clear_failures()
    telegram.stall(3600, method="sendMessage")
    telegram.fail_next(10**6, status=502, method="getUpdates")
    await asyncio.sleep(PHASE_SECONDS)
    assert telegram.sent() == []

    # Telegram is back
    telegram.clear_failures()
    back = time.monotonic()
    telegram.send_text(LATE_USER, "/start")
    [late_reply] = await telegram.wait_sent(LATE_USER, timeout=REPLY_BOUND)
    [early_reply] = await telegram.wait_sent(EARLY_USER, timeout=5)
    reply_delay = time.monotonic() - back
    assert "not an official" in late_reply["text"].lower()
    assert "not an official" in early_reply["text"].lower()

    def everyone_has(n: int) -> Callable[[], bool]:
        return lambda: all(len(telegram.sent(c)) >= n for c in CHAT_IDS)

    await wait_for(everyone_has(1), 30, "the alert planned during the outage reaches everyone")
    alerts_delay = time.monotonic() - back

    # then a 429 storm while a second alert goes out
    second = make_event("ev_during_storm", places=(KRYVYI_RIH,), title="Missile strike")
    async with bot.services.sessions.begin() as session:
        await publish(session, second, now=datetime.now(UTC))
    telegram.force_429(STORM_429S, retry_after=1)
    bot.sender.wake()
    storm = time.monotonic()
    await wait_for(everyone_has(2), 45, "the alert planned during the 429 storm reaches everyone")
    storm_delay = time.monotonic() - storm
    await asyncio.sleep(1.0)  # room for a duplicate to show up

    print(
        f"\n/start answered {reply_delay:.1f} s after Telegram came back; the outage backlog "
        f"was delivered {alerts_delay:.1f} s after; {tried} send attempts during the 5xx "
        f"phase; 429s answered: {telegram.count('sendMessage', 429)}; the alert planned in "
        f"the 429 storm reached everyone in {storm_delay:.1f} s"
    )
    assert telegram.duplicates() == {}
    for chat_id in CHAT_IDS:
        texts = alerts(telegram, chat_id)
        assert len(texts) == 2, (chat_id, texts)
        assert "Kharkiv" in texts[0] and "Kryvyi Rih" in texts[1]
    assert telegram.count("sendMessage", 429) >= STORM_429S // 2
    assert await statuses(bot) == {"sent": 2 * len(CHAT_IDS)}  # nothing failed or left behind
    rate_limited = bot.metrics.registry.get_sample_value("strikebot_telegram_429_total")
    assert rate_limited is not None and rate_limited >= STORM_429S // 2

    lines = [
        r.getMessage() for r in caplog.records if r.name == "strikebot.sender" and r.levelno >= 30
    ]
    assert len([x for x in lines if "Telegram unreachable" in x]) == 1, lines
    assert len(lines) == 1, lines  # no line per retried delivery
