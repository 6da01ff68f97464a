"""One JSON Lines record in, one out: the contract of ``strikebot classify``.

Input ``{"id", "title", "text", "lang" (optional), "published" (optional ISO 8601)}``; output
``{"id", "is_civilian_strike", "score", "country", "region_code", "region", "place", "killed",
"injured", "children_killed", "weapon", "reasons"}`` with ``null`` for unknowns. A bad line gives
``{"id": <id or null>, "error": "..."}`` (:func:`parse_record`, shared with ``replay``); this
function never raises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.classify.classifier import Classifier
from bot.domain import Report, Weapon


@dataclass(frozen=True, slots=True)
class Record:
    """One valid input line of ``classify``/``replay``."""

    id: str | int | None
    title: str
    text: str
    lang: str
    published: datetime | None
    source: str
    url: str


def parse_record(line: str, *, need_published: bool = False) -> Record | dict[str, object]:
    """A valid record, or the ``{"id", "error"}`` answer for this line — the same checks and
    the same words for ``classify`` and ``replay`` (which also needs ``published``)."""
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"not JSON: {getattr(exc, 'msg', exc)}"}
    except RecursionError:
        return {"id": None, "error": "input nested too deeply"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "line is not a JSON object"}
    item_id = obj.get("id")
    if item_id is not None and (isinstance(item_id, bool) or not isinstance(item_id, str | int)):
        return {"id": None, "error": "'id' must be a string or an integer"}
    fields: dict[str, str] = {}
    for name in ("title", "text", "lang", "source", "url"):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return {"id": item_id, "error": f"'{name}' must be a string"}
        fields[name] = value or ""
    if not (fields["title"] or fields["text"]):
        return {"id": item_id, "error": "'title' or 'text' is required"}
    raw = obj.get("published")
    if raw is None or raw == "":
        if need_published:
            return {"id": item_id, "error": "'published' (ISO 8601) is required"}
        published = None
    else:
        try:
            if not isinstance(raw, str):
                raise ValueError
            published = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except (ValueError, OverflowError):
            return {"id": item_id, "error": f"'published' is not ISO 8601: {str(raw)[:40]!r}"}
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
    return Record(
        item_id,
        **{k: fields[k] for k in ("title", "text", "lang")},
        published=published,
        source=fields["source"],
        url=fields["url"],
    )


def report_to_dict(item_id: object, report: Report) -> dict[str, object]:
    place = report.places[0] if report.places else None
    return {
        "id": item_id,
        "is_civilian_strike": report.is_civilian_strike,
        "score": report.score,
        "country": place.country if place else None,
        "region_code": place.region_code if place else None,
        "region": (place.region_en or None) if place else None,
        "place": (place.name_en or None) if place else None,
        "killed": report.killed,
        "injured": report.injured,
        "children_killed": report.children_killed,
        "weapon": report.weapon.value if isinstance(report.weapon, Weapon) else str(report.weapon),
        "weapons": [w.value for w in report.weapons],
        "reasons": list(report.reasons),
    }


def classify_line(classifier: Classifier, line: str, now: datetime) -> dict[str, object]:
    """Classify one JSON line; errors become ``{"id", "error"}`` instead of exceptions."""
    record = parse_record(line)
    if not isinstance(record, Record):
        return record
    try:
        report = classifier.classify(
            record.title, record.text, record.lang or None, record.published, now
        )
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # never a traceback
        return {"id": record.id, "error": str(exc) or type(exc).__name__}
    return report_to_dict(record.id, report)
