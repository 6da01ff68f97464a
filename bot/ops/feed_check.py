"""What ``strikebot check-feed`` prints about one feed's items: which would alert, with the
figures as read, and which only update (or repeat) a strike already counted — clustered as the
live bot does, in memory. Pure: the caller fetches, and passes the classifier and the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.classify import Classifier
from bot.cluster.cluster import ClusterConfig, cluster
from bot.cluster.fingerprint import report_tokens
from bot.domain import Article, ChangeKind, Event, Report, Source

MARKS = {ChangeKind.NEW: "ALERT", ChangeKind.UPDATE: "UPDATE", ChangeKind.DUPLICATE: "SAME"}


def _figure(name: str, value: int | None, more: bool) -> str:
    if value is None:
        return f"{name}: not stated"
    return f"{name}: {value}{'+' if more else ''}"


def _details(report: Report) -> str:
    place = report.places[0] if report.places else None
    where = (place.name_en or place.region_en or place.country) if place else "not stated"
    return " · ".join(
        (
            f"where: {where}",
            _figure("killed", report.killed, report.killed_more),
            _figure("injured", report.injured, report.injured_more),
            f"weapon: {report.weapon.value}",
            f"score {report.score:.2f}",
        )
    )


def check_lines(
    articles: Sequence[Article],
    classifier: Classifier,
    config: ClusterConfig,
    now: datetime,
    lang: str | None = None,
) -> list[str]:
    """One line per item (oldest first: as the bot would meet them), details under those that
    count, and the summary: how many would alert, how many only update a counted strike."""
    events: dict[str, Event] = {}
    alerts = updates = 0
    lines = [f"{len(articles)} items"]
    for number, article in enumerate(sorted(articles, key=lambda a: a.published)):
        report = classifier.classify(
            article.title, article.text, article.lang or lang, article.published, now
        )
        change = cluster(
            report,
            report_tokens(article.title, article.text),
            Source(article.source, article.url),
            article.published,
            article.title,
            list(events.values()),
            config,
            f"ev_check{number}",
        )
        mark = MARKS.get(change.kind, "-")
        if change.event is not None and change.kind is not ChangeKind.IGNORED:
            events[change.event.id] = change.event
        alerts += change.kind is ChangeKind.NEW
        updates += change.kind in (ChangeKind.UPDATE, ChangeKind.DUPLICATE)
        lines.append(f"[{mark:6}] {article.published:%Y-%m-%d %H:%M} UTC  {article.title[:100]}")
        if change.kind is not ChangeKind.IGNORED:
            lines.append(f"          {_details(report)}")
    summary = f"{alerts} of {len(articles)} items would alert"
    if updates:
        summary += f" ({updates} more only update a strike already counted)"
    lines.append(summary)
    return lines
