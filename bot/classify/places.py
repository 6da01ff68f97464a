"""Which of the places a text names is where the strike happened.

The gazetteer (``bot.geo``) finds every place name; this module picks the strike location:
the first settlement of the first sentence that carries both a strike cue and an impact cue,
else of the first sentence with any strike cue, else the first settlement at all; regions and
countries count only when no settlement is named. A country that is an actor or an origin
("Russian forces", "fired from Iran", "РФ вдарила") is not a location.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.classify.text import Sentences
from bot.domain import Place

_KIND_RANK = {"settlement": 0, "region": 1, "country": 2}
_ORIGIN = ("from ", "з боку ", "со стороны ", "з території ", "с территории ", "by ")
_LOCATIVE = ("in ", "across ", "inside ", "у ", "в ", "на ", "по ", "of ", "on ")
MAX_PLACES = 4


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


class GazetteerLike(Protocol):
    """What the classifier needs of ``bot.geo.Gazetteer``."""

    def find_places(self, text: str) -> Sequence[PlaceMatchLike]: ...


def _usable(match: PlaceMatchLike, norm: str) -> bool:
    before = norm[max(0, match.start - 14) : match.start]
    if before.endswith(_ORIGIN):
        return False
    if match.kind == "country":
        return before.endswith(_LOCATIVE) and not norm[match.end : match.end + 1].isalpha()
    return True


def choose_places(
    matches: Sequence[PlaceMatchLike],
    norm: str,
    sentences: Sentences,
    strike_sentences: set[int],
    impact_sentences: set[int],
) -> tuple[Place, ...]:
    """The strike location first, then other places named in strike sentences (deduplicated)."""
    usable = [m for m in matches if _usable(m, norm)]
    if not usable:
        return ()
    both = strike_sentences & impact_sentences
    in_sentence = {id(m): sentences.index(m.start) for m in usable}

    def key(m: PlaceMatchLike) -> tuple[int, int, int]:
        s = in_sentence[id(m)]
        tier = 0 if s in both else 1 if s in strike_sentences or s in impact_sentences else 2
        return (tier, _KIND_RANK.get(m.kind, 3), m.start)

    ordered = sorted(usable, key=key)
    best = ordered[0]
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
