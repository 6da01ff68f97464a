"""Small helpers shared by handler modules: who is asking, and sending a :class:`Reply`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.chat.conversation import ChatRef, Reply, chat_language
from bot.chat.places import PlaceIndex
from bot.i18n import t
from bot.notify.message_split import split_message, trim_message
from bot.ops.services import Services

Context = ContextTypes.DEFAULT_TYPE
log = logging.getLogger("strikebot.handlers")
T = TypeVar("T")

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
MAX_RETRY_WAIT = 5.0  # a command reply waits out a short 429 once, then gives up
GROUP_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def services(context: Context) -> Services:
    found = context.application.bot_data["services"]
    assert isinstance(found, Services)
    return found


def gazetteer(context: Context) -> PlaceIndex:
    index = services(context).gazetteer
    assert index is not None, "the gazetteer is loaded before the handlers start"
    return index


def now(context: Context) -> datetime:
    return services(context).clock()


def user_lang(update: Update) -> str:
    """The client's language: uk for Ukrainian, ru for Russian clients, else en. Only the first
    answer uses it: a chat's stored language (see ``open_chat``/``chat_language``) wins."""
    user = update.effective_user
    code = (user.language_code or "").lower() if user else ""
    if code.startswith("uk"):
        return "uk"
    if code.startswith("ru"):
        return "ru"
    return "en"


def chat_ref(update: Update) -> ChatRef:
    chat = update.effective_chat
    assert chat is not None
    title = chat.title or chat.username or ""
    return ChatRef(chat.id, chat.type, title, user_lang(update))


def user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


async def can_change(update: Update, context: Context) -> bool:
    """Anyone in a private chat; in a group or channel only its admins (or an anonymous admin).

    A button press is judged by the user who pressed it: the message under the button is the
    bot's own post (in a channel its ``sender_chat`` is the channel itself, whoever presses).
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id  # posted anonymously as the group itself
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.info("cannot check admin rights in chat %s: %s", chat.id, exc)
        return False
    return member.status in GROUP_ADMINS


async def _retrying(send: Callable[[], Awaitable[T]]) -> T:
    """Run a send coroutine factory; one retry after a short 429."""
    try:
        result = await send()
    except RetryAfter as exc:
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        if seconds > MAX_RETRY_WAIT:
            raise
        await asyncio.sleep(seconds)
        result = await send()
    return result


async def reply(update: Update, answer: Reply) -> Message | None:
    """Send ``answer`` as a new message in the update's chat; a text over Telegram's limit
    goes out as several messages (the keyboard under the last)."""
    message = update.effective_message
    if message is None or not answer.text:
        return None
    pieces = split_message(answer.text)
    sent: Message | None = None
    for number, piece in enumerate(pieces, 1):

        async def send(text: str = piece, last: bool = number == len(pieces)) -> Message:
            return await message.reply_text(
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=answer.keyboard if last else None,
                link_preview_options=NO_PREVIEW,
                do_quote=False,
            )

        sent = await _retrying(send)
    return sent


async def answer_button(update: Update, answer: Reply) -> None:
    """Answer a button press: edit the pressed message or send a new one, then the toast."""
    query = update.callback_query
    assert query is not None
    if answer.mode == "edit" and answer.text and isinstance(query.message, Message):
        target = query.message

        async def edit() -> Message | bool:
            return await target.edit_text(
                trim_message(answer.text),
                parse_mode=ParseMode.HTML,
                reply_markup=answer.keyboard,
                link_preview_options=NO_PREVIEW,
            )

        try:
            await _retrying(edit)
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise
    elif answer.mode == "send":
        await reply(update, answer)
    await query.answer(answer.note[:200] if answer.note else None, show_alert=answer.alert)


async def may_change(update: Update, context: Context) -> bool:
    """True when the sender may change this chat; otherwise a polite refusal is sent."""
    if await can_change(update, context):
        return True
    lang = await chat_language(services(context).sessions, chat_ref(update))
    refusal = Reply(
        t(lang, "settings.group_admins_only"), note=t(lang, "settings.group_admins_only")
    )
    log.info("chat %s: user %s is not a group admin; refused", chat_ref(update).id, user_id(update))
    if update.callback_query is not None:
        await update.callback_query.answer(refusal.note, show_alert=True)
    else:
        await reply(update, refusal)
    return False
