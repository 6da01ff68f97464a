"""The Bot API endpoints, and the outbox sender's own bot."""

from __future__ import annotations

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import Settings


def file_base_url(api_base_url: str) -> str:
    """``https://api.telegram.org/bot`` → ``https://api.telegram.org/file/bot``."""
    base = api_base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


def outbox_bot(settings: Settings) -> Bot:
    """The sender's own bot: its own connection pool and no reply-retry limiter, so alerts
    and command replies never queue behind each other and the sender keeps its 429 policy."""
    base = settings.telegram.api_base_url
    request = HTTPXRequest(
        connection_pool_size=8, connect_timeout=10, read_timeout=15, write_timeout=15
    )
    return Bot(
        settings.telegram.token,
        base_url=base,
        base_file_url=file_base_url(base),
        request=request,
    )
