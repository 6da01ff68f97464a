"""Bot admins' commands: /broadcast, /stats, /feeds, /addfeed, /delfeed, /channel.

Every one of them from anyone not in ``[telegram] admins`` gets a polite refusal, is logged,
and changes nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.chat import admin, broadcasts
from bot.chat.conversation import Reply, chat_language
from bot.i18n import t
from handlers.common import Context, chat_ref, gazetteer, now, reply, services, user_id

log = logging.getLogger("strikebot.admin")
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def admins_only(command: str) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def checked(update: Update, context: Context) -> None:
            if update.effective_chat is None:
                return
            if not services(context).is_admin(user_id(update)):
                log.warning("refused /%s from non-admin user %s", command, user_id(update))
                lang = await chat_language(services(context).sessions, chat_ref(update))
                await reply(update, Reply(t(lang, "admin.refused")))
                return
            await handler(update, context)

        return checked

    return wrap


def _rest(update: Update) -> str:
    """The text after the command, as typed (line breaks kept, unlike ``context.args``)."""
    text = update.effective_message.text if update.effective_message else None
    parts = (text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


@admins_only("broadcast")
async def broadcast(update: Update, context: Context) -> None:
    """/broadcast [region:UA-12] <text> → preview with the recipient count and Confirm/Cancel."""
    admin_id = user_id(update)
    assert admin_id is not None
    answer = await broadcasts.draft(
        services(context).sessions, gazetteer(context), chat_ref(update), admin_id,
        _rest(update), now(context),
    )  # fmt: skip
    await reply(update, answer)


@admins_only("stats")
async def stats(update: Update, context: Context) -> None:
    s = services(context)
    await reply(
        update, await admin.stats(s.sessions, gazetteer(context), chat_ref(update), now(context))
    )


@admins_only("feeds")
async def feeds(update: Update, context: Context) -> None:
    await reply(
        update, await admin.feeds(services(context).sessions, chat_ref(update), now(context))
    )


@admins_only("addfeed")
async def addfeed(update: Update, context: Context) -> None:
    """/addfeed <url> [name]: fetched and parsed once before it is added."""
    args = list(context.args or [])
    url, name = (args[0], " ".join(args[1:])) if args else ("", "")
    s = services(context)
    answer = await admin.add_feed(
        s.sessions, s.settings.polling, chat_ref(update), url, name, now(context)
    )
    await reply(update, answer)


@admins_only("delfeed")
async def delfeed(update: Update, context: Context) -> None:
    answer = await admin.delete_feed(
        services(context).sessions, chat_ref(update), " ".join(context.args or []), now(context)
    )
    await reply(update, answer)


@admins_only("channel")
async def channel(update: Update, context: Context) -> None:
    """/channel <region> <@channel|id>: post that region's alerts to a channel."""
    answer = await admin.register_channel(
        context.bot, services(context).sessions, gazetteer(context), chat_ref(update),
        list(context.args or []), now(context),
    )  # fmt: skip
    await reply(update, answer)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("broadcast", broadcast),
        CommandHandler("stats", stats),
        CommandHandler("feeds", feeds),
        CommandHandler("addfeed", addfeed),
        CommandHandler("delfeed", delfeed),
        CommandHandler("channel", channel),
    ]
