"""The gazetteer: place names in free text → :class:`bot.domain.Place` (lookup: ``geo.lookup``).

The data file (see :mod:`bot.geo.datafile`, made by ``tools/build_gazetteer.py``) maps every folded
surface form of every name — inflections and adjectives included ("Кривому Розі", "Харківської
області", "Одеському порту", "Броварського району") — to candidate nodes, best-ranked first.
Matching is a single pass over the text's tokens trying the longest window (4…1 tokens) with one
dict lookup each; no morphology at run time.

A match must start with a capital letter (unless the whole text is in one case, or it is a place
adjective: "в одеському порту") and must not be a street name ("вулиця Перемоги"). An entry marked
*weak* (a village whose name is a common word) is accepted only when the text also names its
region; an oblast adjective ("Харківській") names the oblast only before
"область"/"областях"/"regions"; a country whose name is also a given name ("Jordan") does not count
next to another capitalised word. Among several candidates, one in a region the text names wins;
otherwise the highest-ranked (city > town > village, then population).
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass

from bot.domain import Place
from bot.geo import context
from bot.geo.datafile import (
    BEFORE_REGION_WORD,
    FLAG_BITS,
    KEY_CODEC,
    LOWER_CASE,
    NOT_BY_A_NAME,
    WEAK,
    read_tables,
)
from bot.geo.lookup import NameIndex
from bot.geo.names import (
    REGION_WORDS,
    STREET_AFTER,
    STREET_BEFORE,
    fold_text,
    latin_key,
    locate,
    words,
)
from bot.geo.nodes import CITY_RANK, as_list

DATA_FILE = pathlib.Path(__file__).parent / "data" / "gazetteer.bin.gz"
_WINDOWS = (4, 3, 2, 1)
_REGION_KEYS = frozenset(w.encode(KEY_CODEC) for w in REGION_WORDS)
_COMPASS_KEYS = frozenset({b"northern", b"southern", b"central", b"eastern", b"western"})
#: From this population a city is the place of its name whatever regions the text names: a
#: village namesake in a region listed elsewhere ("attacks on Kyiv, Mykolaiv and Chernihiv
#: oblasts") is not what the press means by a big city's name.
_BIG_CITY = 100_000
_REGION_GAP = 5  # characters between a name and the region that places it (", ", " на ")
_KIND = {ord("c"): "country", ord("r"): "region", ord("s"): "settlement"}


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place named in a text: ``text[start:end]`` is the name as written."""

    place: Place
    start: int
    end: int
    kind: str  # "settlement" | "region" | "country"
    population: int  # 0 when unknown


Span = tuple[int, int, list[int]]  # start, end, candidate entries (node << FLAG_BITS | flags)


_FULL_COVER = frozenset({"UA", "RU", "BY"})  # every village named: no unknown names left


