"""Composition root: settings → engine, HTTP session, scheduler, PTB Application.

The only module that imports ``handlers``. ``StrikeBot.start()`` brings everything up in
order and ``stop()`` takes it down in reverse; SIGTERM/SIGINT call ``stop()`` and the whole
shutdown is bounded (``STOP_TIMEOUT``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TextIO

import aiohttp
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

import handlers
from bot.chat.broadcasts import report_broadcast_progress
from bot.classify import Classifier
from bot.config import Settings
from bot.domain import ChangeKind, EventChange
from bot.errors import StartupError
from bot.geo import Gazetteer, load_gazetteer
from bot.ingest.fetch import make_http_session
from bot.ingest.poller import Poller, make_parse_pool
from bot.ingest.schedule import describe_mode
from bot.notify.dry_run import print_alert
from bot.notify.sender import Sender
from bot.notify.telegram import command_application, outbox_bot
from bot.ops.health import check_health
from bot.ops.jobs import Health, JobGuard
from bot.ops.logs import redact_secrets
from bot.ops.metrics import Metrics
from bot.ops.server import OpsServer
from bot.ops.services import Services, utcnow
from bot.ops.updates import GIVE_UP_AFTER, UpdatePolling, start_updates
from bot.pipeline import Pipeline, cluster_config
from bot.store.db import check_connection, create_engine, session_factory, settle_database_closes
from bot.store.leader import LeaderLock
from bot.store.migrate import ensure_schema
from bot.store.outage import DatabaseOutage
from bot.store.retention import prune

log = logging.getLogger("strikebot")
STOP_TIMEOUT = 8.0
POLL_TICK_SECONDS = 1  # fine enough that a 60 s interval is honoured to the second
POLL_TICK_WAIT = 0.8  # a tick waits this long for its polls; slower ones finish in background


def build_application(settings: Settings, services: Services) -> Application:  # type: ignore[type-arg]
    application = command_application(settings)
    application.bot_data["services"] = services
    handlers.register(application)
    return application


class StrikeBot:
    """The running bot. Use ``await run()`` or ``start()``/``stop()`` (tests)."""

    def __init__(
        self,
        settings: Settings,
        *,
        dry_run: bool = False,
        out: TextIO = sys.stdout,
        clock: Callable[[], datetime] = utcnow,
        gazetteer: Gazetteer | None = None,
        updates_give_up_after: float = GIVE_UP_AFTER,
    ) -> None:
        if not dry_run and not settings.telegram.token:
            raise StartupError(
                "no Telegram bot token: set STRIKEBOT_TELEGRAM_TOKEN (or [telegram] token in "
                f"{settings.source}), or run with --dry-run to print alerts instead of sending"
            )
        self.settings = settings
        self.dry_run = dry_run
        self.out = out
        self.clock = clock
        self._gazetteer = gazetteer
        self.engine: AsyncEngine | None = None
        self.services: Services | None = None
        self.application: Application | None = None  # type: ignore[type-arg]
        self.scheduler: AsyncIOScheduler | None = None
        self.lock: LeaderLock | None = None
        self.http: aiohttp.ClientSession | None = None
        self.poller: Poller | None = None
        self.pipeline: Pipeline | None = None
        self.sender: Sender | None = None
        self.sender_bot: Bot | None = None
        self.health = Health()
        self.metrics = Metrics()
        self.ops: OpsServer | None = None
        self.database_outage = DatabaseOutage()  # one log line per outage, for the whole bot
        self.jobs = JobGuard(self.health, clock, self.database_outage)
        self.stopped = asyncio.Event()
        self.stop_requested = asyncio.Event()  # set by signals, or on losing the database lock
        self._pipeline_lock = asyncio.Lock()
        self._poll_lock = asyncio.Lock()
        self._sender_task: asyncio.Task[None] | None = None
        self._started = False
        self.exit_code = 0  # 1 after giving up on a long Telegram outage (see bot.ops.updates)
        self._updates_give_up_after = updates_give_up_after
        self.update_polling: UpdatePolling | None = None
        self._watch_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        settings = self.settings
        self.engine = create_engine(settings.database.url)
        await check_connection(self.engine)
        await ensure_schema(self.engine)
        self.lock = LeaderLock(self.engine)
        await self.lock.acquire()
        services = Services(
            settings=settings, sessions=session_factory(self.engine), clock=self.clock
        )
        self.services = services
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        await self._start_stages(services)
        if not self.dry_run:
            self.application = build_application(settings, services)
            await self._connect_telegram(self.application.initialize)
            self.sender_bot = outbox_bot(settings)
            await self._connect_telegram(self.sender_bot.initialize)
            self.sender = Sender(
                self.sender_bot,
                services.sessions,
                settings.delivery,
                self.clock,
                on_outcome=lambda outcome, row, now: self.metrics.delivery(
                    outcome, row.first_seen, now
                ),
                database=self.database_outage,
            )
            services.wake_sender = self.sender.wake
            await self.application.start()
            if self.application.post_init is not None:  # PTB calls it only in run_polling()
                self.application.create_task(self.application.post_init(self.application))
            self.update_polling = await start_updates(
                self.application, settings.telegram, self._give_up, self._updates_give_up_after
            )
            if self.update_polling is not None:
                self._watch_task = asyncio.create_task(self.update_polling.run(), name="updates")
            self._sender_task = asyncio.create_task(self.sender.run(), name="sender")
            log.info("connected to Telegram as @%s", self.application.bot.username)
        else:
            log.info("dry run: alerts are printed to stdout, nothing is sent to Telegram")
        self.scheduler.start()
        if settings.server.listen:
            self.ops = OpsServer(settings.server.listen, self.metrics, self.health_check)
            await self.ops.start()
        self._started = True
        enabled = sum(1 for f in settings.feeds if f.enabled)
        log.info("%s", describe_mode(settings.polling))
        log.info(
            "strikebot started: %d of %d config feeds enabled, database %s",
            enabled,
            len(settings.feeds),
            self.engine.url.get_backend_name(),
        )

    async def _connect_telegram(self, initialize: Callable[[], Awaitable[None]]) -> None:
        """getMe (of the Application's bot, or the sender's), with start-up errors an operator
        can act on instead of a traceback that would print the token."""
        base = redact_secrets(self.settings.telegram.api_base_url)
        try:
            await initialize()
        except InvalidToken:
            raise StartupError(
                "Telegram rejected the bot token: check STRIKEBOT_TELEGRAM_TOKEN"
            ) from None
        except TelegramError as exc:  # NetworkError, TimedOut …
            raise StartupError(
                f"cannot reach the Telegram Bot API at {base}: {redact_secrets(str(exc))}"
            ) from None

    def _give_up(self) -> None:
        self.exit_code = 1
        self.stop_requested.set()

    async def health_check(self) -> tuple[bool, dict[str, Any]]:
        """For /healthz: scheduler alive, database reachable, last poll age, outbox backlog."""
        running = self.scheduler is not None and self.scheduler.running
        sessions = self.services.sessions if self.services is not None else None
        polling = self.update_polling
        return await check_health(
            running, sessions, self.health, self.metrics, self.clock(), self.database_outage,
            receiving_updates=polling is None or polling.receiving,
        )  # fmt: skip

    async def _start_stages(self, services: Services) -> None:
        settings = self.settings
        gazetteer = self._gazetteer
        if gazetteer is None:
            gazetteer = await asyncio.to_thread(load_gazetteer)
        services.gazetteer = gazetteer
        classifier = Classifier(gazetteer, threshold=settings.classifier.threshold)
        self.http = make_http_session(settings.polling)
        workers = settings.polling.parse_workers
        self.poller = Poller(
            settings.polling, settings.feeds, services.sessions, self.http, clock=self.clock,
            parse_executor=make_parse_pool(workers) if workers > 0 else None,
        )  # fmt: skip
        self.pipeline = Pipeline(
            services.sessions,
            classifier,
            cluster_config(settings.cluster),
            self.clock,
            on_change=self._print_change if self.dry_run else self._changed,
            plan=not self.dry_run,  # a dry run leaves no deliveries for a later real run
        )
        assert self.scheduler is not None
        self.scheduler.add_job(
            self.jobs.guard("poll", self._poll, writes=True),
            "interval",
            seconds=POLL_TICK_SECONDS,
            max_instances=3,  # an overlapping run returns at once (no "skipped" warnings)
            coalesce=True,
            next_run_time=self.clock(),
        )
        self.scheduler.add_job(
            self.jobs.guard("pipeline", self._process),
            "interval",
            seconds=30,
            max_instances=1,
            coalesce=True,
        )
        if not self.dry_run:

            async def broadcast_progress() -> None:
                if self.application is not None:
                    await report_broadcast_progress(self.application.bot, services.sessions)

            self.scheduler.add_job(
                self.jobs.guard("broadcast_progress", broadcast_progress),
                "interval",
                seconds=5,
                max_instances=1,
                coalesce=True,
            )
        self.scheduler.add_job(
            self.jobs.guard("leadership", self._check_leadership),
            "interval",
            seconds=5,
            max_instances=1,
            coalesce=True,
        )
        self.scheduler.add_job(
            self.jobs.guard("housekeeping", self._housekeeping),
            "interval",
            hours=1,
            max_instances=1,
            coalesce=True,
        )

    async def _poll(self) -> None:
        assert self.poller is not None
        if self._poll_lock.locked():
            return  # the previous tick is still storing; its feeds are not due twice
        async with self._poll_lock:
            stats = await self.poller.tick(wait=POLL_TICK_WAIT)
        self.health.last_poll_ok = self.clock()
        for outcome in ("ok", "not_modified", "failed", "deferred"):
            if count := getattr(stats, outcome):
                self.metrics.polls.labels(outcome).inc(count)
        self.metrics.items_new.inc(stats.new_articles)
        if stats.new_articles:
            await self._process()

    async def _process(self) -> None:
        assert self.pipeline is not None
        async with self._pipeline_lock:
            await self.pipeline.run_pending()

    async def _check_leadership(self) -> None:
        """After a PostgreSQL restart the advisory lock is gone: retake it, or stop if a
        standby took over (two active bots would send alerts twice)."""
        if self.lock is not None and not await self.lock.ensure():
            log.error(
                "another strikebot took over this database while it was unreachable: "
                "stopping this one (restart it to make it a standby)"
            )
            if self.sender is not None:
                await self.sender.stop()
            self.stop_requested.set()

    async def _housekeeping(self) -> None:
        assert self.services is not None
        await prune(self.services.sessions, self.settings.retention, self.clock())

    def _count(self, change: EventChange) -> None:
        self.metrics.events.labels(change.kind.value).inc()
        verdict = (
            "not_strike" if change.kind is ChangeKind.IGNORED and change.event is None else "strike"
        )
        self.metrics.reports.labels(verdict).inc()

    def _changed(self, change: EventChange) -> None:
        self._count(change)
        if self.sender is not None and change.kind in (ChangeKind.NEW, ChangeKind.UPDATE):
            self.sender.wake()

    def _print_change(self, change: EventChange) -> None:
        self._count(change)
        print_alert(change, self.out)

    async def stop(self) -> None:
        """Idempotent; also cleans up after a start that failed or was cancelled half-way."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        if self._started:
            log.info("stopping")
        self._started = False
        try:
            await asyncio.wait_for(self._shutdown(), STOP_TIMEOUT)
        except TimeoutError:
            log.warning("shutdown took longer than %.0f s; exiting anyway", STOP_TIMEOUT)
            await self._dispose()

    async def _shutdown(self) -> None:
        if self.ops is not None:
            await self.ops.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.jobs.cancel_running()
        if self.poller is not None:
            await self.poller.close()
        await settle_database_closes()
        if self.sender is not None:
            await self.sender.stop()
        if self._sender_task is not None:
            self._sender_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender_task
        if self._watch_task is not None:
            self._watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch_task
        if self.application is not None:
            app = self.application
            if app.updater is not None and app.updater.running:
                with contextlib.suppress(TelegramError):  # what stopped a dead polling loop
                    await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        if self.sender_bot is not None:
            await self.sender_bot.shutdown()
        await self._dispose()

    async def _dispose(self) -> None:
        if self.http is not None:
            await self.http.close()
            self.http = None
        if self.lock is not None:
            await self.lock.release()
            self.lock = None
        if self.engine is not None:
            await self.engine.dispose()
            self.engine = None

    async def run(self) -> None:
        """Start, wait for SIGTERM/SIGINT, stop."""
        loop = asyncio.get_running_loop()
        stop_now = self.stop_requested
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop_now.set)
        starting = asyncio.create_task(self.start(), name="start")
        stopping = asyncio.create_task(stop_now.wait(), name="wait-for-signal")
        try:
            await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if starting.done():
                starting.result()  # raise a start-up error
                await stopping
            else:  # a signal while starting (e.g. waiting as a standby)
                starting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await starting
        finally:
            stopping.cancel()
            await self.stop()
