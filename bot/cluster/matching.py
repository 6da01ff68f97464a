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
    A stated strike time with a part of the day is a point; one naming only a day
    ("yesterday", "on Monday", "4 April": noon on the place's clock, see
    :func:`bot.classify.timecues.day_only`) is that whole day; a report without one carries
    the interval [published − ``report_delay_hours``, published]; an event made only of such
    reports, [first_seen − delay, first_seen]. ``gap`` is the distance between the two
    intervals. Beyond ``window_hours``: no match. Two points more than ``split_hours`` apart:
    −6, more than all other terms together (two strikes: a night and the next night on one
    city). Two points closer: up to +1. Otherwise +1 when both sides state a time (a day, or a
    point in it) and +0.5 when not, falling by 1 per ``interval_slope_hours`` of gap (3 h: two
    reports a day apart with no stated time are −3.5, so one city struck on consecutive days
    stays two events, while the next morning's toll update overlaps the night's report).
Weapon (evidence, never a veto)
    The weapons each side named (main weapon and every other one, by family). A shared family
    +0.5 (the same specific weapon +0.75); no shared family: the most compatible pair counts —
    missiles with drones 0 (combined attacks), shelling against missiles or drones −0.5,
    an air strike against a missile −0.5, aviation against artillery −1, a glide bomb or air
    strike against a drone attack −1.5. Unknown on either side: 0.
Content
    +3 × :func:`bot.cluster.fingerprint.overlap` of the fingerprints, the report's without the
    stems of its places' own names (the place term counts them already: two reports on one city
    must share more than its name). Cross-language pairs share no word, so place and time carry
    them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.classify.timecues import day_only
from bot.cluster.fingerprint import STEM_LENGTH, overlap, words
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
_HALF_DAY = timedelta(hours=12)  # a time naming only a day: the strike lies within ±12 h


@dataclass(frozen=True, slots=True)
class MatchConfig:
    window_hours: float = 48.0
    split_hours: float = 6.0  # both times stated and further apart: two strikes
    report_delay_hours: float = 12.0  # a report without a stated time: strike up to this before
    interval_slope_hours: float = 3.0  # a time interval's gap costs 1 per this many hours
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
    start: datetime  # the interval the strike lies in (a point when stated with a part of day)
    end: datetime
    stated: bool  # a point: a stated time with a part of the day (not only a day)
    dated: bool  # a stated time, a point or a whole day
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
        when = report.event_time
        country = report.places[0].country if report.places else None
        if when is not None and when < published and day_only(when, country):
            start, end, stated = when - _HALF_DAY, min(when + _HALF_DAY, published), False
            dated = True
        elif when is not None and when < published:
            start, end, stated, dated = when, when, True, True
        else:  # no time, or one at/after publication (clamped; an event keeps it as unstated)
            start = published - timedelta(hours=config.report_delay_hours)
            end, stated, dated = published, False, False
        return cls(
            Where.of(report.places),
            start,
            end,
            stated,
            dated,
            report.weapon,
            families_of(report.weapon, report.weapons),
            tokens - _place_stems(report.places),
            timedelta(hours=config.report_delay_hours),
        )


def _place_stems(places: Sequence[Place]) -> frozenset[str]:
    """The fingerprint stems of the places' own names: the place term already counts them."""
    names = " ".join(
        f"{p.name_en} {p.name_uk} {p.name_ru} {p.region_en} {p.region_uk} {p.region_ru}"
        for p in places
    )
    return frozenset(word[:STEM_LENGTH] for word in words(names))


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
    start, end, point = event_interval(event, subject.delay)
    both = subject.stated and point
    dated = subject.dated and event.event_time != event.first_seen
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
    else:  # two stated days (or a day and a point in it) agree more than a mere interval
        value = (1.0 if dated else 0.5) - gap / (config.interval_slope_hours or 1.0)
    if why is not None:
        kind = "both stated" if both else "both dated" if dated else "interval"
        two = ": two strikes" if both and gap > split else ""
        why.append(f"time: {kind}, {gap:.1f} h apart{two} {value:+.2f}")
    return value


def event_interval(event: Event, delay: timedelta) -> tuple[datetime, datetime, bool]:
    """The interval an event's strike lies in, and whether it is a point: its stated time (the
    whole day when only a day was stated), else ``delay`` before it was first seen."""
    when = event.event_time
    if when == event.first_seen:
        return event.first_seen - delay, event.first_seen, False
    if day_only(when, event.places[0].country if event.places else None):
        return when - _HALF_DAY, when + _HALF_DAY, False
    return when, when, True


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
