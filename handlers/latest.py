"""/latest [n]: the newest events in the chat's regions."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.chat import latest as use_case
from handlers.common import Context, chat_ref, now, reply, services


async def latest(update: Update, context: Context) -> None:
    if update.effective_chat is None:
        return
    count = use_case.parse_count(list(context.args or []))
    answer = await use_case.latest(
        services(context).sessions, chat_ref(update), count, now(context)
    )
    await reply(update, answer)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("latest", latest)]
