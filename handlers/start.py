"""/start and /help."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import t
from handlers.common import Context, user_lang


async def start(update: Update, context: Context) -> None:
    if update.effective_message is None:
        return
    lang = user_lang(update)
    text = "\n".join((t(lang, "start.welcome"), t(lang, "start.disclaimer"), t(lang, "start.choose")))
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def help_command(update: Update, context: Context) -> None:
    if update.effective_message is None:
        return
    lang = user_lang(update)
    await update.effective_message.reply_text(t(lang, "help"), parse_mode=ParseMode.HTML)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("start", start), CommandHandler("help", help_command)]
