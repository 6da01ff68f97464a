"""Unknown commands and free text get a short help, not silence (private chats; in a group
only commands addressed to this bot)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.chat.conversation import Reply, chat_language
from bot.i18n import t
from handlers.common import Context, chat_ref, reply, services


async def short_help(update: Update, context: Context) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    if chat.type != ChatType.PRIVATE:
        command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
        if not command.lower().endswith("@" + (context.bot.username or "").lower()):
            return  # another bot's command, or chatter: not ours to answer
    lang = await chat_language(services(context).sessions, chat_ref(update))
    await reply(update, Reply(t(lang, "help.short")))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered last: only what no other handler took gets here."""
    return [
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, short_help),
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.ChatType.PRIVATE
            & ~filters.COMMAND
            & ~filters.StatusUpdate.ALL,
            short_help,
        ),
    ]
