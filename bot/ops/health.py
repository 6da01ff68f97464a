"""What /healthz reports: scheduler alive, database reachable, last poll age, outbox backlog."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from bot.ops.jobs import Health
from bot.ops.metrics import Metrics
from bot.store import outbox
from bot.store.db import SessionFactory
from bot.store.outage import DatabaseOutage


async def check_health(
    scheduler_running: bool,
    sessions: SessionFactory | None,
    health: Health,
    metrics: Metrics,
    now: datetime,
    outage: DatabaseOutage | None = None,
    *,
    receiving_updates: bool = True,
) -> tuple[bool, dict[str, Any]]:
    """(healthy, details); also refreshes the gauges read at scrape time. Unhealthy too while
    writes fail (a full disk still answers the read below)."""
    detail: dict[str, Any] = {"scheduler": scheduler_running, "failing_jobs": health.failing}
    database_ok = False
    if sessions is not None:
        try:
            async with asyncio.timeout(3), sessions() as session:
                backlog = await outbox.backlog(session)
            database_ok = True
            detail["outbox_backlog"] = backlog
            metrics.backlog.set(backlog)
        except Exception as exc:  # boundary: report, don't raise
            detail["database_error"] = type(exc).__name__
    if outage is not None and outage.down:
        database_ok = False
        detail["database_error"] = outage.reason or "writes failing"
    detail["database"] = database_ok
    last = health.last_poll_ok
    age = None if last is None else (now - last).total_seconds()
    detail["last_poll_age_seconds"] = age
    if age is not None:
        metrics.last_poll_age.set(age)
    detail["receiving_updates"] = receiving_updates  # commands and buttons get answered
    return scheduler_running and database_ok and receiving_updates, detail
