"""The fake Bot API server, driven by the real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from .telegram_api import FakeTelegram
from .telegram_html import HtmlError, parse_html
from .telegram_limits import SendLimits, max_in_window

TOKEN = "123:TEST"


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the opt-in, PTB 22 warns (an error here) whenever it builds a RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    # room for a test's worth of messages to one chat; the limit tests build their own fakes
    async with FakeTelegram(TOKEN, private_burst=20) as fake:
        yield fake


def make_bot(tg: FakeTelegram, token: str = TOKEN, read_timeout: float = 5.0) -> Bot:
    def request() -> HTTPXRequest:
        # plain http: skipping the CA bundle saves ~70 ms per client, two clients per Bot
        return HTTPXRequest(
            read_timeout=read_timeout, connect_timeout=1.0, httpx_kwargs={"verify": False}
        )

    return Bot(
        token,
        base_url=tg.base_url,
        base_file_url=tg.base_file_url,
        request=request(),
        get_updates_request=request(),
    )


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with make_bot(tg) as b:  # initialize() calls getMe
        yield b


async def test_get_me(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123, "strikebot_test_bot", True)
    assert tg.calls[0].method == "getMe" and tg.calls[0].status == 200


async def test_send_html_message_records_params_and_entities(tg: FakeTelegram, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Stop", callback_data="unsub:UA-12")]])
    msg = await bot.send_message(
        42,
        '<b>Strike</b> in <a href="https://x.test">Дніпро</a> &amp; <i>region</i>',
        parse_mode="HTML",
        disable_notification=True,
        reply_markup=keyboard,
    )
    assert msg.text == "Strike in Дніпро & region"
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [
        ("bold", 0, 6),
        ("text_link", 10, 6),
        ("italic", 19, 6),
    ]
    assert msg.reply_markup == keyboard and msg.from_user and msg.from_user.is_bot
    [sent] = tg.sent(42)
    assert sent["chat_id"] == 42 and sent["disable_notification"] is True
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "unsub:UA-12"
    assert sent["message_id"] == msg.message_id and tg.messages[msg.message_id]["text"] == msg.text


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", "Can't find end of the tag"),
    ],
)
async def test_bad_html_is_a_bad_request(
    tg: FakeTelegram, bot: Bot, html: str, detail: str
) -> None:
    with pytest.raises(BadRequest, match="parse entities") as caught:
        await bot.send_message(42, html, parse_mode="HTML")
    assert detail.lower() in caught.value.message.lower()  # PTB capitalize()s the description
    assert tg.calls[-1].status == 400 and tg.sent() == []


def test_html_parser_details() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        "<tg-spoiler>s</tg-spoiler><blockquote expandable>q</blockquote>😀<u>u</u>&#33;&nbsp;"
    )
    assert text == "x = 1sq😀u!&nbsp;"
    assert entities == [
        {"type": "pre", "language": "python", "offset": 0, "length": 5},
        {"type": "spoiler", "offset": 5, "length": 1},
        {"type": "expandable_blockquote", "offset": 6, "length": 1},
        {"type": "underline", "offset": 9, "length": 1},  # the emoji is 2 UTF-16 units
    ]
    with pytest.raises(HtmlError, match="byte offset 8"):
        parse_html("Київ<br>")  # offsets count UTF-8 bytes: 'Київ' is 4 characters, 8 bytes


async def test_message_length_and_empty_text(bot: Bot) -> None:
    await bot.send_message(1, "x" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(2, "x" * 4097)
    with pytest.raises(BadRequest, match="text is empty"):
        await bot.send_message(3, "<b></b>", parse_mode="HTML")


async def test_blocked_missing_and_migrated_chats(tg: FakeTelegram, bot: Bot) -> None:
    tg.block(42)
    tg.chat_not_found(43)
    tg.migrate(-555, -100555)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(42, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(43, "hi")
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-555, "hi")
    assert migrated.value.new_chat_id == -100555
    assert [c.status for c in tg.calls[-3:]] == [403, 400, 400]
    tg.clear_failures()
    await bot.send_message(42, "hi again")


async def test_forced_429_is_retry_after(tg: FakeTelegram, bot: Bot) -> None:
    tg.force_429(1, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(42, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    with pytest.raises(RetryAfter):  # inside the retry window: refused again, and counted
        await bot.send_message(42, "hi")
    assert tg.faults.early == 1 and tg.faults.early_chats == {42}
    await bot.send_message(43, "hi")  # other chats are not held back
    assert tg.count("sendMessage", 429) == 2 and tg.sent(42) == [] and len(tg.sent(43)) == 1


async def test_chat_429_and_a_partial_outage(tg: FakeTelegram, bot: Bot) -> None:
    tg.chat_429(42, retry_after=3)
    with pytest.raises(RetryAfter):
        await bot.send_message(42, "hi")
    await bot.send_message(43, "hi")
    tg.failing(1.0, status=502, seconds=30)
    with pytest.raises(NetworkError):
        await bot.send_message(44, "hi")
    tg.clear_failures()
    await bot.send_message(44, "hi")
    assert [len(tg.sent(c)) for c in (42, 43, 44)] == [0, 1, 1]


async def test_private_chat_burst_earns_429() -> None:
    async with FakeTelegram(TOKEN) as tg, make_bot(tg) as bot:  # burst 3, then 1/s
        outcomes = await asyncio.gather(
            *(bot.send_message(42, f"n{i}") for i in range(5)), return_exceptions=True
        )
        limited = [o for o in outcomes if isinstance(o, RetryAfter)]
        assert len(limited) == 2 and tg.count(status=429) == 2
        assert len(tg.sent(42)) == 3  # a 429'd request is not sent
        await bot.send_message(43, "another chat is not limited")


async def test_global_and_group_limits() -> None:
    async with FakeTelegram(TOKEN, global_rate=4) as tg, make_bot(tg) as bot:
        for chat in range(1, 5):
            await bot.send_message(chat, "x")
        with pytest.raises(RetryAfter):
            await bot.send_message(5, "x")
        assert tg.max_rate(1.0) == 4
    async with FakeTelegram(TOKEN, group_per_minute=2) as tg, make_bot(tg) as bot:
        await bot.send_message(-1001, "a")
        await bot.send_message(-1001, "b")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(-1001, "c")
        assert caught.value.retry_after >= dtm.timedelta(seconds=59)  # type: ignore[operator]
        await bot.send_message(-1002, "another group is not limited")


def test_limits_on_a_virtual_clock() -> None:
    limits = SendLimits(global_rate=30, private_burst=3, private_rate=1.0, group_per_minute=20)
    for t in (0.0, 0.1, 0.2):
        assert limits.check(42, t) is None
        limits.record(42, t)
    assert limits.check(42, 0.3) == 1  # bucket empty; one token back by t=1.2
    assert limits.check(42, 1.25) is None
    for i in range(20):
        limits.record(-100, 10 + i)
    assert limits.check(-100, 35.0) == 35  # the first of the 20 leaves the window at t=70
    assert limits.check(-100, 70.0) is None
    for i in range(30):
        limits.record(i + 1000, 80 + i / 100)
    assert limits.check(7, 80.5) == 1 and limits.check(7, 81.0) is None
    assert max_in_window([0, 0.5, 0.99, 1.0, 1.5], 1.0) == 3


async def test_limits_off() -> None:
    async with FakeTelegram(TOKEN, enforce_limits=False) as tg, make_bot(tg) as bot:
        for _ in range(6):
            await bot.send_message(42, "same")
        assert tg.duplicates() == {(42, "same"): 6} and tg.count(status=429) == 0


async def test_get_updates_returns_a_command_ptb_understands(tg: FakeTelegram, bot: Bot) -> None:
    update_id = tg.send_text(42, "/start", language_code="uk")
    [update] = await bot.get_updates(timeout=1)
    assert isinstance(update, Update) and update.update_id == update_id
    assert update.message is not None and update.message.text == "/start"
    assert update.message.entities[0].type == "bot_command"
    assert update.effective_user is not None and update.effective_user.language_code == "uk"
    assert update.message.chat.type == "private"
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()  # confirmed


async def test_long_poll_wakes_on_new_update(tg: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await tg.wait_for(lambda c: c.method == "getMe")
    await asyncio.sleep(0.05)
    started = time.monotonic()
    tg.send_text(-1001, "/latest@strikebot_test_bot", chat_type="supergroup", user_id=7)
    [update] = await poll
    assert time.monotonic() - started < 1
    assert update.message is not None and update.message.chat.type == "supergroup"
    assert update.message.from_user is not None and update.message.from_user.id == 7


async def test_button_press_and_callback_answer(tg: FakeTelegram, bot: Bot) -> None:
    msg = await bot.send_message(42, "menu")
    tg.press_button(42, msg.message_id, "sub:UA-30")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "sub:UA-30"
    assert query.message is not None and query.message.message_id == msg.message_id
    assert await bot.answer_callback_query(query.id, text="ok")
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await bot.answer_callback_query(query.id)


async def test_edits(tg: FakeTelegram, bot: Bot) -> None:
    msg = await bot.send_message(42, "2 injured")
    edited = await bot.edit_message_text("<b>3</b> injured", 42, msg.message_id, parse_mode="HTML")
    assert edited is not True and tg.messages[msg.message_id]["text"] == "3 injured"
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("<b>3</b> injured", 42, msg.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", 42, 9999)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", 43, msg.message_id)  # right id, wrong chat
    reply = await bot.send_message(42, "update", reply_to_message_id=msg.message_id)
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "3 injured"
    with pytest.raises(BadRequest, match="replied not found"):
        await bot.send_message(42, "update", reply_to_message_id=9999)


async def test_stall_exceeds_read_timeout(tg: FakeTelegram) -> None:
    async with make_bot(tg, read_timeout=0.2) as bot:
        tg.stall(1.0, "sendMessage")
        with pytest.raises(TimedOut):
            await bot.send_message(42, "slow")
        tg.stall(0)
        await bot.send_message(42, "fast")


async def test_fail_next_unknown_method_and_wrong_token(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(1, status=502, method="sendMessage")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(42, "x")
    await bot.send_message(42, "x")
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    with pytest.raises(InvalidToken):
        async with make_bot(tg, token="999:WRONG"):
            pass
    assert [c.status for c in tg.calls[-4:]] == [502, 200, 404, 401]


async def test_admins_commands_webhook(tg: FakeTelegram, bot: Bot) -> None:
    tg.set_chat_admins(-1001, [7], creator=8)
    assert (await bot.get_chat_member(-1001, 7)).status == "administrator"
    assert (await bot.get_chat_member(-1001, 8)).status == "creator"
    assert (await bot.get_chat_member(-1001, 9)).status == "member"
    assert [m.user.id for m in await bot.get_chat_administrators(-1001)] == [8, 7]
    assert (await bot.get_chat(-1001)).type == "supergroup"
    await bot.set_my_commands([("start", "Start"), ("latest", "Latest")], language_code="uk")
    assert [c.command for c in await bot.get_my_commands(language_code="uk")] == ["start", "latest"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Bad-Name", "x")])
    await bot.set_webhook("https://example.test/hook")
    assert (await bot.get_webhook_info()).url == "https://example.test/hook"
    assert await bot.delete_webhook(drop_pending_updates=True)


async def test_json_body_and_second_poll_conflict(tg: FakeTelegram) -> None:
    url = f"{tg.base_url}{TOKEN}"
    markup = json.dumps({"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]})
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/SENDMESSAGE", json={"chat_id": "42", "text": "42"}) as r:
            body = await r.json()
        assert body["ok"] and body["result"]["chat"]["id"] == 42 and body["result"]["text"] == "42"
        form = aiohttp.FormData({"chat_id": "42", "text": "hi", "reply_markup": markup})
        form.add_field("document", b"data", filename="a.txt")
        async with http.post(f"{url}/sendMessage", data=form) as r:
            assert (await r.json())["result"]["reply_markup"]["inline_keyboard"][0][0][
                "text"
            ] == "a"
        first = asyncio.create_task(http.get(f"{url}/getUpdates", params={"timeout": "3"}))
        await asyncio.sleep(0.1)  # the first poll is waiting now
        async with http.post(
            f"{url}/getMe", data=b"{", headers={"Content-Type": "application/json"}
        ) as r:
            assert r.status == 400 and not (await r.json())["ok"]
        async with http.get(f"{url}/getUpdates") as second:
            assert (await second.json())["result"] == []
        async with await first as r:
            assert (
                r.status == 409
                and "terminated by other getUpdates" in (await r.json())["description"]
            )


async def test_wait_helpers(tg: FakeTelegram, bot: Bot) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(42, "a")
        await bot.send_message(42, "b")

    task = asyncio.create_task(later())
    sent = await tg.wait_sent(42, count=2, timeout=2)
    assert [s["text"] for s in sent] == ["a", "b"]
    await task
    with pytest.raises(TimeoutError, match=r"sendMessage → 200 chat_id=42 text='b'"):
        await tg.wait_for(lambda c: c.method == "deleteMessage", timeout=0.05)


async def test_application_polls_and_replies(tg: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_html("<b>Hello</b>")

    app = ApplicationBuilder().bot(make_bot(tg)).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10)
        tg.send_text(42, "/start")
        tg.send_text(-1001, "/start@strikebot_test_bot", chat_type="supergroup", user_id=7)
        [private] = await tg.wait_sent(42)
        [group] = await tg.wait_sent(-1001)
        await app.updater.stop()
        await app.stop()
    assert (
        private["text"] == "<b>Hello</b>" and tg.messages[private["message_id"]]["text"] == "Hello"
    )
    assert group["reply_parameters"]["message_id"] == 2  # reply_html quotes in groups
    assert tg.state.updates == []  # both updates were confirmed on shutdown
