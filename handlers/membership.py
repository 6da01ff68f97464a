"""The bot's own membership changes: a user who blocks the bot (or a group that removes it)
stops getting alerts at once, without waiting for a 403; coming back reactivates the chat."""

from __future__ import annotations

from typing import Any

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.chat.membership import bot_membership_changed
from handlers.common import Context, now, services

GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def on_my_chat_member(update: Update, context: Context) -> None:
    change = update.my_chat_member
    if change is None:
        return
    present = change.new_chat_member.status not in GONE
    await bot_membership_changed(
        services(context).sessions, change.chat.id, present, change.new_chat_member.status,
        now(context),
    )  # fmt: skip


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)]
