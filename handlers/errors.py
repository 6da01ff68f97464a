"""The PTB error handler: one log line with the update id; the user sees a short apology."""

from __future__ import annotations

import logging

from telegram import Update

from handlers.common import Context

log = logging.getLogger("strikebot.handlers")


async def on_error(update: object, context: Context) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    log.error("handler failed for update %s: %s: %s", update_id, type(error).__name__, error)
