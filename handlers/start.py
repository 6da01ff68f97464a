"""/start and /help."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.conversation import Reply, chat_language
from bot.i18n import t
from bot.subscriptions import start_menu
from handlers.common import Context, chat_ref, gazetteer, now, reply, services


async def start(update: Update, context: Context) -> None:
    """Welcome, disclaimer and a keyboard of regions, in the chat's language."""
    if update.effective_chat is None:
        return
    answer = await start_menu(
        services(context).sessions, gazetteer(context), chat_ref(update), now(context)
    )
    await reply(update, answer)


async def help_command(update: Update, context: Context) -> None:
    if update.effective_chat is None:
        return
    lang = await chat_language(services(context).sessions, chat_ref(update))
    await reply(update, Reply(t(lang, "help")))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("start", start), CommandHandler("help", help_command)]
