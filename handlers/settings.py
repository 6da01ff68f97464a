"""/settings: show the chat's settings, or change one (``/settings quiet 23:00-07:00``)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.chat import settings as chat_settings
from handlers.common import Context, chat_ref, may_change, now, reply, services


async def settings(update: Update, context: Context) -> None:
    if update.effective_chat is None:
        return
    sessions, ref = services(context).sessions, chat_ref(update)
    wanted = chat_settings.parse_change(list(context.args or []))
    if wanted is None:
        await reply(update, await chat_settings.show(sessions, ref, now(context)))
        return
    if not await may_change(update, context):
        return
    await reply(update, await chat_settings.change(sessions, ref, wanted, now(context)))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("settings", settings)]
