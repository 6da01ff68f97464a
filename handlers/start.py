"""/start and /help."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler, CommandHandler

from bot.chat.conversation import Reply, chat_language
from bot.chat.subscriptions import start_menu
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from handlers.common import Context, chat_ref, gazetteer, now, reply, services

log = logging.getLogger("strikebot.handlers")
MENU = ("start", "subscribe", "unsubscribe", "mysubs", "latest", "settings", "stop", "help")


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


async def publish_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu, in every language: the application's ``post_init``, run once at start
    in the background (a failure costs only the menu)."""
    for lang in LANGUAGES:
        menu = [BotCommand(name, t(lang, f"command.{name}")) for name in MENU]
        code = None if lang == DEFAULT_LANGUAGE else lang
        try:
            await application.bot.set_my_commands(menu, language_code=code)
        except TelegramError as exc:
            log.warning("could not publish the command menu (%s): %s", lang, exc)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("start", start), CommandHandler("help", help_command)]
