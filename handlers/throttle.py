"""Guards that run before every other handler (group -1): per-user command throttling, and
edited messages are ignored (an edited "/stop" must not act twice).

Typed messages count against ``commands_per_minute``; button presses (walking /settings,
picking a place) have their own window, :data:`BUTTONS_PER_COMMAND` times larger, which only a
script hammering callbacks reaches. A throttled user is told once how long to wait and that
nothing sent meanwhile is acted on."""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler, filters

from bot.chat.conversation import Reply, chat_language
from bot.chat.throttle import Throttle, Verdict
from bot.i18n import t
from handlers.common import Context, chat_ref, reply, services

log = logging.getLogger("strikebot.handlers")
GROUP = -1
BUTTONS_PER_COMMAND = 5


def _throttle(context: Context, buttons: bool) -> Throttle:
    name = "button_throttle" if buttons else "throttle"
    found = context.bot_data.get(name)
    if not isinstance(found, Throttle):
        limit = services(context).settings.telegram.commands_per_minute
        found = Throttle(limit * BUTTONS_PER_COMMAND if buttons else limit)
        context.bot_data[name] = found
    return found


async def guard(update: Update, context: Context) -> None:
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is None or not (update.message or update.callback_query):
        return
    if update.message is not None and filters.StatusUpdate.ALL.check_update(update):
        return  # service messages (migration, members joining) are never throttled
    throttle = _throttle(context, buttons=update.callback_query is not None)
    moment = time.monotonic()
    verdict = throttle.check(user.id, moment)
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        kind = "button presses" if update.callback_query is not None else "commands"
        log.info("user %s is over %d %s a minute: throttled", user.id, throttle.limit, kind)
        lang = await chat_language(services(context).sessions, chat_ref(update))
        seconds = max(1, math.ceil(throttle.wait(user.id, moment)))
        text = t(lang, "throttle.slow_down", n=seconds, num=seconds)
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200], show_alert=True)
        else:
            await reply(update, Reply(text))
    elif update.callback_query is not None:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [TypeHandler(Update, guard)]
