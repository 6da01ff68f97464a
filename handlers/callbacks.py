"""Inline button presses: one handler, routed by the callback grammar in ``bot.chat.menus``.

Unknown, stale or forged data gets a polite toast and changes nothing; presses that change a
group need a group admin; broadcast buttons need a bot admin.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.chat import broadcasts, latest, menus, subscriptions
from bot.chat import settings as chat_settings
from bot.chat.conversation import Reply, chat_language
from bot.i18n import t
from handlers.common import (
    Context,
    answer_button,
    chat_ref,
    gazetteer,
    may_change,
    now,
    services,
    user_id,
)

log = logging.getLogger("strikebot.handlers")
Route = Callable[[Update, Context, menus.Callback], Awaitable[Reply | None]]
WHY_REPOST_SECONDS = 120.0  # a group gets one "Why this alert?" post per alert in this time
SETTING_FIELDS = {"severity": "min_severity", "updates": "updates", "language": "lang"}


async def _subscribe(update: Update, context: Context, cb: menus.Callback) -> Reply:
    return await subscriptions.subscribe_code(
        services(context).sessions, gazetteer(context), chat_ref(update), cb.arg, now(context)
    )


async def _unsubscribe(update: Update, context: Context, cb: menus.Callback) -> Reply:
    return await subscriptions.unsubscribe_code(
        services(context).sessions, gazetteer(context), chat_ref(update), cb.arg, now(context)
    )


async def _regions(update: Update, context: Context, cb: menus.Callback) -> Reply | None:
    lang = await chat_language(services(context).sessions, chat_ref(update))
    menu = subscriptions.regions_menu(gazetteer(context), lang, cb.arg, cb.number)
    if menu is None:
        return None
    return Reply(menu.text, menu.keyboard, mode="send" if cb.action == "more" else "edit")


async def _countries(update: Update, context: Context, cb: menus.Callback) -> Reply:
    lang = await chat_language(services(context).sessions, chat_ref(update))
    menu = subscriptions.countries_menu(gazetteer(context), lang, cb.number)
    return Reply(menu.text, menu.keyboard, mode="edit")


async def _setting(update: Update, context: Context, cb: menus.Callback) -> Reply:
    field = SETTING_FIELDS.get(cb.action, "quiet")
    value: object = int(cb.arg) if field == "min_severity" else None if field == "quiet" else cb.arg
    wanted = chat_settings.Change(field, value)
    return await chat_settings.press(
        services(context).sessions, chat_ref(update), wanted, now(context)
    )


async def _stop(update: Update, context: Context, cb: menus.Callback) -> Reply:
    yes = cb.arg == "yes"
    return await subscriptions.stop_answer(
        services(context).sessions, chat_ref(update), yes, now(context)
    )


async def _broadcast(update: Update, context: Context, cb: menus.Callback) -> Reply | None:
    s, admin_id = services(context), user_id(update)
    if admin_id is None or not s.is_admin(admin_id):
        log.warning("refused broadcast button from non-admin user %s", admin_id)
        lang = await chat_language(s.sessions, chat_ref(update))
        return Reply("", mode="none", note=t(lang, "admin.refused"))
    if cb.arg == "no":
        return await broadcasts.cancel(
            s.sessions, chat_ref(update), admin_id, cb.number, now(context)
        )
    message = update.callback_query.message if update.callback_query else None
    answer, queued = await broadcasts.confirm(
        s.sessions, chat_ref(update), admin_id, cb.number,
        message.message_id if message is not None else None, now(context),
    )  # fmt: skip
    if queued:
        s.wake_sender()
    return answer


async def _why(update: Update, context: Context, cb: menus.Callback) -> Reply | None:
    """In a channel: a pop-up, never a post. In a group: one post per alert every
    ``WHY_REPOST_SECONDS``; presses in between get the pop-up."""
    ref = chat_ref(update)
    posted: dict[str, float] = (
        context.chat_data.setdefault("why_posted", {}) if (context.chat_data is not None) else {}
    )
    clock = time.monotonic()
    recent = ref.type != "private" and clock - posted.get(cb.arg, -WHY_REPOST_SECONDS) < (
        WHY_REPOST_SECONDS
    )
    answer = await latest.why(
        services(context).sessions, gazetteer(context), ref, cb.arg, popup=recent
    )
    if answer is not None and answer.mode == "send" and ref.type != "private":
        posted[cb.arg] = clock
    return answer


async def _mute(update: Update, context: Context, cb: menus.Callback) -> Reply | None:
    return await latest.mute_choice(
        services(context).sessions, gazetteer(context), chat_ref(update), cb.arg
    )


ROUTES: dict[str, tuple[Route, bool]] = {  # action → (route, changes the chat)
    "sub": (_subscribe, True),
    "unsub": (_unsubscribe, True),
    "regions": (_regions, False),
    "more": (_regions, False),
    "countries": (_countries, False),
    "severity": (_setting, True),
    "updates": (_setting, True),
    "language": (_setting, True),
    "quiet": (_setting, True),
    "stop": (_stop, True),
    "broadcast": (_broadcast, False),
    "why": (_why, False),
    "mute": (_mute, False),
}


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    cb = menus.parse(query.data)
    route = ROUTES.get(cb.action) if cb is not None else None
    if cb is None or route is None:
        log.info("ignored unknown callback data from user %s", user_id(update))
        await _stale(update, context)
        return
    handler, changes = route
    if changes and not await may_change(update, context):
        return
    answer = await handler(update, context, cb)
    if answer is None:
        await _stale(update, context)
        return
    await answer_button(update, answer)


async def _stale(update: Update, context: Context) -> None:
    lang = await chat_language(services(context).sessions, chat_ref(update))
    assert update.callback_query is not None
    await update.callback_query.answer(t(lang, "error.stale"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(on_button)]
