"""The optional local HTTP endpoint ([server] listen): /healthz and /metrics."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.errors import ConfigError
from bot.ops.metrics import Metrics

log = logging.getLogger("strikebot.ops")

HealthCheck = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]


def parse_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"[server] listen must look like 127.0.0.1:9108, got {value!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


class OpsServer:
    def __init__(self, listen: str, metrics: Metrics, health: HealthCheck) -> None:
        self.host, self.port = parse_listen(listen)
        self.metrics = metrics
        self.health = health
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        ok, detail = await self.health()
        body = json.dumps({"ok": ok, **detail}, default=str, indent=1)
        return web.Response(status=200 if ok else 503, text=body, content_type="application/json")

    async def _metrics(self, request: web.Request) -> web.Response:
        await self.health()  # refreshes the gauges read at scrape time
        return web.Response(
            body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
