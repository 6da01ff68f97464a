"""Domain objects ↔ JSON-able dicts, for the JSON columns (events.data, articles.report)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import Event, Place, Report, Severity, Source, Weapon


def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_dt(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def place_to_dict(place: Place) -> dict[str, Any]:
    return {
        "country": place.country,
        "region_code": place.region_code,
        "settlement_code": place.settlement_code,
        "name_en": place.name_en,
        "name_uk": place.name_uk,
        "name_ru": place.name_ru,
        "region_en": place.region_en,
        "region_uk": place.region_uk,
        "region_ru": place.region_ru,
    }


def place_from_dict(data: dict[str, Any]) -> Place:
    return Place(
        country=str(data.get("country", "")),
        region_code=data.get("region_code"),
        settlement_code=data.get("settlement_code"),
        **{k: str(data.get(k) or "") for k in _PLACE_NAMES},
    )


_PLACE_NAMES = ("name_en", "name_uk", "name_ru", "region_en", "region_uk", "region_ru")


_FIGURES = (
    "killed",
    "injured",
    "children_killed",
    "children_injured",
    "killed_more",
    "injured_more",
)


def event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "version": event.version,
        "places": [place_to_dict(p) for p in event.places],
        "event_time": _dt(event.event_time),
        "first_seen": _dt(event.first_seen),
        "last_seen": _dt(event.last_seen),
        "weapon": event.weapon.value,
        **{name: getattr(event, name) for name in _FIGURES},
        "objects": list(event.objects),
        "severity": int(event.severity),
        "sources": [[s.name, s.url] for s in event.sources],
        "title": event.title,
        "tokens": sorted(event.tokens),
        "reasons": list(event.reasons),
        "weapons": list(event.weapons),
    }


def event_from_dict(data: dict[str, Any]) -> Event:
    event_time = _parse_dt(data["event_time"])
    first_seen = _parse_dt(data["first_seen"])
    last_seen = _parse_dt(data["last_seen"])
    assert event_time is not None and first_seen is not None and last_seen is not None
    return Event(
        id=data["id"],
        version=int(data["version"]),
        places=tuple(place_from_dict(p) for p in data.get("places", [])),
        event_time=event_time,
        first_seen=first_seen,
        last_seen=last_seen,
        weapon=Weapon(data.get("weapon", "unknown")),
        killed=data.get("killed"),
        injured=data.get("injured"),
        children_killed=data.get("children_killed"),
        children_injured=data.get("children_injured"),
        killed_more=bool(data.get("killed_more")),
        injured_more=bool(data.get("injured_more")),
        objects=tuple(data.get("objects", [])),
        severity=Severity(int(data.get("severity", 1))),
        sources=tuple(Source(name=n, url=u) for n, u in data.get("sources", [])),
        title=data.get("title", ""),
        tokens=frozenset(data.get("tokens", [])),
        reasons=tuple(data.get("reasons", [])),
        weapons=tuple(data.get("weapons", [])),
    )


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "is_civilian_strike": report.is_civilian_strike,
        "score": report.score,
        "places": [place_to_dict(p) for p in report.places],
        **{name: getattr(report, name) for name in _FIGURES},
        "weapon": report.weapon.value,
        "objects": list(report.objects),
        "event_time": _dt(report.event_time),
        "is_old": report.is_old,
        "reasons": list(report.reasons),
    }
