"""The PTB error handler: one log line with the update id; the user sees a short apology."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update

from bot.i18n import t
from handlers.common import Context, user_lang

log = logging.getLogger("strikebot.handlers")


async def on_error(update: object, context: Context) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    log.error("handler failed for update %s: %s: %s", update_id, type(error).__name__, error)
    if isinstance(update, Update) and update.effective_message is not None:
        with contextlib.suppress(Exception):  # the apology must never raise in turn
            await update.effective_message.reply_text(t(user_lang(update), "error.generic"))
