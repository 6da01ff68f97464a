"""How updates arrive: long polling, kept alive, or a webhook that always has a secret.

:func:`start_updates` starts one or the other. A webhook never runs without a secret: an empty
``[telegram] webhook_secret`` gets a random one, registered with setWebhook at start-up, so a
forged POST to the webhook URL is refused (403).

PTB's polling loop gives up for good on some errors (a 401 from ``getUpdates`` — "Invalid
token" — even a passing one): commands would go unanswered while alerts keep going out and
/healthz stays green. :class:`UpdatePolling` looks every second whether PTB's polling task is
still there; when it is gone it logs one line, restarts polling with back-off (1 s doubling to
:data:`MAX_BACKOFF`), reports ``receiving_updates: false`` in /healthz, and after
``give_up_after`` seconds without updates asks the process to exit non-zero, so a supervisor
(systemd, Docker, Kubernetes) restarts it. One line again when updates flow.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from telegram.ext import Application

from bot.config import TelegramSettings
from bot.errors import ConfigError, one_line
from bot.ops.server import parse_listen

log = logging.getLogger("strikebot.updates")

POLLING_TASK = "Updater:start_polling:polling_task"  # PTB 22's name for its polling task
CHECK_EVERY = 1.0
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
GIVE_UP_AFTER = 600.0  # seconds without a working update poller before the process exits
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


async def start_updates(
    application: Application,  # type: ignore[type-arg]
    telegram: TelegramSettings,
    on_give_up: Callable[[], None],
    give_up_after: float = GIVE_UP_AFTER,
) -> UpdatePolling | None:
    """Long polling (returns its watcher: run it) or, with ``webhook_url``, a webhook."""
    updater = application.updater
    assert updater is not None
    if not telegram.webhook_url:
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        return UpdatePolling(application, ALLOWED_UPDATES, on_give_up, give_up_after=give_up_after)
    host, port = parse_listen(telegram.webhook_listen)
    await updater.start_webhook(
        listen=host,
        port=port,
        url_path=urlsplit(telegram.webhook_url).path.lstrip("/"),
        webhook_url=telegram.webhook_url,
        secret_token=webhook_secret(telegram.webhook_secret),
        allowed_updates=ALLOWED_UPDATES,
    )
    how = (
        "the configured secret"
        if telegram.webhook_secret
        else ("a random secret generated for this run: [telegram] webhook_secret is empty")
    )
    log.info(
        "receiving updates by webhook on %s:%d; requests without %s are refused", host, port, how
    )
    return None


def webhook_secret(configured: str) -> str:
    """The secret Telegram must send with every webhook update: the configured one, or a fresh
    random one — never none, or anyone who finds the URL could post updates "from" an admin."""
    if not configured:
        return secrets.token_urlsafe(32)
    if not WEBHOOK_SECRET.fullmatch(configured):
        raise ConfigError(
            "[telegram] webhook_secret: 1 to 256 characters, only A-Z, a-z, 0-9, _ and -"
        )
    return configured


class UpdatePolling:
    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        allowed_updates: Sequence[str],
        on_give_up: Callable[[], None],
        *,
        give_up_after: float = GIVE_UP_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._application = application
        self._allowed = list(allowed_updates)
        self._on_give_up = on_give_up
        self._give_up_after = give_up_after
        self._clock = clock
        self.down_since: float | None = None
        self._attempts = 0
        self._next_try = 0.0
        self._gave_up = False

    @property
    def receiving(self) -> bool:
        return self.down_since is None

    async def run(self) -> None:
        """Watch until cancelled."""
        while True:
            await asyncio.sleep(CHECK_EVERY)
            try:
                await self.check()
            except Exception as exc:  # boundary: the watcher itself must not die
                log.warning("update polling watch failed: %s: %s", type(exc).__name__, exc)

    async def check(self) -> None:
        if _polling_alive():
            if self.down_since is not None:
                log.info(
                    "receiving updates from Telegram again after %.0f s",
                    self._clock() - self.down_since,
                )
                self.down_since, self._attempts, self._next_try = None, 0, 0.0
            return
        now = self._clock()
        if self.down_since is None:
            self.down_since = now
            log.error(
                "polling Telegram for updates stopped: commands and buttons go unanswered; "
                "restarting it with back-off (alerts still go out)"
            )
        if now - self.down_since >= self._give_up_after:
            if not self._gave_up:
                self._gave_up = True
                log.error(
                    "no updates from Telegram for %.0f s: stopping with exit status 1 so that "
                    "the process supervisor restarts the bot",
                    now - self.down_since,
                )
                self._on_give_up()
            return
        if now < self._next_try:
            return
        self._attempts += 1
        self._next_try = now + min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (self._attempts - 1))
        await self._restart()

    async def _restart(self) -> None:
        updater = self._application.updater
        if updater is None:
            return
        if updater.running:
            try:
                await updater.stop()
            except Exception:  # it re-raises what killed the old loop, half-way through:
                # PTB 22 then leaves its stop signal set, and a new loop would stop at once
                stop_signal = getattr(updater, "_Updater__polling_task_stop_event", None)
                if isinstance(stop_signal, asyncio.Event):
                    stop_signal.clear()
        try:
            await updater.start_polling(allowed_updates=self._allowed, bootstrap_retries=0)
        except Exception as exc:  # boundary: still failing; the next try comes after back-off
            log.debug("restarting update polling failed: %s", _one_line(exc))


def _polling_alive() -> bool:
    return any(task.get_name() == POLLING_TASK for task in asyncio.all_tasks())


def _one_line(exc: Any) -> str:
    return f"{type(exc).__name__}: {one_line(exc, 200)}"
