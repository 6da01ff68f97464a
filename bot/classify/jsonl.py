"""One JSON Lines record in, one out: the contract of ``strikebot classify``.

Input ``{"id", "title", "text", "lang" (optional), "published" (optional ISO 8601)}``; output
``{"id", "is_civilian_strike", "score", "country", "region_code", "region", "place", "killed",
"injured", "children_killed", "weapon", "reasons"}`` with ``null`` for unknowns. A bad line gives
``{"id": <id or null>, "error": "..."}``; this function never raises.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.classify.classifier import Classifier
from bot.domain import Report, Weapon


def _parse_time(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("'published' must be an ISO 8601 string")
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _text_field(obj: dict[str, object], key: str, required: bool) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string")
    return value


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
    item_id: object = None
    try:
        obj = json.loads(line)
        if not isinstance(obj, dict):
            return {"id": None, "error": "line is not a JSON object"}
        item_id = obj.get("id")
        if item_id is not None and not isinstance(item_id, str | int):
            item_id = None
            raise ValueError("'id' must be a string or an integer")
        title = _text_field(obj, "title", required=False)
        text = _text_field(obj, "text", required=False)
        if not title and not text:
            raise ValueError("'title' or 'text' is required")
        lang = obj.get("lang")
        if lang is not None and not isinstance(lang, str):
            raise ValueError("'lang' must be a string")
        published = _parse_time(obj.get("published"))
        report = classifier.classify(title, text, lang or None, published, now)
        return report_to_dict(item_id, report)
    except (ValueError, TypeError, OverflowError) as exc:
        return {"id": item_id, "error": str(exc) or type(exc).__name__}
    except RecursionError:
        return {"id": item_id, "error": "input nested too deeply"}
