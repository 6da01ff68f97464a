"""/subscribe, /unsubscribe, /mysubs, /stop, and a group's move to a supergroup."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.chat import subscriptions
from bot.chat.conversation import ChatRef, Reply
from bot.chat.places import PlaceIndex
from bot.store.db import SessionFactory
from handlers.common import Context, chat_ref, gazetteer, may_change, now, reply, services

#: A use case that changes subscriptions from the command's text.
ChangeByText = Callable[[SessionFactory, PlaceIndex, ChatRef, str, datetime], Awaitable[Reply]]


def _text(context: Context) -> str:
    return " ".join(context.args or [])


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe <place>: one match subscribes; several → a choice; none → suggestions;
    nothing typed → the regions keyboard."""
    await _change(update, context, subscriptions.subscribe_text)


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe <place>: remove it; nothing typed → the current subscriptions to pick."""
    await _change(update, context, subscriptions.unsubscribe_text)


async def _change(update: Update, context: Context, use_case: ChangeByText) -> None:
    if update.effective_chat is None or not await may_change(update, context):
        return
    answer = await use_case(
        services(context).sessions,
        gazetteer(context),
        chat_ref(update),
        _text(context),
        now(context),
    )
    await reply(update, answer)


async def mysubs(update: Update, context: Context) -> None:
    if update.effective_chat is None:
        return
    answer = await subscriptions.list_subscriptions(
        services(context).sessions, gazetteer(context), chat_ref(update), now(context)
    )
    await reply(update, answer)


async def stop(update: Update, context: Context) -> None:
    """/stop: asks before removing every subscription."""
    if update.effective_chat is None or not await may_change(update, context):
        return
    await reply(
        update,
        await subscriptions.stop_ask(services(context).sessions, chat_ref(update), now(context)),
    )


async def migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: its subscriptions and settings move to the new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await subscriptions.migrate(services(context).sessions, old, new, now(context))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler(["subscribe", "sub"], subscribe),
        CommandHandler(["unsubscribe", "unsub"], unsubscribe),
        CommandHandler("mysubs", mysubs),
        CommandHandler("stop", stop),
        MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
    ]
