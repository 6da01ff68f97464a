"""``strikebot replay``: JSON Lines through classify + cluster exactly as the live bot does.

Input lines are the ``classify`` input plus ``published`` (ISO 8601) and optional
``source``/``url``. Items are stored as articles and processed in ``published`` order by the
live pipeline's own ``handle_article`` (against a fresh temporary SQLite database unless a
database URL is given). One output line per input line, in input order: every ``classify``
field plus ``event_id`` and ``change``. A bad line yields ``{"id", "error"}``.

With ``explain=True`` every clustered line also carries ``explain``: what the report offered
for matching (place codes, strike time or none, weapons) and each candidate event it was compared
with, best first: ``{"event", "score", "joined", "evidence": [one line per term]}`` (see
:mod:`bot.matching`). It is the tool to debug clustering with.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.classify import Classifier
from bot.classify.jsonl import report_to_dict as report_record
from bot.cluster import ClusterConfig
from bot.domain import EventChange, Report
from bot.merging import weapons_named
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
    """A valid item, or the error record for this line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not JSON: {exc.msg}"}
    if not isinstance(data, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    item_id = data.get("id")
    fields = {k: data.get(k, "") for k in ("title", "text", "lang", "source", "url")}
    for name, value in fields.items():
        if value is None:
            fields[name] = ""
        elif not isinstance(value, str):
            return {"id": item_id, "error": f"'{name}' must be a string"}
    if not (fields["title"] or fields["text"]):
        return {"id": item_id, "error": "'title' or 'text' is required"}
    raw = data.get("published")
    if not isinstance(raw, str):
        return {"id": item_id, "error": "'published' (ISO 8601) is required"}
    try:
        published = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return {"id": item_id, "error": f"'published' is not ISO 8601: {raw[:40]!r}"}
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return ReplayItem(
        position,
        item_id,
        fields["title"],
        fields["text"],
        fields["lang"],
        published,
        fields["source"],
        fields["url"],
    )


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
