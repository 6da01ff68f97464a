"""Is this report about that event? Evidence from place, time, weapon and content (pure).

Every comparison sums a few evidence terms (roughly log-odds: positive says "the same strike",
negative says "another one") and keeps a line per term, so ``strikebot replay --explain`` and
"Why this alert?" can say why a report joined an event or not. A report joins the best-scoring
candidate whose sum reaches :attr:`MatchConfig.join_score`.

The score is **symmetric**: comparing report A with an event made of report B gives the same
figure as comparing B with an event made of A, so the same pair matches in either arrival order.

Place (hard limits, then a term)
    Different countries, different regions, or two lists of settlements with none in common:
    not the same strike (no score). A shared settlement +3; a shared region where one side
    names only the region (or a settlement in it) +1.5; one side names only the country −1;
    one side names no place at all −1 (content must then carry the match).
Time (intervals, not points)
    A stated strike time is a point; a report without one carries the interval
    [published − ``report_delay_hours``, published]; an event made only of such reports,
    [first_seen − delay, first_seen]. ``gap`` is the distance between the two intervals.
    Beyond ``window_hours``: no match. Both stated and more than ``split_hours`` apart: −6,
    more than all other terms together (two strikes: a night and the next night on one city).
    Both stated and closer: up to +1. Otherwise +0.5 when the intervals overlap, falling by 1
    per ``interval_slope_hours`` of gap.
Weapon (evidence, never a veto)
    The weapons each side named (main weapon and every other one, by family). A shared family
    +0.5 (the same specific weapon +0.75); no shared family: the most compatible pair counts —
    missiles with drones 0 (combined attacks), shelling against missiles or drones −0.5,
    an air strike against a missile −0.5, aviation against artillery −1, a glide bomb or air
    strike against a drone attack −1.5. Unknown on either side: 0.
Content
    +3 × :func:`bot.similarity.overlap` of the fingerprints (cross-language pairs share no word,
    so place and time carry them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import ALL_PLACES, Comparison, Event, Place, Report, Weapon, place_path
from bot.similarity import overlap

__all__ = [
    "MatchConfig",
    "Subject",
    "compare",
    "event_interval",
    "families_of",
    "index_codes",
    "search_codes",
    "weapon_family",
]

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

#: Evidence of two different weapon families, by unordered pair. Missing pairs count 0.
_FAMILY_PAIRS: dict[frozenset[str], tuple[float, str]] = {
    frozenset({"missile", "drone"}): (0.0, "combined attacks carry both"),
    frozenset({"ground", "missile"}): (-0.5, "shelling against a missile: weak contradiction"),
    frozenset({"ground", "drone"}): (-0.5, "shelling against a drone: weak contradiction"),
    frozenset({"aviation", "missile"}): (-0.5, "air strike against a missile"),
    frozenset({"aviation", "ground"}): (-1.0, "aviation against artillery"),
    frozenset({"aviation", "drone"}): (-1.5, "aviation against a drone attack: contradictory"),
}

PLACE_SETTLEMENT = 3.0
PLACE_REGION = 1.5
PLACE_COARSE = -1.0  # one side names only a country, or no place at all
PLACE_OTHER_SETTLEMENT = -2.5  # different settlements of one region: content must be close
SPLIT_PENALTY = -6.0  # outweighs everything else together: in effect a veto
CONTENT_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class MatchConfig:
    window_hours: float = 48.0
    split_hours: float = 6.0  # both times stated and further apart: two strikes
    report_delay_hours: float = 12.0  # a report without a stated time: strike up to this before
    interval_slope_hours: float = 12.0  # a time interval's gap costs 1 per this many hours
    join_score: float = 1.0


def weapon_family(weapon: Weapon) -> str | None:
    """ "missile", "aviation", "ground", "drone"; None for unknown."""
    return _FAMILIES.get(weapon)


def _weapon(value: str) -> Weapon:
    try:
        return Weapon(value)
    except ValueError:
        return Weapon.UNKNOWN


def families_of(main: Weapon, others: Iterable[str]) -> frozenset[str]:
    """The weapon families named: the main weapon and every other one (unknown ones skipped)."""
    found = {_FAMILIES.get(main)}
    found.update(_FAMILIES.get(_weapon(w)) for w in others)
    found.discard(None)
    return frozenset(f for f in found if f is not None)


@dataclass(frozen=True, slots=True)
class Where:
    """The node codes a side names, computed once per report."""

    settlements: frozenset[str]
    regions: frozenset[str]
    countries: frozenset[str]

    @classmethod
    def of(cls, places: Sequence[Place]) -> Where:
        return cls(
            frozenset(p.settlement_code for p in places if p.settlement_code),
            frozenset(p.region_code for p in places if p.region_code),
            frozenset(p.country for p in places),
        )


@dataclass(frozen=True, slots=True)
class Subject:
    """The report side of a comparison, prepared once and compared with every candidate."""

    where: Where
    start: datetime  # the interval the strike lies in (a point when stated)
    end: datetime
    stated: bool
    weapon: Weapon
    families: frozenset[str]
    tokens: frozenset[str]

    @classmethod
    def of(
        cls,
        report: Report,
        tokens: frozenset[str],
        published: datetime,
        config: MatchConfig,
    ) -> Subject:
        if report.event_time is not None:
            when = min(report.event_time, published)
            start, end, stated = when, when, True
        else:
            start = published - timedelta(hours=config.report_delay_hours)
            end, stated = published, False
        return cls(
            Where.of(report.places),
            start,
            end,
            stated,
            report.weapon,
            families_of(report.weapon, report.weapons),
            tokens,
        )


def event_stated(event: Event) -> bool:
    """An event's time counts as stated when it differs from its ``first_seen`` (an event made
    only of reports without a time cue keeps ``event_time == first_seen``)."""
    return event.event_time != event.first_seen


def event_interval(event: Event, config: MatchConfig) -> tuple[datetime, datetime]:
    if event_stated(event):
        return event.event_time, event.event_time
    return event.first_seen - timedelta(hours=config.report_delay_hours), event.first_seen


def _place(ours: Where, places: Sequence[Place]) -> tuple[float | None, str]:
    theirs = Where.of(places)
    if not ours.countries or not theirs.countries:
        return PLACE_COARSE, f"place: one side names no place {PLACE_COARSE:+.1f}"
    if ours.countries.isdisjoint(theirs.countries):
        return None, "place: different countries"
    if ours.settlements and theirs.settlements:
        shared = ours.settlements & theirs.settlements
        if shared:
            return PLACE_SETTLEMENT, f"place: same settlement {min(shared)} {PLACE_SETTLEMENT:+.1f}"
        if ours.regions & theirs.regions:
            value = PLACE_OTHER_SETTLEMENT
            return value, f"place: other settlements of one region {value:+.1f}"
        return None, "place: different settlements"
    if ours.regions and theirs.regions:
        shared = ours.regions & theirs.regions
        if shared:
            return PLACE_REGION, f"place: same region {min(shared)} {PLACE_REGION:+.1f}"
        return None, "place: different regions"
    return PLACE_COARSE, f"place: only the country in common {PLACE_COARSE:+.1f}"


def _gap_hours(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> float:
    if a[1] < b[0]:
        return (b[0] - a[1]).total_seconds() / 3600.0
    if b[1] < a[0]:
        return (a[0] - b[1]).total_seconds() / 3600.0
    return 0.0


def _time(subject: Subject, event: Event, config: MatchConfig) -> tuple[float | None, str]:
    both = subject.stated and event_stated(event)
    gap = _gap_hours((subject.start, subject.end), event_interval(event, config))
    kind = "both stated" if both else "interval"
    if gap > config.window_hours:
        return None, f"time: {gap:.1f} h apart, beyond the window"
    split = config.split_hours or 1.0
    if both and gap > split:
        return SPLIT_PENALTY, f"time: {kind}, {gap:.1f} h apart: two strikes {SPLIT_PENALTY:+.1f}"
    value = 1.0 - gap / split if both else 0.5 - gap / (config.interval_slope_hours or 1.0)
    return value, f"time: {kind}, {gap:.1f} h apart {value:+.2f}"


def _weapons(subject: Subject, event: Event) -> tuple[float, str] | None:
    theirs = families_of(event.weapon, event.weapons)
    if not subject.families or not theirs:
        return None
    if subject.families & theirs:
        if subject.weapon is event.weapon and subject.weapon is not Weapon.UNKNOWN:
            return 0.75, f"weapon: both {subject.weapon.value} +0.75"
        return 0.5, f"weapon: same family ({', '.join(sorted(subject.families & theirs))}) +0.5"
    best: tuple[float, str] | None = None
    for ours in sorted(subject.families):
        for other in sorted(theirs):
            value, why = _FAMILY_PAIRS.get(frozenset({ours, other}), (0.0, "no evidence"))
            if best is None or value > best[0]:
                best = (value, f"weapon: {ours} vs {other}, {why} {value:+.1f}")
    return best


def compare(subject: Subject, event: Event, config: MatchConfig) -> Comparison:
    """The evidence that ``subject`` reports the strike ``event`` is; ``joined`` is left False
    (the caller picks the best candidate)."""
    place, place_why = _place(subject.where, event.places)
    if place is None:
        return Comparison(event.id, None, False, (place_why,))
    time, time_why = _time(subject, event, config)
    if time is None:
        return Comparison(event.id, None, False, (place_why, time_why))
    score = place + time
    evidence = [place_why, time_why]
    weapon = _weapons(subject, event)
    if weapon is not None:
        score += weapon[0]
        evidence.append(weapon[1])
    similarity = overlap(subject.tokens, event.tokens)
    if similarity:
        score += CONTENT_WEIGHT * similarity
        evidence.append(f"content: overlap {similarity:.2f} {CONTENT_WEIGHT * similarity:+.2f}")
    return Comparison(event.id, round(score, 4), False, tuple(evidence))


def coarse_code(country: str) -> str:
    """The index node of events that name ``country`` but no region in it."""
    return f"{country}~"


def index_codes(places: Sequence[Place]) -> frozenset[str]:
    """The index nodes an event is stored under: every node of its places, ``"<CC>~"`` for a
    country it names no region of, ``"*"`` when it names no place (see :func:`search_codes`)."""
    if not places:
        return frozenset({ALL_PLACES})
    codes = {code for place in places for code in place_path(place)}
    with_region = {p.country for p in places if p.region_code}
    codes.update(coarse_code(p.country) for p in places if p.country not in with_region)
    return frozenset(codes)


def search_codes(places: Sequence[Place]) -> frozenset[str]:
    """The index nodes to look up for a report, so that the search is symmetric with
    :func:`index_codes`: its regions and settlements, the coarse events of its countries and the
    placeless events; a report naming only countries looks up the whole countries. An empty
    result means "no place": the caller looks at the most recent events instead."""
    if not places:
        return frozenset()
    codes = {code for place in places for code in place_path(place)[1:]}
    countries = {p.country for p in places}
    with_region = {p.country for p in places if p.region_code}
    codes.update(countries - with_region)
    codes.update(coarse_code(c) for c in countries)
    codes.add(ALL_PLACES)
    return frozenset(codes)
