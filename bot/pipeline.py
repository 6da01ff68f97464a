"""The shell that strings the pure stages: Article → classify → cluster → plan → outbox.

One transaction per article: its verdict, the event change and the outbox rows commit
together, so a crash either did all of it or none of it (the article stays unprocessed and
is taken again).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cluster.cluster import ClusterConfig, cluster
from bot.cluster.fingerprint import report_tokens
from bot.cluster.matching import search_codes
from bot.config import ClusterSettings
from bot.domain import ChangeKind, EventChange, Report, Source
from bot.notify.plan import plan_event
from bot.store import events, outbox
from bot.store.db import SessionFactory
from bot.store.serialize import report_to_dict
from bot.store.tables import ArticleRow

if TYPE_CHECKING:
    from bot.classify import Classifier

log = logging.getLogger("strikebot.pipeline")


def cluster_config(settings: ClusterSettings) -> ClusterConfig:
    """The clustering configuration: the tuned defaults with the operator's ``[cluster]`` keys."""
    return dataclasses.replace(ClusterConfig(), **dataclasses.asdict(settings))


def event_id_for(article_key: str) -> str:
    """Stable: the same first report always gives the same event id."""
    return "ev_" + hashlib.sha1(article_key.encode("utf-8")).hexdigest()[:16]


def candidate_codes(report: Report) -> set[str]:
    """The index nodes to search (:func:`~bot.cluster.matching.search_codes`; empty: none named)."""
    return set(search_codes(report.places))


async def enqueue_change(
    session: AsyncSession, change: EventChange, now: datetime, first_seen: datetime
) -> int:
    """Outbox rows for a new/updated event, in the caller's transaction."""
    event = change.event
    if event is None or change.kind not in (ChangeKind.NEW, ChangeKind.UPDATE):
        return 0
    recipients = await outbox.recipients_for(session, event)
    states = await outbox.alert_states(session, event.id)
    waiting = {chat for chat, state in states.items() if state == "pending"}
    return await outbox.add_deliveries(
        session, plan_event(change, recipients, states, waiting), now, first_seen
    )


async def handle_article(
    session: AsyncSession,
    row: ArticleRow,
    classifier: Classifier,
    config: ClusterConfig,
    now: datetime,
    *,
    plan: bool = True,
) -> tuple[Report, EventChange]:
    """Classify and cluster one stored article, store the outcome (no commit)."""
    report = classifier.classify(row.title, row.text, row.lang or None, row.published, now)
    change = EventChange(ChangeKind.IGNORED, None)
    if report.is_civilian_strike or report.updates_toll:
        when = report.event_time or row.published
        window = timedelta(hours=config.window_hours)
        found = await events.candidates(session, candidate_codes(report), when, window)
        change = cluster(
            report,
            report_tokens(row.title, row.text),
            Source(name=row.source, url=row.url),
            row.published,
            row.title,
            found,
            config,
            event_id_for(row.key),
        )
        await events.save_change(
            session, change, article_id=row.id, first_seen=row.fetched_at, now=now
        )
        if plan:
            await enqueue_change(session, change, now, row.fetched_at)
    row.processed_at = now
    row.is_strike = report.is_civilian_strike
    row.score = report.score
    row.reasons = list(report.reasons)
    row.report = report_to_dict(report)
    row.event_id = change.event.id if change.event is not None else None
    row.change = change.kind.value
    return report, change


@dataclass
class Pipeline:
    sessions: SessionFactory
    classifier: Classifier
    config: ClusterConfig
    clock: Callable[[], datetime]
    on_change: Callable[[EventChange], None] | None = None  # dry run prints; live wakes sender
    batch: int = 200
    plan: bool = True  # False (dry run): events are recorded, no outbox rows are written

    async def run_pending(self) -> int:
        """Process every unprocessed article, oldest publication first."""
        done = 0
        while True:
            async with self.sessions() as session:
                ids = list(
                    (
                        await session.execute(
                            select(ArticleRow.id)
                            .where(ArticleRow.processed_at.is_(None))
                            .order_by(ArticleRow.published, ArticleRow.id)
                            .limit(self.batch)
                        )
                    ).scalars()
                )
            if not ids:
                return done
            for article_id in ids:
                change = await self._one(article_id)
                done += 1
                if change is not None and self.on_change is not None:
                    self.on_change(change)

    async def _one(self, article_id: int) -> EventChange | None:
        async with self.sessions() as session, session.begin():
            row = await session.get(ArticleRow, article_id)
            if row is None or row.processed_at is not None:
                return None
            _, change = await handle_article(
                session, row, self.classifier, self.config, self.clock(), plan=self.plan
            )
        if change.kind in (ChangeKind.NEW, ChangeKind.UPDATE) and change.event is not None:
            log.info(
                "event %s %s (v%d) from article %d",
                change.event.id,
                change.kind.value,
                change.event.version,
                article_id,
            )
        return change
