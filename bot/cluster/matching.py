"""Is this report about that event? Evidence from place, time, weapon and content (pure).

Every comparison sums a few evidence terms (roughly log-odds: positive says "the same strike",
negative says "another one") and keeps a line per term, so ``strikebot replay --explain`` and
"Why this alert?" can say why a report joined an event or not. A report joins the best-scoring
candidate whose sum reaches :attr:`MatchConfig.join_score`.

The score is **symmetric**: comparing report A with an event made of report B gives the same
figure as comparing B with an event made of A, so the same pair matches in either arrival order.

Place (hard limits, then a term)
    Different countries, different regions, or two lists of settlements with none in common:
    not the same strike (no score; a barrage report lists every place struck, so one strike's
    reports share a settlement). A shared settlement +3; a shared region where one side
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
    +3 × :func:`bot.cluster.fingerprint.overlap` of the fingerprints (cross-language pairs
    share no word, so place and time carry them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.cluster.fingerprint import overlap
from bot.domain import ALL_PLACES, Comparison, Event, Place, Report, Weapon, place_path

__all__ = [
    "MatchConfig",
    "Subject",
    "compare",
    "evaluate",
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
    delay: timedelta  # report_delay_hours

    @classmethod
    def of(
        cls,
        report: Report,
        tokens: frozenset[str],
        published: datetime,
        config: MatchConfig,
    ) -> Subject:
        if report.event_time is not None and report.event_time < published:
            start, end, stated = report.event_time, report.event_time, True
        else:  # no time, or one at/after publication (clamped; an event keeps it as unstated)
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
            timedelta(hours=config.report_delay_hours),
        )


def _place(ours: Where, places: Sequence[Place], why: list[str] | None) -> float | None:
    """The place term; None when the places rule the match out. One pass, no sets built: this
    runs for every candidate."""
    if not ours.countries or not places:
        if why is not None:
            why.append(f"place: one side names no place {PLACE_COARSE:+.1f}")
        return PLACE_COARSE
    same_country = theirs_settled = theirs_regional = False
    shared_settlement = shared_region = ""
    for place in places:
        if place.country in ours.countries:
            same_country = True
        code = place.settlement_code
        if code:
            theirs_settled = True
            if not shared_settlement and code in ours.settlements:
                shared_settlement = code
        region = place.region_code
        if region:
            theirs_regional = True
            if not shared_region and region in ours.regions:
                shared_region = region
    if not same_country:
        return _ruled_out(why, "place: different countries")
    if ours.settlements and theirs_settled:
        if not shared_settlement:
            return _ruled_out(why, "place: different settlements")
        value, text = PLACE_SETTLEMENT, f"same settlement {shared_settlement}"
    elif ours.regions and theirs_regional:
        if not shared_region:
            return _ruled_out(why, "place: different regions")
        value, text = PLACE_REGION, f"same region {shared_region}"
    else:
        value, text = PLACE_COARSE, "only the country in common"
    if why is not None:
        why.append(f"place: {text} {value:+.1f}")
    return value


def _ruled_out(why: list[str] | None, text: str) -> float | None:
    """Record why a candidate is ruled out; always None (no score)."""
    if why is not None:
        why.append(text)
    return None


def _time(
    subject: Subject, event: Event, config: MatchConfig, why: list[str] | None
) -> float | None:
    both = subject.stated and event.event_time != event.first_seen
    if event.event_time != event.first_seen:
        start = end = event.event_time
    else:
        start, end = event.first_seen - subject.delay, event.first_seen
    if subject.end < start:
        gap = (start - subject.end).total_seconds() / 3600.0
    elif end < subject.start:
        gap = (subject.start - end).total_seconds() / 3600.0
    else:
        gap = 0.0
    if gap > config.window_hours:
        return _ruled_out(why, f"time: {gap:.1f} h apart, beyond the window")
    split = config.split_hours or 1.0
    if both and gap > split:
        value = SPLIT_PENALTY
    elif both:
        value = 1.0 - gap / split
    else:
        value = 0.5 - gap / (config.interval_slope_hours or 1.0)
    if why is not None:
        kind = "both stated" if both else "interval"
        two = ": two strikes" if both and gap > split else ""
        why.append(f"time: {kind}, {gap:.1f} h apart{two} {value:+.2f}")
    return value


def _weapons(subject: Subject, event: Event, why: list[str] | None) -> float:
    if not subject.families:
        return 0.0
    theirs = families_of(event.weapon, event.weapons) if event.weapons else None
    if theirs is None:
        family = _FAMILIES.get(event.weapon)
        if family is None:
            return 0.0
        theirs = frozenset((family,))
    shared = subject.families & theirs
    if shared:
        if subject.weapon is event.weapon:
            value, text = 0.75, f"both {event.weapon.value}"
        else:
            value, text = 0.5, f"same family ({', '.join(sorted(shared))})"
    else:
        value, text = -10.0, ""
        for ours in sorted(subject.families):
            for other in sorted(theirs):
                pair, reason = _FAMILY_PAIRS.get(frozenset((ours, other)), (0.0, "no evidence"))
                if pair > value:
                    value, text = pair, f"{ours} vs {other}, {reason}"
    if why is not None:
        why.append(f"weapon: {text} {value:+.2f}")
    return value


def evaluate(
    subject: Subject,
    event: Event,
    config: MatchConfig,
    why: list[str] | None = None,
    floor: float | None = None,
) -> float | None:
    """The evidence that ``subject`` reports the strike ``event`` is, or None when place or
    time rule it out — or, given a ``floor``, when the score cannot reach it even with identical
    content (the content overlap, the dearest term, is then not computed). With ``why``, one
    line per term is appended to it."""
    place = _place(subject.where, event.places, why)
    if place is None:
        return None
    time = _time(subject, event, config, why)
    if time is None:
        return None
    score = place + time + _weapons(subject, event, why)
    if floor is not None and score + CONTENT_WEIGHT < floor:
        return None
    if subject.tokens and event.tokens:
        similarity = overlap(subject.tokens, event.tokens)
        if similarity:
            score += CONTENT_WEIGHT * similarity
            if why is not None:
                why.append(f"content: overlap {similarity:.2f} {CONTENT_WEIGHT * similarity:+.2f}")
    return score


def compare(subject: Subject, event: Event, config: MatchConfig) -> Comparison:
    """:func:`evaluate` with its explanation; ``joined`` is left False (the caller decides)."""
    why: list[str] = []
    score = evaluate(subject, event, config, why)
    return Comparison(event.id, None if score is None else round(score, 4), False, tuple(why))


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
