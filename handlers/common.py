"""Small helpers shared by handler modules."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import Services

Context = ContextTypes.DEFAULT_TYPE


def services(context: Context) -> Services:
    found = context.application.bot_data["services"]
    assert isinstance(found, Services)
    return found


def user_lang(update: Update) -> str:
    """uk for Ukrainian (and Russian) clients, else en."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "uk" if code.startswith(("uk", "ru")) else "en"
