"""Retention: old articles, seen keys, events and finished deliveries are pruned hourly."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.config import RetentionSettings
from bot.store.db import SessionFactory
from bot.store.tables import ArticleRow, DeliveryRow, EventRow

log = logging.getLogger("strikebot.housekeeping")


async def prune(sessions: SessionFactory, retention: RetentionSettings, now: datetime) -> int:
    """Delete what is older than the configured ages; returns the rows removed."""
    removed = 0
    async with sessions.begin() as session:
        result = await session.execute(
            delete(ArticleRow).where(
                ArticleRow.fetched_at < now - timedelta(days=retention.articles_days),
                ArticleRow.processed_at.is_not(None),
            )
        )
        removed += int(getattr(result, "rowcount", 0) or 0)
        result = await session.execute(
            delete(DeliveryRow).where(
                DeliveryRow.created_at < now - timedelta(days=retention.deliveries_days),
                DeliveryRow.status.in_(("sent", "failed", "skipped")),
            )
        )
        removed += int(getattr(result, "rowcount", 0) or 0)
        result = await session.execute(
            delete(EventRow).where(EventRow.last_seen < now - timedelta(days=retention.events_days))
        )
        removed += int(getattr(result, "rowcount", 0) or 0)
    if removed:
        log.info("housekeeping: pruned %d old rows", removed)
    return removed
