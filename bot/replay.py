"""``strikebot replay``: JSON Lines through classify + cluster exactly as the live bot does.

Input lines are the ``classify`` input plus ``published`` (ISO 8601) and optional
``source``/``url``. Items are stored as articles and processed in ``published`` order by the
live pipeline's own ``handle_article`` (against a fresh temporary SQLite database unless a
database URL is given). One output line per input line, in input order: every ``classify``
field plus ``event_id`` and ``change``. A bad line yields ``{"id", "error"}``.

With ``explain=True`` every clustered line also carries ``explain``: what the report offered
for matching (place codes, strike time or none, weapons) and each candidate event it was compared
with, best first: ``{"event", "score", "joined", "evidence": [one line per term]}`` (see
:mod:`bot.cluster.matching`). It is the tool to debug clustering with.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.classify import Classifier
from bot.classify.jsonl import Record, parse_record
from bot.classify.jsonl import report_to_dict as report_record
from bot.cluster.cluster import ClusterConfig
from bot.cluster.merge import weapons_named
from bot.domain import EventChange, Report
from bot.pipeline import handle_article
from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.tables import ArticleRow


@dataclass(frozen=True)
class ReplayItem:
    position: int
    id: Any
    title: str
    text: str
    lang: str
    published: datetime
    source: str
    url: str


def parse_item(position: int, line: str) -> ReplayItem | dict[str, Any]:
    """A valid item, or the error record for this line (the same as ``classify`` gives)."""
    record = parse_record(line, need_published=True)
    if not isinstance(record, Record):
        return record
    assert record.published is not None
    return ReplayItem(
        position, record.id, record.title, record.text, record.lang, record.published,
        record.source, record.url,
    )  # fmt: skip


def explanation(report: Report, change: EventChange) -> dict[str, Any]:
    """The ``explain`` field of one output line."""
    return {
        "places": [p.code for p in report.places],
        "event_time": report.event_time.isoformat() if report.event_time else None,
        "weapons": list(weapons_named((), report)),
        "candidates": [
            {
                "event": c.event_id,
                "score": c.score,
                "joined": c.joined,
                "evidence": list(c.evidence),
            }
            for c in change.comparisons
        ],
    }


async def replay(
    lines: Iterable[str],
    classifier: Classifier,
    config: ClusterConfig,
    database_url: str | None = None,
    *,
    explain: bool = False,
) -> list[dict[str, Any]]:
    """Process all lines; returns the output records in input order."""
    records: dict[int, dict[str, Any]] = {}
    items: list[ReplayItem] = []
    for position, line in enumerate(lines):
        if not line.strip():
            continue
        parsed = parse_item(position, line)
        if isinstance(parsed, ReplayItem):
            items.append(parsed)
        else:
            records[position] = parsed
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'replay.sqlite3'}"
        engine = create_engine(url)
        try:
            await upgrade(engine)
            sessions = session_factory(engine)
            for item in sorted(items, key=lambda i: (i.published, i.position)):
                async with sessions.begin() as session:
                    row = ArticleRow(
                        key=f"replay:{item.position}:{item.id}"[:128],
                        source=item.source,
                        url=item.url,
                        title=item.title,
                        text=item.text,
                        lang=item.lang,
                        published=item.published,
                        fetched_at=item.published,
                    )
                    session.add(row)
                    await session.flush()
                    report, change = await handle_article(
                        session, row, classifier, config, item.published
                    )
                record = report_record(item.id, report)
                record["event_id"] = change.event.id if change.event is not None else None
                record["change"] = change.kind.value
                if explain and (report.is_civilian_strike or report.updates_toll):
                    record["explain"] = explanation(report, change)
                records[item.position] = record
        finally:
            await engine.dispose()
    return [records[k] for k in sorted(records)]
