"""Which of the places a text names is where the strike happened.

The gazetteer (``bot.geo``) finds every place name; this module picks the strike location:
the first settlement of the first clause (then sentence) that carries both a strike cue and an
impact cue, else of the first sentence with any strike cue, else the first settlement at all;
regions and countries count only when no settlement is named. A country that is an actor or an
origin ("Russian forces", "fired from Iran", "РФ вдарила") is not a location, nor is a river
bank ("на правому березі Дніпра"), a dateline ("DUBAI, United Arab Emirates —") or a capital
that speaks for its government ("Moscow says", "Київ заявив").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.classify.text import Sentences
from bot.domain import Place

_KIND_RANK = {"settlement": 0, "region": 1, "country": 2}
_ORIGIN = ("from ", "з боку ", "со стороны ", "з території ", "с территории ", "by ")
_LOCATIVE = ("in ", "across ", "inside ", "у ", "в ", "на ", "по ", "of ", "on ")
# "the toll from Dnipro strike": a place before an event word is no origin
_EVENT_AFTER = (
    " strike",
    " attack",
    " shelling",
    " missile",
    " drone",
    " bombing",
    " airstrike",
    " air strike",
    " blast",
    " explosion",
)
_RIVER = ("берег", "берегу", "берега", "bank of the", "bank of")
_SETTLEMENT_WORDS = (
    "village",
    "town",
    "city",
    "село",
    "селі",
    "села",
    "селище",
    "місто",
    "місті",
    "смт",
    "город",
    "городе",
    "поселок",
    "посёлок",
    "поселке",
    "с.",
    "м.",
    "г.",
)
#: A place that speaks is its government: "Kyiv says", "Moscow accused", "Москва заявила".
_SPEAKS = re.compile(
    r"[ \t]+(?:says|said|claims|claimed|accuses|accused|denies|denied|insists|insisted|warns"
    r"|warned|blames|blamed|condemns|condemned|заяви|заявля|стверджу|утвержда|звинува|обвини"
    r"|обвиня|запевня|заверя)"
)
#: "in southern Lebanon", "на півдні Лівану", "на востоке Сирии": a country as a location.
_IN_PART_OF = re.compile(
    r"(?:\b(?:in|across|of)\s+(?:the\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
    r"|(?<!\w)(?:на|у|в)\s+(?:півдні|півночі|сході|заході|юге|севере|востоке|западе))\s+$"
)
MAX_PLACES = 4
SMALL, LARGE = 2_000, 100_000  # a surname-like village vs a city named beside it


class PlaceMatchLike(Protocol):
    """What the classifier needs of ``bot.geo.PlaceMatch``."""

    @property
    def place(self) -> Place: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def population(self) -> int: ...


class GazetteerLike(Protocol):
    """What the classifier needs of ``bot.geo.Gazetteer``."""

    def find_places(self, text: str) -> Sequence[PlaceMatchLike]: ...


def _usable(match: PlaceMatchLike, norm: str, doc: str) -> bool:
    if match.kind != "region" and _SPEAKS.match(norm, match.end):
        return False  # "Moscow says", "Київ заявив": the government, not where it happened
    before = norm[max(0, match.start - 14) : match.start]
    if before.endswith(_ORIGIN) and not norm.startswith(_EVENT_AFTER, match.end):
        return False
    if before.rstrip().endswith(_RIVER):
        return False
    surface = doc[match.start : match.end]
    if match.start < 3 and len(surface) > 2 and surface.isupper():
        return False  # a dateline
    if match.kind == "country":
        inside = before.endswith(_LOCATIVE) or _IN_PART_OF.search(
            norm, max(0, match.start - 30), match.start
        )
        return bool(inside) and not norm[match.end : match.end + 1].isalpha()
    return True


def choose_places(
    matches: Sequence[PlaceMatchLike],
    doc: str,
    norm: str,
    sentences: Sentences,
    strike_sentences: set[int],
    impact_sentences: set[int],
    focus_clauses: Sequence[tuple[int, int]] = (),
) -> tuple[Place, ...]:
    """The strike location first, then other places named in strike sentences (deduplicated)."""
    usable = [m for m in matches if _usable(m, norm, doc)]
    if not usable:
        return ()
    both = strike_sentences & impact_sentences
    in_sentence = {id(m): sentences.index(m.start) for m in usable}

    def key(m: PlaceMatchLike) -> tuple[int, int, int]:
        s = in_sentence[id(m)]
        tier = 1 if s in both else 2 if s in strike_sentences or s in impact_sentences else 3
        if any(a <= m.start < b for a, b in focus_clauses):
            tier = 0
        if m.kind == "country":
            tier += 2  # a settlement or region anywhere near the strike is more precise
        return (tier, _KIND_RANK.get(m.kind, 3), m.start)

    ordered = sorted(usable, key=key)
    best = _not_a_surname(ordered, key, norm)
    if best.kind != "settlement":
        # A region or country named in the strike sentence: a settlement inside it named
        # elsewhere in the text is more precise ("in Kharkiv oblast … in Lozova").
        inside = [m for m in ordered if _within(m.place, best.place) and m is not best]
        if inside:
            best = min(inside, key=lambda m: (_KIND_RANK.get(m.kind, 3), m.start))
    chosen = [best.place]
    seen = {best.place.code}
    for m in sorted(usable, key=lambda m: m.start):
        if len(chosen) >= MAX_PLACES:
            break
        if m.place.code in seen or in_sentence[id(m)] not in strike_sentences:
            continue
        if any(m.place.code == p.region_code for p in chosen):
            continue  # the region of a settlement already chosen
        seen.add(m.place.code)
        chosen.append(m.place)
    return tuple(chosen)


def _within(inner: Place, outer: Place) -> bool:
    if outer.region_code and not outer.settlement_code:
        return inner.region_code == outer.region_code and inner.settlement_code is not None
    return not outer.region_code and inner.country == outer.country and inner.code != outer.code


def _not_a_surname(
    ordered: list[PlaceMatchLike],
    key: Callable[[PlaceMatchLike], tuple[int, int, int]],
    norm: str,
) -> PlaceMatchLike:
    """Skip a tiny village that is probably a person's name when a city shares its tier."""
    best = ordered[0]
    if best.kind != "settlement" or best.population >= SMALL:
        return best
    if norm[max(0, best.start - 10) : best.start].rstrip().endswith(_SETTLEMENT_WORDS):
        return best
    for other in ordered[1:]:
        if key(other)[:2] != key(best)[:2]:
            break
        if other.population >= LARGE:
            return other
    return best
