"""The PTB set-ups: the Application that answers commands, and the outbox sender's own bot.

Both talk to the same Bot API endpoint with the same timeouts (:data:`CONNECT_TIMEOUT`,
:data:`READ_TIMEOUT`, :data:`WRITE_TIMEOUT`, written once here)."""

from __future__ import annotations

from telegram import Bot
from telegram.ext import Application

from bot.config import Settings
from bot.notify.aiohttp_request import AiohttpRequest
from bot.notify.reply_retry import ReplyRetry

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 15.0
WRITE_TIMEOUT = 15.0
GET_UPDATES_READ_TIMEOUT = 35.0  # long polling holds getUpdates open for up to 30 s
SENDER_CONNECTIONS = 32  # the sender keeps at most this many requests open (MAX_IN_FLIGHT);
# a slow link needs more, a fast one fewer (sender.max_in_flight sizes from the round trip)


def file_base_url(api_base_url: str) -> str:
    """``https://api.telegram.org/bot`` → ``https://api.telegram.org/file/bot``."""
    base = api_base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


def outbox_bot(settings: Settings) -> Bot:
    """The sender's own bot: its own connection pool (aiohttp: half the CPU of httpx per
    request) and no reply-retry limiter, so alerts and command replies never queue behind
    each other and the sender keeps its 429 policy."""
    base = settings.telegram.api_base_url
    request = AiohttpRequest(
        SENDER_CONNECTIONS, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT
    )
    return Bot(
        settings.telegram.token,
        base_url=base,
        base_file_url=file_base_url(base),
        request=request,
    )


def command_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """The Application whose handlers answer chats: updates handled concurrently, replies
    paced and retried (:class:`ReplyRetry`), no JobQueue (the bot's APScheduler runs every job).
    The caller registers the handlers."""
    base = settings.telegram.api_base_url
    return (
        Application.builder()
        .token(settings.telegram.token)
        .base_url(base)
        .base_file_url(file_base_url(base))
        .concurrent_updates(True)
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .write_timeout(WRITE_TIMEOUT)
        .get_updates_read_timeout(GET_UPDATES_READ_TIMEOUT)
        .rate_limiter(ReplyRetry())
        .job_queue(None)
        .build()
    )
