"""Clustering: does a Report start a new Event, update one, repeat one, or not count at all?

Pure (standard library, :mod:`bot.domain` and the other modules of :mod:`bot.cluster` only;
``published`` is the clock). The store finds candidate events by index (same region codes or
country, event time within the window); :func:`cluster` checks everything again itself.

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
:mod:`bot.cluster.matching` weighs place, time, weapon and content as evidence for every candidate
(the store found them by place node and time). The best candidate whose score reaches
``join_score`` wins; every comparison is returned in ``EventChange.comparisons`` (best first)
for ``replay --explain``. Weapons never veto: a combined attack reported as "missiles" by one
outlet and "drones" by another is one event; a glide bomb against a drone attack counts
against. Reports without a stated time carry an interval (published minus
``report_delay_hours``) and a time naming only a day is that whole day, so two reports of
one night published hours apart meet, while two stated times more than ``split_hours`` apart
(a night and the next night) stay two strikes. An event known only by its day takes the hour
of a later report that names a part of that day.

Merging
-------
Figures are the maximum per field, never a sum; a ``*_more`` flag comes with the figure that won
(ties: either flag). The weapon is the first known one, made more specific within its family
(:data:`bot.domain.WEAPON_SPECIFICITY`: "missile" → "cruise missile"); a weapon of another
family (the drones of a combined missile attack) joins ``weapons`` only. Places, objects and
reasons are unions in order of first mention; places are deduplicated by code. Sources are
appended unless one with the same name (case-insensitive) or URL is already there.
``last_seen`` moves forward; fingerprints are united up to ``max_event_tokens``. Severity is
recomputed from the merged figures (:func:`severity_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from bot.cluster.fingerprint import merge_tokens, report_tokens
from bot.cluster.matching import (
    MatchConfig,
    Subject,
    compare,
    evaluate,
    event_interval,
    weapon_family,
)
from bot.cluster.merge import (
    max_figure,
    max_opt,
    rise,
    union,
    union_places,
    union_sources,
    weapons_named,
)
from bot.domain import (
    WEAPON_SPECIFICITY,
    ChangeKind,
    Comparison,
    Event,
    EventChange,
    Report,
    Severity,
    Source,
    Weapon,
)

__all__ = [
    "ClusterConfig",
    "cluster",
    "report_tokens",
    "severity_of",
    "weapon_family",
]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    window_hours: float = 48.0
    split_hours: float = 6.0  # both times stated and further apart: two strikes
    report_delay_hours: float = 12.0  # no stated time: the strike lies up to this before publishing
    interval_slope_hours: float = 3.0  # a gap between time intervals costs 1 per this many hours
    join_score: float = 1.0  # evidence needed to join an event (see bot.cluster.matching)
    explain_candidates: int = 8  # comparisons kept in EventChange.comparisons, best first
    update_min_killed_rise: int = 1
    update_min_injured_rise: int = 5
    update_min_injured_ratio: float = 0.10
    update_min_children_rise: int = 1
    mass_casualty_killed: int = 10
    mass_casualty_total: int = 30
    mass_casualty_children_killed: int = 3
    max_event_tokens: int = 256

    @property
    def matching(self) -> MatchConfig:
        return MatchConfig(
            self.window_hours,
            self.split_hours,
            self.report_delay_hours,
            self.interval_slope_hours,
            self.join_score,
        )


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
    matching = config.matching
    subject = Subject.of(report, tokens, published, matching)
    if published - subject.end > window:  # a day stated alone counts up to its end
        return EventChange(ChangeKind.IGNORED, None)

    scored: list[tuple[float, str, Event]] = []
    floor = matching.join_score
    for event in candidates:
        score = evaluate(subject, event, matching, floor=floor)
        if score is not None:
            scored.append((-score, event.id, event))
    scored.sort(key=lambda item: (item[0], item[1]))
    best = scored[0][2] if scored and -scored[0][0] >= matching.join_score else None
    comparisons = _explain(subject, scored, candidates, best, config)
    if best is None:
        if not report.is_civilian_strike:
            return EventChange(ChangeKind.IGNORED, None, comparisons=comparisons)
        return EventChange(
            ChangeKind.NEW,
            _new_event(report, tokens, source, published, when, title, config, new_id),
            comparisons=comparisons,
        )
    merged = _merge(best, report, tokens, source, published, when, stated, subject, config)
    changed = _what_changed(best, merged, config)
    if changed:
        return EventChange(
            ChangeKind.UPDATE,
            replace(merged, version=best.version + 1),
            best,
            changed,
            comparisons,
        )
    return EventChange(ChangeKind.DUPLICATE, merged, best, comparisons=comparisons)


def _explain(
    subject: Subject,
    scored: Sequence[tuple[float, str, Event]],
    candidates: Sequence[Event],
    best: Event | None,
    config: ClusterConfig,
) -> tuple[Comparison, ...]:
    """The comparisons worth showing, best first: the ``explain_candidates`` best-scoring
    candidates, then those ruled out by place or time (while room is left). Explanations are
    built only for these: the scoring loop itself formats no text."""
    limit = config.explain_candidates
    shown = [event for _, _, event in scored[:limit]]
    if len(shown) < limit:
        kept = {event.id for event in shown}
        shown.extend(e for e in candidates if e.id not in kept)
        shown = shown[:limit]
    matching = config.matching
    return tuple(
        replace(compare(subject, event, matching), joined=event is best) for event in shown
    )


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
        weapons=weapons_named((), report),
    )


def _merge(
    event: Event,
    report: Report,
    tokens: frozenset[str],
    source: Source,
    published: datetime,
    when: datetime,
    stated: bool,
    subject: Subject,
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
    if weapon is Weapon.UNKNOWN or (
        weapon_family(report.weapon) == weapon_family(weapon)
        and WEAPON_SPECIFICITY[report.weapon] > WEAPON_SPECIFICITY[weapon]
    ):
        weapon = report.weapon  # another family (a combined attack) keeps the first named
    first_seen = min(event.first_seen, published)
    event_known = event.event_time != event.first_seen
    start, end, point = event_interval(event, subject.delay)
    if event_known and not point and subject.stated and start <= when <= end:
        event_time = when  # a part of the day names the hour within the day stated so far
    elif event_known:
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
        weapons=weapons_named(event.weapons or (event.weapon.value,), report),
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
