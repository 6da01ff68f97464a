"""Clustering: does a Report start a new Event, update one, repeat one, or not count at all?

Pure (standard library and :mod:`bot.domain`/:mod:`bot.similarity` only; ``published`` is the
clock). The store finds candidate events by index (same region codes or country, event time
within the window); :func:`cluster` checks everything again itself.

Outcome (:class:`bot.domain.ChangeKind`)
----------------------------------------
* **IGNORED** (``event`` is None): the report is not a civilian strike; or it is about an old
  event (``report.is_old``: anniversaries, "died in hospital weeks later"); or its stated event
  time lies more than ``window_hours`` before its publication. Such reports never create events.
  A report that only raises a toll (``report.updates_toll``: "у Кривому Розі загиблих вже 20")
  may update or repeat a matching event; matching none, it is ignored too.
* **NEW**: no candidate matches. ``id = new_id``, version 1, severity from the figures.
* **UPDATE**: the report matched, and after merging a figure rose past the thresholds: killed by
  ``update_min_killed_rise``; injured by ``update_min_injured_rise`` *or* by
  ``update_min_injured_ratio`` of the previous figure (so 50 → 51 is folded silently, 2 → 3 is
  not; the first injured figure of an event always counts); children killed or injured by
  ``update_min_children_rise``; or the weapon went from unknown to known. Version + 1,
  ``what_changed`` names the fields in the order killed, injured, children, weapon.
* **DUPLICATE**: it matched and nothing rose enough. The merged event is still returned (new
  sources, silently folded figures), with the version unchanged.

When a report matches an event
------------------------------
All of these must hold:

1. **Place.** Both name settlements → they must share one. Otherwise, both name regions (a
   settlement counts for its region) → they must share one: "region level". Otherwise both
   name only countries, or one side names no place at all → "country level".
2. **Time.** The report's time is ``report.event_time`` when stated (a time in the future of
   ``published`` is clamped to it), else ``published``. It must lie within ``window_hours`` of
   the event's time. When *both* times are stated and differ by more than ``split_hours``, they
   are two strikes (the morning and the evening attack on one city). An event's time counts as
   stated when it differs from its ``first_seen`` (an event made from a report without a time
   cue gets ``event_time == first_seen``; a later report that states the time sets it).
3. **Weapon.** Unknown fits anything. Otherwise the same family: missiles (ballistic, cruise,
   unspecified missile), aviation (airstrike, glide bomb), ground fire (artillery, MLRS), drones.
   A drone attack and a glide-bomb strike are two events.
4. **Content** (:func:`bot.similarity.overlap` of the fingerprints). Same settlement: not needed
   within ``settlement_free_hours`` (a third of real same-strike pairs are in different languages
   and share no word), else ≥ ``similarity_threshold``. Region level: not needed within
   ``region_free_hours``, else ≥ ``similarity_threshold``. Country level: always
   ≥ ``strong_similarity_threshold``.

Among matching candidates the best score wins: place level (settlement 3, region 2, country 1)
+ similarity + closeness in time (up to 0.5) + 0.25 when both weapons are known and equal.

Merging
-------
Figures are the maximum per field, never a sum; a ``*_more`` flag comes with the figure that won
(ties: either flag). The weapon is the most specific (:data:`bot.domain.WEAPON_SPECIFICITY`; a tie
keeps the event's). Places, objects and reasons are unions in order of first mention; places
are deduplicated by code. Sources are appended unless one with the same name (case-insensitive)
or URL is already there. ``last_seen`` moves forward; fingerprints are united up to
``max_event_tokens``. Severity is recomputed from the merged figures (:func:`severity_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from bot.domain import (
    WEAPON_SPECIFICITY,
    ChangeKind,
    Event,
    EventChange,
    Place,
    Report,
    Severity,
    Source,
    Weapon,
)
from bot.merging import max_figure, max_opt, rise, union, union_places, union_sources
from bot.similarity import merge_tokens, overlap, report_tokens

__all__ = [
    "ClusterConfig",
    "cluster",
    "report_tokens",
    "severity_of",
    "weapon_family",
]

_T = TypeVar("_T")

_FAMILIES: dict[Weapon, str] = {
    Weapon.BALLISTIC_MISSILE: "missile",
    Weapon.CRUISE_MISSILE: "missile",
    Weapon.MISSILE: "missile",
    Weapon.AIRSTRIKE: "aviation",
    Weapon.GLIDE_BOMB: "aviation",
    Weapon.ARTILLERY: "ground",
    Weapon.MLRS: "ground",
    Weapon.DRONE: "drone",
}

_SETTLEMENT, _REGION, _COUNTRY, _NOWHERE = 3, 2, 1, 0


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    window_hours: float = 48.0
    similarity_threshold: float = 0.3  # overlap; see bot.similarity for the measurement
    strong_similarity_threshold: float = 0.5  # country-level matches
    split_hours: float = 6.0  # both times stated and further apart: two strikes
    settlement_free_hours: float = 24.0  # same settlement: no content check within this gap
    region_free_hours: float = 6.0  # region level: no content check within this gap
    update_min_killed_rise: int = 1
    update_min_injured_rise: int = 5
    update_min_injured_ratio: float = 0.10
    update_min_children_rise: int = 1
    mass_casualty_killed: int = 10
    mass_casualty_total: int = 30
    mass_casualty_children_killed: int = 3
    max_event_tokens: int = 256


def severity_of(
    killed: int | None,
    injured: int | None,
    children_killed: int | None,
    children_injured: int | None,
    objects: Sequence[str] = (),
    *,
    mass_killed: int = 10,
    mass_total: int = 30,
    mass_children_killed: int = 3,
) -> Severity:
    """CRITICAL: killed ≥ ``mass_killed``, killed + injured ≥ ``mass_total`` or children killed
    ≥ ``mass_children_killed``. HIGH: anyone killed. MEDIUM: anyone injured. LOW: damage only.

    ``objects`` do not raise the level: what users filter on is harm to people, and a hit
    hospital without casualties is still shown (LOW is the default minimum)."""
    del objects  # part of the signature so callers need not change if objects ever count
    k = max(killed or 0, children_killed or 0)
    i = max(injured or 0, children_injured or 0)
    if k >= mass_killed or k + i >= mass_total or (children_killed or 0) >= mass_children_killed:
        return Severity.CRITICAL
    if k > 0:
        return Severity.HIGH
    if i > 0:
        return Severity.MEDIUM
    return Severity.LOW


def weapon_family(weapon: Weapon) -> str | None:
    """ "missile", "aviation", "ground", "drone"; None for unknown."""
    return _FAMILIES.get(weapon)


def cluster(
    report: Report,
    tokens: frozenset[str],
    source: Source,
    published: datetime,
    title: str,
    candidates: Sequence[Event],
    config: ClusterConfig,
    new_id: str,
) -> EventChange:
    """Decide what one report means; see the module docstring for the rules."""
    if not (report.is_civilian_strike or report.updates_toll) or report.is_old:
        return EventChange(ChangeKind.IGNORED, None)
    window = timedelta(hours=config.window_hours)
    stated = report.event_time is not None
    when = min(report.event_time, published) if report.event_time is not None else published
    if published - when > window:
        return EventChange(ChangeKind.IGNORED, None)

    best: Event | None = None
    best_score = -1.0
    where = _Where.of(report.places)
    for event in candidates:
        score = _match_score(report, where, tokens, when, stated, event, config)
        if score is not None and score > best_score:
            best, best_score = event, score
    if best is None:
        if not report.is_civilian_strike:
            return EventChange(ChangeKind.IGNORED, None)  # a bare toll starts nothing
        return EventChange(
            ChangeKind.NEW,
            _new_event(report, tokens, source, published, when, title, config, new_id),
        )
    merged = _merge(best, report, tokens, source, published, when, stated, config)
    changed = _what_changed(best, merged, config)
    if changed:
        return EventChange(
            ChangeKind.UPDATE, replace(merged, version=best.version + 1), best, changed
        )
    return EventChange(ChangeKind.DUPLICATE, merged, best)


@dataclass(frozen=True, slots=True)
class _Where:
    """The node codes a report names, computed once per report (the loop runs per candidate)."""

    settlements: frozenset[str]
    regions: frozenset[str]
    countries: frozenset[str]

    @classmethod
    def of(cls, places: Sequence[Place]) -> _Where:
        return cls(
            frozenset(p.settlement_code for p in places if p.settlement_code),
            frozenset(p.region_code for p in places if p.region_code),
            frozenset(p.country for p in places),
        )


def _place_level(ours: _Where, theirs: Sequence[Place]) -> int:
    if not ours.countries or not theirs:
        return _COUNTRY  # a report naming no place may join only on strong content
    if ours.settlements:
        theirs_s = [p.settlement_code for p in theirs if p.settlement_code]
        if theirs_s:
            return _SETTLEMENT if not ours.settlements.isdisjoint(theirs_s) else _NOWHERE
    theirs_r = [p.region_code for p in theirs if p.region_code]
    if ours.regions and theirs_r:
        return _REGION if not ours.regions.isdisjoint(theirs_r) else _NOWHERE
    return _COUNTRY if not ours.countries.isdisjoint(p.country for p in theirs) else _NOWHERE


def _match_score(
    report: Report,
    where: _Where,
    tokens: frozenset[str],
    when: datetime,
    stated: bool,
    event: Event,
    config: ClusterConfig,
) -> float | None:
    """The match score of one candidate, or None when it is not the same strike.
    Cheapest and most selective checks first: this runs for every candidate."""
    level = _place_level(where, event.places)
    if level == _NOWHERE:
        return None
    ours, theirs = report.weapon, event.weapon
    known_both = ours is not Weapon.UNKNOWN and theirs is not Weapon.UNKNOWN
    if known_both and _FAMILIES[ours] != _FAMILIES[theirs]:
        return None
    gap = abs((when - event.event_time).total_seconds()) / 3600.0
    if gap > config.window_hours:
        return None
    if stated and event.event_time != event.first_seen and gap > config.split_hours:
        return None
    similarity = overlap(tokens, event.tokens)
    if level == _SETTLEMENT:
        needed = 0.0 if gap <= config.settlement_free_hours else config.similarity_threshold
    elif level == _REGION:
        needed = 0.0 if gap <= config.region_free_hours else config.similarity_threshold
    else:
        needed = config.strong_similarity_threshold
    if similarity < needed:
        return None
    closeness = 0.5 * (1.0 - gap / config.window_hours) if config.window_hours else 0.0
    same_weapon = 0.25 if known_both and ours is theirs else 0.0
    return level + similarity + closeness + same_weapon


def _severity(
    killed: int | None,
    injured: int | None,
    children_killed: int | None,
    children_injured: int | None,
    objects: Sequence[str],
    config: ClusterConfig,
) -> Severity:
    return severity_of(
        killed,
        injured,
        children_killed,
        children_injured,
        objects,
        mass_killed=config.mass_casualty_killed,
        mass_total=config.mass_casualty_total,
        mass_children_killed=config.mass_casualty_children_killed,
    )


def _new_event(
    report: Report,
    tokens: frozenset[str],
    source: Source,
    published: datetime,
    when: datetime,
    title: str,
    config: ClusterConfig,
    new_id: str,
) -> Event:
    return Event(
        id=new_id,
        version=1,
        places=union_places((), report.places),
        event_time=when,
        first_seen=published,
        last_seen=published,
        weapon=report.weapon,
        killed=report.killed,
        injured=report.injured,
        children_killed=report.children_killed,
        children_injured=report.children_injured,
        killed_more=report.killed_more,
        injured_more=report.injured_more,
        objects=union((), report.objects),
        severity=_severity(
            report.killed,
            report.injured,
            report.children_killed,
            report.children_injured,
            report.objects,
            config,
        ),
        sources=union_sources((), (source,)),
        title=title,
        tokens=merge_tokens(frozenset(), tokens, config.max_event_tokens),
        reasons=union((), report.reasons),
    )


def _merge(
    event: Event,
    report: Report,
    tokens: frozenset[str],
    source: Source,
    published: datetime,
    when: datetime,
    stated: bool,
    config: ClusterConfig,
) -> Event:
    killed, killed_more = max_figure(
        event.killed, event.killed_more, report.killed, report.killed_more
    )
    injured, injured_more = max_figure(
        event.injured, event.injured_more, report.injured, report.injured_more
    )
    children_killed = max_opt(event.children_killed, report.children_killed)
    children_injured = max_opt(event.children_injured, report.children_injured)
    weapon = event.weapon
    if WEAPON_SPECIFICITY[report.weapon] > WEAPON_SPECIFICITY[weapon]:
        weapon = report.weapon
    first_seen = min(event.first_seen, published)
    event_known = event.event_time != event.first_seen
    if event_known:
        event_time = event.event_time
    elif stated:
        event_time = when
    else:
        event_time = first_seen  # still unknown: keep the marker event_time == first_seen
    objects = union(event.objects, report.objects)
    return replace(
        event,
        places=union_places(event.places, report.places),
        event_time=event_time,
        first_seen=first_seen,
        last_seen=max(event.last_seen, published),
        weapon=weapon,
        killed=killed,
        injured=injured,
        children_killed=children_killed,
        children_injured=children_injured,
        killed_more=killed_more,
        injured_more=injured_more,
        objects=objects,
        severity=_severity(killed, injured, children_killed, children_injured, objects, config),
        sources=union_sources(event.sources, (source,)),
        tokens=merge_tokens(event.tokens, tokens, config.max_event_tokens),
        reasons=union(event.reasons, report.reasons),
    )


def _what_changed(before: Event, after: Event, config: ClusterConfig) -> tuple[str, ...]:
    changed: list[str] = []
    if rise(before.killed, after.killed) >= max(config.update_min_killed_rise, 1):
        changed.append("killed")
    injured_rise = rise(before.injured, after.injured)
    if injured_rise > 0 and (
        not before.injured
        or injured_rise >= config.update_min_injured_rise
        or injured_rise >= config.update_min_injured_ratio * before.injured
    ):
        changed.append("injured")
    children_min = max(config.update_min_children_rise, 1)
    if (
        rise(before.children_killed, after.children_killed) >= children_min
        or rise(before.children_injured, after.children_injured) >= children_min
    ):
        changed.append("children")
    if before.weapon is Weapon.UNKNOWN and after.weapon is not Weapon.UNKNOWN:
        changed.append("weapon")
    return tuple(changed)