class Gazetteer(NameIndex):
    """Read-only place index. Build it with :func:`load_gazetteer`; keep and share the instance.
    Nodes by code come from :class:`~bot.geo.nodes.NodeTable`, a user's query
    (search, resolve, named) from :class:`~bot.geo.lookup.NameIndex`; this class reads text."""

    # ---- matching -------------------------------------------------------------------------
    def find_places(self, text: str) -> list[PlaceMatch]:
        """Every place named in ``text``, in text order, ambiguity resolved on the whole text.

        The words around a name count (:mod:`bot.geo.context`): "Vladimir Putin" and "San
        Francisco" are not Vladimir and San; an acronym ("ISNA") is a place only if the place
        is written so; "in Lyman" is the town though Lyman is also a surname; "під Києвом" is
        Kyiv oblast.
        """
        spans = self._place_spans(text)
        named = self._context(spans)
        countries = self._countries(spans)
        matches = []
        city: tuple[int, int] | None = None  # the last city named: its node and where it ends
        ends: list[int] | None = None  # sentence ends, found once a city is named
        previous_end = -2
        for at, (start, end, entries) in enumerate(spans):
            prior, previous_end = previous_end, end
            possessive = text[end : end + 1] in ("'", "’")  # "in Anna's house"
            if not possessive and context.after_locative(text, start):
                entries = [
                    e & ~WEAK if self._located(e >> FLAG_BITS, countries) else e for e in entries
                ]
            if context.after_arabic_article(text, start):
                entries = [e for e in entries if self._arabic(e >> FLAG_BITS)]
            if context.outlet(text, end):
                continue  # "Saba news agency", "Kyiv Independent": an outlet
            one_word = " " not in text[start:end]
            if one_word and prior != start - 1 and context.after_an_unknown_word(text, start):
                entries = [e for e in entries if not self._foreign_town(e >> FLAG_BITS)]
            index = self._resolve(entries, named, self._big_city_meant(text, spans, at))
            if index is not None and not possessive:
                index = self._around_city(index, text, start, end)
            if index is None:
                continue
            if city is not None and index != city[0]:
                ends = context.sentence_ends(text) if ends is None else ends
                if context.district_after_city(text, ends, city[1], start, end):
                    continue  # "in Kherson … in the Dniprovskyi district": Kherson's district
            if self._t.kinds[index] == ord("s") and self._t.ranks[index] >= CITY_RANK:
                city = (index, end)
            kind = _KIND[self._t.kinds[index]]
            place = self._place(index)
            matches.append(PlaceMatch(place, start, end, kind, self._t.populations[index]))
        return matches

    def _place_spans(self, text: str) -> list[Span]:
        """The name spans that can be places here: not the first word of a person's or a
        longer name, not an acronym written otherwise, not a district of the next city."""
        longer = context.part_of_a_longer_name
        spans = [
            s
            for s in self._spans(text)
            if not longer(text, s[0], s[1])
            and not context.after_a_name_head(text, s[0])
            and not context.district_by_adjective(text, s[0], s[1])
        ]
        if not text.isupper():
            spans = [
                s
                for s in spans
                if not context.acronym(text[s[0] : s[1]]) or self._as_written(s, text)
            ]
        return [
            s
            for i, s in enumerate(spans)
            if i + 1 == len(spans)
            or not self._settlement(spans[i + 1])
            or not context.district_of_next(text, s[1], s[0], spans[i + 1][0])
        ]

    def _countries(self, spans: list[Span]) -> set[str]:
        """The countries the text names (their codes)."""
        kinds = self._t.kinds
        return {
            self._fields(e >> FLAG_BITS)[2]
            for _start, _end, entries in spans
            for e in entries[:1]
            if kinds[e >> FLAG_BITS] == ord("c")
        }

    def _located(self, index: int, countries: set[str]) -> bool:
        """May a weak name after "in" be this place? A town big enough, or a village abroad in
        a country the text names ("in the town of X" in a report from Lebanon)."""
        if self._t.populations[index] >= context.LOCATIVE_TOWN:
            return True
        foreign = self._t.kinds[index] == ord("s") and self._fields(index)[2] not in _FULL_COVER
        return foreign and self._fields(index)[2] in countries

    def _big_city_meant(self, text: str, spans: list[Span], at: int) -> bool:
        """Does a big city's name mean the city, whatever regions the text names elsewhere?
        Not after "village"/"село", nor right before a region ("Кривий Ріг на Херсонщині")."""
        start, end, _entries = spans[at]
        if context.village_before(text, start):
            return False
        if at + 1 < len(spans):
            following = spans[at + 1]
            near = following[0] - end <= _REGION_GAP
            if near and any(self._t.kinds[e >> FLAG_BITS] == ord("r") for e in following[2]):
                return False
        return True

    def _around_city(self, index: int, text: str, start: int, end: int) -> int:
        """The region around a city that is a region of its own, when the text says "near"
        or names the region's office ("Kyiv regional administration", "Київської ОВА")."""
        if self._t.kinds[index] != ord("s") or self._t.populations[index] < context.REGION_CITY:
            return index
        region = self._t.regions[index]
        if region < 0:
            return index
        around = context.SURROUNDING.get(self._fields(region)[0])
        if around is None:
            return index
        if not context.says_around(text, start) and not context.regional_office(text, end):
            return index
        found = self._index_of(around)
        return index if found is None else found

    def _settlement(self, span: Span) -> bool:
        return any(self._t.kinds[e >> FLAG_BITS] == ord("s") for e in span[2])

    def _foreign_town(self, index: int) -> bool:
        """A settlement outside the countries whose places the index holds down to villages."""
        return self._t.kinds[index] == ord("s") and self._fields(index)[2] not in _FULL_COVER

    def _arabic(self, index: int) -> bool:
        return self._fields(index)[2] in context.ARABIC_COUNTRIES

    def _as_written(self, span: Span, text: str) -> bool:
        surface = text[span[0] : span[1]]
        names = (self._fields(e >> FLAG_BITS)[6:9] for e in span[2])
        return any(name.upper() == surface for group in names for name in group if name)

    def _spans(self, text: str) -> list[Span]:
        """Longest name windows, left to right, that pass the capital and street checks.

        Positions are found only for candidate words (:func:`locate`), which keeps a text
        without places at one regex pass and one set look-up per word.
        """
        keys, multi_first = self._t.keys, self._t.multi_first
        any_case = text.isupper() or text.islower()
        folded = fold_text(text)
        written = words(folded)
        tokens = [latin_key(w) for w in written] if "'" in folded else written
        raw = "\n".join(tokens).encode(KEY_CODEC, "replace").split(b"\n")
        count = len(tokens)
        spans: list[Span] = []
        i, pos = 0, 0
        while i < count:
            key = raw[i]
            i += 1
            if key not in keys and key not in multi_first:
                continue
            start = locate(folded, written[i - 1], pos)
            pos = start + len(written[i - 1])
            # In lower case only the forms the press writes so: place adjectives ("одеському
            # порту"), countries and "… області" ("росії", "брянській області").
            lower_only = not (any_case or text[start].isupper())
            if lower_only:  # in lower case only "X області", "northern Gaza" are longer
                region_next = i < count and raw[i] in _REGION_KEYS
                longer = region_next or key in _COMPASS_KEYS
                widths: tuple[int, ...] = (4, 3, 2, 1) if longer else (1,)
            else:
                widths = _WINDOWS if key in multi_first else (1,)
            for width in widths:
                if i - 1 + width > count:
                    continue
                found = keys.get(b" ".join(raw[i - 1 : i - 1 + width]) if width > 1 else key)
                if found is None or self._is_street(tokens, i - 1, i - 1 + width):
                    continue
                end = pos
                for word in written[i : i - 1 + width]:
                    end = locate(folded, word, end) + len(word)
                last = written[i + width - 2]
                if last != tokens[i + width - 2] and last.endswith("'s"):
                    end -= 2  # "Kharkiv's": the span stops before the possessive
                entries = as_list(found)
                if lower_only:
                    entries = [e for e in entries if e & LOWER_CASE]
                    if not entries:
                        continue
                if any(e & (BEFORE_REGION_WORD | NOT_BY_A_NAME) for e in entries):
                    entries = self._in_context(entries, text, start, end, tokens[i - 1 + width :])
                    if not entries:
                        continue
                spans.append((start, end, entries))
                i, pos = i + width - 1, end
                break
        return spans

    @staticmethod
    def _in_context(
        entries: list[int], text: str, start: int, end: int, after: list[str]
    ) -> list[int]:
        """Apply the entries' conditions on their neighbourhood (see the module docstring)."""
        region_word = any(word in REGION_WORDS for word in after[:3])
        if region_word and any(e & BEFORE_REGION_WORD for e in entries):
            return [e for e in entries if e & BEFORE_REGION_WORD]
        by_a_name = context.by_a_name(text, start, end, after)
        return [
            e
            for e in entries
            if not e & BEFORE_REGION_WORD and not (e & NOT_BY_A_NAME and by_a_name)
        ]

    @staticmethod
    def _is_street(tokens: list[str], first: int, stop: int) -> bool:
        before = tokens[first - 1] if first else ""
        after = tokens[stop] if stop < len(tokens) else ""
        return before in STREET_BEFORE or after in STREET_AFTER

    def _context(self, spans: list[Span]) -> tuple[set[int], set[int]]:
        """Regions the text names outright, and regions implied by its unambiguous places."""
        named, implied = set(), set()
        kinds, regions, ranks = self._t.kinds, self._t.regions, self._t.ranks
        for _start, _end, entries in spans:
            strong = [e >> FLAG_BITS for e in entries if not e & WEAK]
            if not strong or regions[strong[0]] < 0:
                continue
            if kinds[strong[0]] == ord("r"):
                named.add(regions[strong[0]])
            elif len(entries) == 1 or ranks[strong[0]] >= CITY_RANK:
                implied.add(regions[strong[0]])
        return named, implied | named

    def _resolve(
        self, entries: list[int], context: tuple[set[int], set[int]], big_wins: bool = False
    ) -> int | None:
        near, regions = context[1], self._t.regions
        allowed = [
            e >> FLAG_BITS for e in entries if not e & WEAK or regions[e >> FLAG_BITS] in near
        ]
        if big_wins and allowed and self._t.populations[allowed[0]] >= _BIG_CITY:
            return allowed[0]  # "Kyiv and Zaporizhzhia" stay cities when a list names regions
        for named in context:
            for index in allowed:
                if regions[index] in named:
                    return index
        return allowed[0] if allowed else None


def load_gazetteer(path: pathlib.Path | None = None) -> Gazetteer:
    """Read the packaged data file (or ``path``) into a :class:`Gazetteer`."""
    return Gazetteer(read_tables(path or DATA_FILE))
