"""Guards that run before every other handler (group -1): per-user command throttling, and
edited messages are ignored (an edited "/stop" must not act twice)."""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler, filters

from bot.conversation import Reply, chat_language
from bot.i18n import t
from bot.throttle import Throttle, Verdict
from handlers.common import Context, chat_ref, reply, services

log = logging.getLogger("strikebot.handlers")
GROUP = -1


def _throttle(context: Context) -> Throttle:
    found = context.bot_data.get("throttle")
    if not isinstance(found, Throttle):
        found = Throttle(services(context).settings.telegram.commands_per_minute)
        context.bot_data["throttle"] = found
    return found


async def guard(update: Update, context: Context) -> None:
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is None or not (update.message or update.callback_query):
        return
    if update.message is not None and filters.StatusUpdate.ALL.check_update(update):
        return  # service messages (migration, members joining) are never throttled
    verdict = _throttle(context).check(user.id, time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        log.info(
            "user %s is over %d commands a minute: throttled", user.id, _throttle(context).limit
        )
        lang = await chat_language(services(context).sessions, chat_ref(update))
        if update.callback_query is not None:
            await update.callback_query.answer(t(lang, "throttle.slow_down"))
        else:
            await reply(update, Reply(t(lang, "throttle.slow_down")))
    elif update.callback_query is not None:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [TypeHandler(Update, guard)]
