"""Subscriptions end to end: /start's keyboard, /subscribe by name in any language, choices,
suggestions, /unsubscribe, /mysubs, /stop, groups (admins only) and a group's migration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.e2e.talk import ask, buttons, current, eventually, press, subscriptions
from tests.fakes.telegram_api import FakeTelegram

Start = Any


async def test_start_offers_regions_and_a_press_subscribes(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    welcome = await ask(telegram, 50, "/start")
    keys = buttons(welcome)
    assert "Other…" in keys and keys["Everything"] == "sub:*"
    assert keys["Kharkiv oblast"] == "sub:UA-63"

    answer = await press(telegram, 50, welcome["message_id"], "sub:UA-63")
    assert answer.status == 200
    [_, confirmation] = await telegram.wait_sent(50, 2)
    assert "Subscribed to Kharkiv oblast" in confirmation["text"]
    assert "/unsubscribe" in confirmation["text"]
    assert await subscriptions(bot, 50) == ["UA-63"]

    mysubs = await ask(telegram, 50, "/mysubs")
    assert "Kharkiv oblast" in mysubs["text"]


async def test_subscribe_resolves_names_in_any_language(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    reply = await ask(telegram, 51, "/subscribe Днепропетровская", language_code="uk")
    assert "на Дніпропетровську область" in reply["text"]
    reply = await ask(telegram, 52, "/subscribe Kharkiv oblast")
    assert "Subscribed to Kharkiv oblast" in reply["text"]
    reply = await ask(telegram, 52, "/subscribe Kharkiv oblast")
    assert "already subscribed" in reply["text"]
    assert await subscriptions(bot, 51) == ["UA-12"]
    assert await subscriptions(bot, 52) == ["UA-63"]


async def test_a_name_that_clearly_means_one_place_subscribes_at_once(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    # the city, not the Kherson village of the same name, and in any case form
    reply = await ask(telegram, 60, "/subscribe Кривому Розі", language_code="uk")
    assert "Кривий Ріг" in reply["text"] and not buttons(reply)
    [city] = await subscriptions(bot, 60)
    assert city.startswith("UA-12:")
    reply = await ask(telegram, 61, "/subscribe Bucha")  # the town, not the village
    assert "Subscribed to Bucha" in reply["text"]
    reply = await ask(telegram, 61, "/subscribe Київщина")  # the oblast, not the village
    assert "Kyiv oblast" in reply["text"]
    [bucha, oblast] = await subscriptions(bot, 61)
    assert bucha.startswith("UA-32:") and oblast == "UA-32"


async def test_several_matches_offer_a_choice(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    choice = await ask(telegram, 53, "/subscribe Мирне", language_code="uk")  # dozens of villages
    assert "кілька місць" in choice["text"]
    options = buttons(choice)
    assert len(options) > 1
    assert await subscriptions(bot, 53) == []
    village = next(iter(options.values()))
    assert village.startswith("sub:UA-")
    await press(telegram, 53, choice["message_id"], village)
    assert await subscriptions(bot, 53) == [village.removeprefix("sub:")]


async def test_a_typo_gets_suggestions_and_everything_works(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    reply = await ask(telegram, 54, "/subscribe Kharkiw")
    assert "did you mean" in reply["text"] and "Kharkiv" in reply["text"]
    assert any(data.startswith("sub:UA-63") for data in buttons(reply).values())
    assert await subscriptions(bot, 54) == []
    reply = await ask(telegram, 54, "/subscribe Atlantis")
    assert "I don't know a place called “Atlantis”" in reply["text"]
    reply = await ask(telegram, 54, "/subscribe усі")
    assert "every region" in reply["text"]
    assert await subscriptions(bot, 54) == ["*"]


async def test_subscribe_alone_shows_paged_regions(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    menu = await ask(telegram, 55, "/subscribe")
    first = buttons(menu)
    assert first["Ukraine"] == "sub:UA" and first["More ▶"] == "page:regions:UA:1"
    await press(telegram, 55, menu["message_id"], "page:regions:UA:1")
    second = buttons(current(telegram, menu["message_id"]))
    assert second != first and "◀ Back" in second
    region = next(d for d in second.values() if d.startswith("sub:UA-"))
    await press(telegram, 55, menu["message_id"], region)
    assert await subscriptions(bot, 55) == [region.removeprefix("sub:")]
    await press(telegram, 55, menu["message_id"], "page:countries:0")
    countries = buttons(current(telegram, menu["message_id"]))
    assert any(d == "page:regions:UA:0" for d in countries.values())


async def test_unsubscribe_by_name_and_by_keyboard(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    await ask(telegram, 56, "/subscribe Kharkiv oblast")
    await ask(telegram, 56, "/subscribe Lviv oblast")
    reply = await ask(telegram, 56, "/unsubscribe Lviv oblast")
    assert "Unsubscribed from Lviv oblast" in reply["text"]
    await ask(telegram, 57, "/subscribe Odesa oblast")
    await ask(telegram, 57, "/subscribe Lviv oblast")
    menu = await ask(telegram, 57, "/unsubscribe")
    assert set(buttons(menu).values()) == {"unsub:UA-51", "unsub:UA-46"}
    await press(telegram, 57, menu["message_id"], "unsub:UA-46")
    assert await subscriptions(bot, 56) == ["UA-63"]
    assert await subscriptions(bot, 57) == ["UA-51"]


async def test_stop_asks_before_removing_everything(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    await ask(telegram, 58, "/subscribe Kharkiv oblast")
    confirm = await ask(telegram, 58, "/stop")
    await press(telegram, 58, confirm["message_id"], "stop:no")
    assert await subscriptions(bot, 58) == ["UA-63"]
    await ask(telegram, 59, "/subscribe Kharkiv oblast")
    confirm = await ask(telegram, 59, "/stop")
    await press(telegram, 59, confirm["message_id"], "stop:yes")
    assert "All subscriptions removed" in current(telegram, confirm["message_id"])["text"]
    assert await subscriptions(bot, 59) == []
    reply = await ask(telegram, 59, "/mysubs")
    assert "no subscriptions" in reply["text"]


async def test_in_a_group_only_admins_change_subscriptions(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    group = -4001
    telegram.set_chat_admins(group, [7], creator=8)
    reply = await ask(telegram, group, "/subscribe Kharkiv oblast", user_id=7, chat_type="group")
    assert "Subscribed" in reply["text"]
    refused = await ask(telegram, group, "/subscribe Odesa oblast", user_id=99, chat_type="group")
    assert "Only this group's admins" in refused["text"]
    refused = await ask(telegram, group, "/stop", user_id=99, chat_type="group")
    assert "Only this group's admins" in refused["text"]
    answer = await press(
        telegram, group, refused["message_id"], "sub:UA-51", user_id=99, chat_type="group"
    )
    assert "admins" in answer.params["text"]
    listing = await ask(telegram, group, "/mysubs", user_id=99, chat_type="group")
    assert "Kharkiv oblast" in listing["text"]
    reply = await ask(telegram, group, "/subscribe Odesa oblast", user_id=8, chat_type="group")
    assert "Subscribed" in reply["text"]
    assert await subscriptions(bot, group) == ["UA-63", "UA-51"]


async def test_a_group_migrated_to_a_supergroup_keeps_its_subscriptions(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    old, new = -4002, -1004002
    telegram.set_chat_admins(old, [7])
    await ask(telegram, old, "/subscribe Kharkiv oblast", user_id=7, chat_type="group")
    sender = {"id": 7, "is_bot": False, "first_name": "A"}
    migration = telegram.state.new_message(old, sender, "", [])
    del migration["text"]
    telegram.add_update({"message": migration | {"migrate_to_chat_id": new}})

    async def moved() -> bool:
        return await subscriptions(bot, new) == ["UA-63"]

    await eventually(moved)
    telegram.set_chat_admins(new, [7])
    reply = await ask(telegram, new, "/mysubs", user_id=7, chat_type="supergroup")
    assert "Kharkiv oblast" in reply["text"]
    assert await subscriptions(bot, new) == ["UA-63"]
    assert await subscriptions(bot, old) == []


async def test_unsubscribe_reads_a_name_exactly_as_subscribe_does(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    reply = await ask(telegram, 62, "/subscribe Kyiv")
    assert "Subscribed to Kyiv" in reply["text"] and not buttons(reply)
    reply = await ask(telegram, 62, "/unsubscribe Kyiv")
    assert "Unsubscribed from Kyiv" in reply["text"]
    assert await subscriptions(bot, 62) == []
    # in Ukrainian, in another spelling and in another case form of the same name
    await ask(telegram, 63, "/subscribe Київ", language_code="uk")
    reply = await ask(telegram, 63, "/unsubscribe Kiev", language_code="uk")
    assert "Ви відписалися" in reply["text"]
    await ask(telegram, 63, "/subscribe Кривий Ріг", language_code="uk")
    reply = await ask(telegram, 63, "/unsubscribe Кривому Розі", language_code="uk")
    assert "Ви відписалися" in reply["text"]
    assert await subscriptions(bot, 63) == []


async def test_a_city_its_region_is_named_after_offers_both(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    choice = await ask(telegram, 64, "/subscribe Dnipro")
    options = buttons(choice)
    assert options["Dnipropetrovsk oblast"] == "sub:UA-12"
    assert options["Dnipro (Dnipropetrovsk oblast)"].startswith("sub:UA-12:")
    choice = await ask(telegram, 65, "/subscribe Дніпро", language_code="uk")
    assert buttons(choice)["Дніпропетровська область"] == "sub:UA-12"
    await press(telegram, 65, choice["message_id"], "sub:UA-12")
    await press(
        telegram, 65, choice["message_id"], buttons(choice)["Дніпро (Дніпропетровська область)"]
    )
    # both subscriptions fit the name: /unsubscribe asks which one
    ask_which = await ask(telegram, 65, "/unsubscribe Дніпро", language_code="uk")
    assert "кілька ваших підписок" in ask_which["text"]
    assert set(buttons(ask_which).values()) == {f"unsub:{c}" for c in await subscriptions(bot, 65)}


async def test_a_shared_name_always_asks_and_lists_each_place_once(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    for text, lang in (("/subscribe Kamianka", "en"), ("/subscribe Шевченкове", "uk")):
        choice = await ask(telegram, 66, text, language_code=lang)
        labels = [b["text"] for row in choice["reply_markup"]["inline_keyboard"] for b in row]
        assert len(labels) == len(set(labels)) > 1
        assert "/subscribe" in choice["text"]  # how to narrow it down
    assert await subscriptions(bot, 66) == []
    reply = await ask(telegram, 66, "/subscribe Kamianka, Cherkasy oblast")
    assert "Kamianka (Cherkasy oblast)" in reply["text"]
    [kamianka] = await subscriptions(bot, 66)
    assert kamianka.startswith("UA-71:")


async def test_misspellings_ask_alike(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    for text in ("/subscribe Запоріжя", "/subscribe Zaporizha"):
        reply = await ask(telegram, 67, text, language_code="uk")
        assert "можливо, ви мали на увазі" in reply["text"]
        assert buttons(reply)["Запорізька область"] == "sub:UA-23"
    assert await subscriptions(bot, 67) == []


async def test_place_names_take_the_case_the_sentence_needs(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    await start_bot(settings_for())
    reply = await ask(telegram, 68, "/subscribe Харківська область", language_code="uk")
    assert "Ви підписалися на Харківську область." in reply["text"]
    reply = await ask(telegram, 68, "/subscribe Харківщина", language_code="uk")
    assert "Ви вже підписані на Харківську область." in reply["text"]
    await ask(telegram, 68, "/subscribe Буча", language_code="uk")
    reply = await ask(telegram, 68, "/unsubscribe Буча", language_code="uk")
    assert "Ви відписалися від Бучі (Київська область)." in reply["text"]
    reply = await ask(telegram, 68, "/unsubscribe Харківська область", language_code="uk")
    assert "Ви відписалися від Харківської області." in reply["text"]
    reply = await ask(telegram, 69, "/subscribe Белгородская область", language_code="ru")
    assert "Вы подписались на Белгородскую область." in reply["text"]
    reply = await ask(telegram, 70, "/subscribe Kharkiv oblast")  # English does not decline
    assert "Subscribed to Kharkiv oblast." in reply["text"]


async def test_short_and_city_region_names(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    reply = await ask(telegram, 71, "/subscribe Крим", language_code="uk")
    assert "Ви підписалися на Автономну Республіку Крим" in reply["text"]
    reply = await ask(telegram, 72, "/subscribe Moscow")  # a city that is its own region
    assert "Subscribed to Moscow" in reply["text"] and not buttons(reply)
    assert await subscriptions(bot, 71) == ["UA-43"]
    assert await subscriptions(bot, 72) == ["RU-MOW"]


async def test_unsubscribe_with_a_typo_asks_among_your_subscriptions(
    telegram: FakeTelegram, settings_for: Callable[..., Settings], start_bot: Start
) -> None:
    bot = await start_bot(settings_for())
    await ask(telegram, 73, "/subscribe Харківська область", language_code="uk")
    await ask(telegram, 73, "/subscribe Одеська область", language_code="uk")
    reply = await ask(telegram, 73, "/unsubscribe Харкiвська обл", language_code="uk")
    assert "можливо, ви мали на увазі" in reply["text"]
    assert buttons(reply) == {"Харківська область": "unsub:UA-63"}
    assert await subscriptions(bot, 73) == ["UA-63", "UA-51"]  # nothing removed on a guess
    choice = await ask(telegram, 74, "/subscribe Камʼянка", language_code="uk")
    assert "/subscribe Камʼянка, Черкаська область" in choice["text"]
    reply = await ask(telegram, 74, "/subscribe Камʼянка, Черкаська область", language_code="uk")
    assert "Ви підписалися на Кам’янку (Черкаська область)" in reply["text"]
