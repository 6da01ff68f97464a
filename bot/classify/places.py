"""Where the strike happened: the places struck, not every place the text names.

The gazetteer (``bot.geo``) finds every place name; this module picks the places struck. The
main one comes first: the first settlement of the first clause (then sentence) that carries
both a strike cue and an impact cue, else of the first sentence with any strike cue, else the
first settlement at all; regions and countries count only when no settlement is named. Then
every other place a strike sentence puts a hit in (:mod:`bot.classify.place_roles`: the
locative of the strike clause, the object of a strike verb, the next items of a list), in text
order, with no cap; a place in another region counts when its own sentence tells harm.

Never a place struck: a country that is an actor or an origin ("Russian forces", "fired from
Iran", "РФ вдарила"), a river bank ("на правому березі Дніпра"), a dateline ("KYIV, Dec 2
(Reuters) –"), a name in quotes, a capital that speaks for its government ("Moscow says",
"Київ заявив"), an office ("Kharkiv mayor", "голова Одеської ОВА": its region is used only
when nothing else is named, and a regional office is the oblast) or an earlier strike the text
recalls ("Нагадаємо…").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.classify import place_roles as roles
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
    if roles.dateline(doc, match.start, match.end) or roles.quoted(doc, match.start):
        return False  # "KYIV, Dec 2 (Reuters) –"; an outlet or charity «Схід»
    if match.kind == "country":
        bare = before[:-4] if before.endswith(" the ") else before  # "in the Gaza Strip"
        inside = bare.endswith(_LOCATIVE) or _IN_PART_OF.search(
            norm, max(0, match.start - 30), match.start
        )
        return bool(inside) and not norm[match.end : match.end + 1].isalpha()
    return True


@dataclass(frozen=True, slots=True)
class _Named:
    """A usable match and what the text does with it."""

    match: PlaceMatchLike
    place: Place
    sentence: int
    office: str  # "" | "regional" | "city" (see place_roles.office)
    background: bool


def _read(m: PlaceMatchLike, doc: str, sentences: Sentences) -> _Named:
    sentence = sentences.index(m.start)
    office = roles.office(doc, m.start, m.end)
    place = m.place
    if office == "regional" and m.kind == "settlement" and place.region_code:
        place = _region_of(place)  # "Dnipropetrovsk regional administration": the oblast
    opening = sentences.starts[sentence]
    following = sentence + 1
    closing = sentences.starts[following] if following < len(sentences) else len(doc)
    return _Named(m, place, sentence, office, roles.background(doc, opening, closing))


def _region_of(place: Place) -> Place:
    return Place(
        place.country,
        place.region_code,
        None,
        "",
        "",
        "",
        place.region_en,
        place.region_uk,
        place.region_ru,
    )


def choose_places(
    matches: Sequence[PlaceMatchLike],
    doc: str,
    norm: str,
    sentences: Sentences,
    strike_sentences: set[int],
    impact_sentences: set[int],
    focus_clauses: Sequence[tuple[int, int]] = (),
) -> tuple[Place, ...]:
    """The places struck: the strike location first, then every other place the strike
    sentences put a hit in (deduplicated, no ancestor of a place already chosen)."""
    named = [_read(m, doc, sentences) for m in matches if _usable(m, norm, doc)]
    if not named:
        return ()
    both = strike_sentences & impact_sentences
    focus = [(a, b) for a, b in focus_clauses]

    def key(n: _Named) -> tuple[int, int, int]:
        s, m = n.sentence, n.match
        tier = 1 if s in both else 2 if s in strike_sentences or s in impact_sentences else 3
        if any(a <= m.start < b for a, b in focus):
            tier = 0
        if m.kind == "country":
            tier += 2  # a settlement or region anywhere near the strike is more precise
        if n.background:
            tier += 3  # an earlier event the text recalls
        if n.office:
            tier += 6  # the office that speaks: where it happened only if nothing else says
        return (tier, _KIND_RANK.get(_kind(n), 3), m.start)

    ordered = sorted(named, key=key)
    best = _not_a_surname(ordered, key, norm)
    if _kind(best) != "settlement":
        # A region or country named in the strike sentence: a settlement inside it named
        # elsewhere in the text is more precise ("in Kharkiv oblast … in Lozova").
        inside = [
            n
            for n in ordered
            if _within(n.place, best.place)
            and n is not best
            and not n.office
            and _kind(n) == "settlement"
        ]
        if inside:
            best = min(inside, key=lambda n: (key(n)[0] >= 6, n.match.start))
    struck = _struck(named, best, doc, strike_sentences | impact_sentences, impact_sentences)
    return (best.place, *struck)


def _kind(n: _Named) -> str:
    return "region" if n.place is not n.match.place else n.match.kind


def _struck(
    named: list[_Named], best: _Named, doc: str, strike: set[int], harm: set[int]
) -> list[Place]:
    """Every other place a strike sentence puts a hit in, in text order."""
    chosen = [best.place]
    seen = {best.place.code}
    previous_end = -100  # where the last struck place ended (for lists)
    for n in sorted(named, key=lambda n: n.match.start):
        m = n.match
        struck = (
            n is best
            or roles.struck_position(doc, m.start)
            or roles.continues_list(doc, previous_end, m.start)
        )
        if not struck or n.office or roles.ground_clause(doc, m.start, m.end):
            continue
        previous_end = m.end
        if n is best or n.sentence not in strike or n.background or m.kind == "country":
            continue
        elsewhere = n.sentence != best.sentence and n.place.region_code != best.place.region_code
        if elsewhere and n.sentence not in harm:
            continue  # another region named in a sentence that tells no harm
        if n.place.code in seen or any(n.place.code == p.region_code for p in chosen):
            continue  # already chosen, or the region of a settlement already chosen
        seen.add(n.place.code)
        chosen.append(n.place)
    return chosen[1:]


def _within(inner: Place, outer: Place) -> bool:
    if outer.region_code and not outer.settlement_code:
        return inner.region_code == outer.region_code and inner.settlement_code is not None
    return not outer.region_code and inner.country == outer.country and inner.code != outer.code


def _not_a_surname(
    ordered: list[_Named],
    key: Callable[[_Named], tuple[int, int, int]],
    norm: str,
) -> _Named:
    """Skip a tiny village that is probably a person's name when a city shares its tier."""
    best = ordered[0]
    m = best.match
    if _kind(best) != "settlement" or m.population >= SMALL:
        return best
    if norm[max(0, m.start - 10) : m.start].rstrip().endswith(_SETTLEMENT_WORDS):
        return best
    for other in ordered[1:]:
        if key(other)[:2] != key(best)[:2]:
            break
        if other.match.population >= LARGE:
            return other
    return best
