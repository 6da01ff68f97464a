"""The buttons under an alert: "Why this alert?" explains it; "Mute this region" unsubscribes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config import Settings
from bot.store import chats
from tests.builders import make_event, publish, seed_chat
from tests.fakes.telegram_api import FakeTelegram


async def test_why_and_mute_buttons_under_an_alert(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    bot = await start_bot(settings_for())
    event = make_event(reasons=("weapon:ballistic missile", "impact:killed"))
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, 5151, ("UA-12",))
        await publish(session, event)
    bot.sender.wake()
    [alert] = await telegram.wait_sent(5151, timeout=15)
    buttons = alert["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["Why this alert?", "Mute this region"]

    telegram.press_button(5151, alert["message_id"], buttons[0]["callback_data"])
    [_, why] = await telegram.wait_sent(5151, count=2, timeout=10)
    assert "Why this alert" in why["text"] and "ballistic missile" in why["text"]
    assert "Test Wire" in why["text"]

    telegram.press_button(5151, alert["message_id"], buttons[1]["callback_data"])
    await telegram.wait_for(lambda c: c.method == "answerCallbackQuery", timeout=10)
    for _ in range(50):
        async with bot.services.sessions() as session:
            if await chats.subscription_codes(session, 5151) == []:
                break
        await telegram.wait_for(lambda c: True, timeout=0.1)
    async with bot.services.sessions() as session:
        assert await chats.subscription_codes(session, 5151) == []


async def test_forged_why_button_changes_nothing(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    await start_bot(settings_for())
    telegram.press_button(5252, 1, "why:ev_0000000000000000")
    call = await telegram.wait_for(lambda c: c.method == "answerCallbackQuery", timeout=10)
    assert "expired" in str(call.params.get("text", "")).lower()
    assert telegram.sent(5252) == []


async def test_mute_offers_each_matching_subscription_when_two_match(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Any
) -> None:
    bot = await start_bot(settings_for())
    [kryvyi_rih] = bot.services.gazetteer.named("Kryvyi Rih")
    event = make_event(places=(kryvyi_rih,), reasons=("weapon:ballistic missile",))
    city = kryvyi_rih.code
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, 5353, ("UA-12", city), lang="uk")
        await publish(session, event)
    bot.sender.wake()
    [alert] = await telegram.wait_sent(5353, timeout=15)
    buttons = alert["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["Чому це сповіщення?", "Вимкнути…"]

    telegram.press_button(5353, alert["message_id"], buttons[1]["callback_data"])
    [_, choice] = await telegram.wait_sent(5353, count=2, timeout=10)
    assert "Яку підписку вимкнути?" in choice["text"]
    offered = {
        b["callback_data"]: b["text"] for r in choice["reply_markup"]["inline_keyboard"] for b in r
    }
    assert offered == {
        "unsub:UA-12": "🔕 Дніпропетровська область",
        f"unsub:{city}": "🔕 Кривий Ріг (Дніпропетровська область)",
    }
    telegram.press_button(5353, choice["message_id"], "unsub:UA-12")
    [_, _, done] = await telegram.wait_sent(5353, count=3, timeout=10)
    assert "Ви відписалися" in done["text"]
    async with bot.services.sessions() as session:
        assert await chats.subscription_codes(session, 5353) == [city]
