"""The gazetteer: place names in free text → :class:`bot.domain.Place`, plus lookup and search.

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

import bisect
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
    Entries,
    Tables,
    read_tables,
)
from bot.geo.names import (
    REGION_WORDS,
    STREET_AFTER,
    STREET_BEFORE,
    fold_text,
    latin_key,
    locate,
    name_key,
    words,
)
from bot.geo.search import fuzzy_keys

DATA_FILE = pathlib.Path(__file__).parent / "data" / "gazetteer.bin.gz"
_WINDOWS = (4, 3, 2, 1)
_REGION_KEYS = frozenset(w.encode(KEY_CODEC) for w in REGION_WORDS)
_COMPASS_KEYS = frozenset({b"northern", b"southern", b"central", b"eastern", b"western"})
_CITY_RANK = 5 * 100_000_000  # see tools/gazetteer: rank = category weight * 1e8 + population
#: A city this size is what its name means, not the villages that share it (see named()).
_NAMESAKE_CITY = 20_000
_TOWN_SIZE = 10_000  # population from which a place outweighs ten times smaller namesakes
_KIND = {ord("c"): "country", ord("r"): "region", ord("s"): "settlement"}
_KIND_ORDER = {ord("c"): 0, ord("r"): 1, ord("s"): 2}


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place named in a text: ``text[start:end]`` is the name as written."""

    place: Place
    start: int
    end: int
    kind: str  # "settlement" | "region" | "country"
    population: int  # 0 when unknown


Span = tuple[int, int, list[int]]  # start, end, candidate entries (node << FLAG_BITS | flags)


def _as_list(found: Entries) -> list[int]:
    return list(found) if isinstance(found, tuple) else [found]


def _code_of(line: bytes) -> bytes:
    return line[: line.index(b"\t")]


CITY_REGIONS = frozenset({"UA-30", "UA-40"})
_FULL_COVER = frozenset(
    {"UA", "RU", "BY"}
)  # every village named: no longer unknown names  # Kyiv, Sevastopol: a city that is a region


class Gazetteer:
    """Read-only place index. Build it with :func:`load_gazetteer`; keep and share the instance."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables
        self._places: dict[int, Place] = {}
        self._search_keys: list[bytes] | None = None

    # ---- look-ups -------------------------------------------------------------------------
    def node(self, code: str) -> Place | None:
        index = self._index_of(code)
        return None if index is None else self._place(index)

    def regions(self, country: str) -> list[Place]:
        found = [i for i in self._of_kind(b"r") if self._fields(i)[2] == country]
        return sorted((self._place(i) for i in found), key=lambda p: p.region_en)

    def countries(self) -> list[Place]:
        with_regions = {self._fields(i)[2] for i in self._of_kind(b"r")}
        found = (self._index_of(code) for code in with_regions)
        return sorted((self._place(i) for i in found if i is not None), key=lambda p: p.name_en)

    def search(self, query: str, limit: int = 8) -> list[Place]:
        """Places for a user's free-text query: exact forms first, then close spellings.

        Among equally close names a region goes before a settlement: "Dnipropetrovsk" is the
        oblast's name (the city is Dnipro now), "Kharkiv" is both and the city ranks first only
        because the oblast's bare name is the city's.
        """
        key = name_key(query).encode(KEY_CODEC, "replace")
        if not key:
            return []
        if self._search_keys is None:
            self._search_keys = list(self._t.keys)
        scored: dict[int, tuple[float, int, int]] = {}
        hits = [(key, 100.0)] if key in self._t.keys else []
        region = self._renamed_region(key)
        if region is not None:
            scored[region] = (-21, 0, 0)
        for found, score in [*hits, *fuzzy_keys(key, self._search_keys)]:
            for entry in _as_list(self._t.keys[found]):
                index = entry >> FLAG_BITS
                kind = self._t.kinds[index]
                order = (-round(score / 5), _KIND_ORDER[kind], -self._t.ranks[index])
                scored[index] = min(scored.get(index, order), order)
        best = sorted(scored, key=lambda i: scored[i])[:limit]
        return [self._place(i) for i in best]

    def resolve(self, query: str) -> Place | None:
        """The one place a user's free text names exactly, or None when it is not clear which.

        ``query`` must be a whole name or alias of the place, in any language and case form
        ("Kharkov", "Кривому Розі", "Київщина", "Днепропетровская"); no typo tolerance (that is
        :meth:`search`'s). A region's former city name is the region ("Dnipropetrovsk"). Among
        several places of that name one must dominate: a region over villages ("Київщина" is
        also a village), a city over villages and towns ("Кривий Ріг" is also a Kherson
        village), or a place ten times as populous (and at least a town's size) as the next;
        otherwise None ("Мирне": dozens of villages). A town's adjective ("харківська" ТЕЦ)
        counts only when no place is named outright.
        """
        key = name_key(query).encode(KEY_CODEC, "replace")
        if not key or key not in self._t.keys:
            region = self._renamed_region(key) if key else None
            return None if region is None else self._place(region)
        region = self._renamed_region(key)
        if region is not None:
            return self._place(region)
        entries = _as_list(self._t.keys[key])
        named = [e for e in entries if not e & LOWER_CASE] or entries
        ranks = self._t.ranks
        found = sorted({e >> FLAG_BITS for e in named}, key=lambda i: -ranks[i])
        if len(found) > 1 and not self._dominates(found[0], found[1]):
            return None
        place = self._place(found[0])
        if place.region_code in CITY_REGIONS and place.settlement_code is not None:
            # Kyiv and Sevastopol are regions of their own: following the city is following
            # the region, which also covers reports that say only "the capital".
            return self.node(place.region_code) or place
        return place

    def named(self, query: str) -> list[Place]:
        """Every place a user's free text names exactly (no typo tolerance), best first.

        Like :meth:`resolve` but never picks: namesakes stay unless a region, a country or a
        city of at least :data:`_NAMESAKE_CITY` people outweighs them ("Kyiv" is the capital,
        not the Mykolaiv village; "Kamianka" is 55 places). Kyiv and Sevastopol are their
        city regions; a region's former city name is the region ("Dnipropetrovsk").
        """
        key = name_key(query).encode(KEY_CODEC, "replace")
        region = self._renamed_region(key) if key else None
        if region is not None:
            return [self._place(region)]
        entries = _as_list(self._t.keys.get(key, ())) if key else []
        named = [e for e in entries if not e & LOWER_CASE] or entries
        ranks, kinds, populations = self._t.ranks, self._t.kinds, self._t.populations
        found = sorted({e >> FLAG_BITS for e in named}, key=lambda i: -ranks[i])
        if found:
            best = found[0]
            strong = kinds[best] != ord("s") or (
                ranks[best] >= _CITY_RANK and populations[best] >= _NAMESAKE_CITY
            )
            if strong:
                found = [best] + [i for i in found[1:] if kinds[i] != ord("s")]
        places = [self._place(i) for i in found]
        out: list[Place] = []
        for place in places:
            if place.region_code in CITY_REGIONS and place.settlement_code is not None:
                place = self.node(place.region_code) or place
            if place not in out:
                out.append(place)
        return out

    def _dominates(self, best: int, other: int) -> bool:
        """Is ``best`` clearly what a name shared with ``other`` means (see :meth:`resolve`)?"""
        kinds, ranks, populations = self._t.kinds, self._t.ranks, self._t.populations
        best_area, other_area = kinds[best] != ord("s"), kinds[other] != ord("s")
        if best_area or other_area:  # a region or country against a place or another area
            return best_area and not other_area and ranks[other] < _CITY_RANK
        if ranks[best] >= _CITY_RANK > ranks[other]:
            return True
        size = populations[best]
        return size >= _TOWN_SIZE and size >= 10 * populations[other]

    def _renamed_region(self, key: bytes) -> int | None:
        """The region a query names by its bare name when no settlement's current name is it.

        "Dnipropetrovsk" is still the oblast's name but only a former name of Dnipro city.
        """
        found = self._t.keys.get(key + b" oblast") or self._t.keys.get(
            key + " область".encode(KEY_CODEC)
        )
        regions = [e >> FLAG_BITS for e in _as_list(found or ())]
        regions = [i for i in regions if self._t.kinds[i] == ord("r")]
        if not regions:
            return None
        for entry in _as_list(self._t.keys.get(key, ())):
            fields = self._fields(entry >> FLAG_BITS)
            if fields[1] == "s" and key.decode(KEY_CODEC) in {name_key(n) for n in fields[6:9]}:
                return None
        return regions[0]

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
        populations = self._t.populations
        matches = []
        city: tuple[int, int] | None = None  # the last city named: its node and where it ends
        ends: list[int] | None = None  # sentence ends, found once a city is named
        previous_end = -2
        for start, end, entries in spans:
            prior, previous_end = previous_end, end
            possessive = text[end : end + 1] in ("'", "’")  # "in Anna's house"
            if not possessive and context.after_locative(text, start):
                entries = [
                    e & ~WEAK if populations[e >> FLAG_BITS] >= context.LOCATIVE_TOWN else e
                    for e in entries
                ]
            if context.after_arabic_article(text, start):
                entries = [e for e in entries if self._arabic(e >> FLAG_BITS)]
            if context.outlet(text, end):
                continue  # "Saba news agency", "Kyiv Independent": an outlet
            one_word = " " not in text[start:end]
            if one_word and prior != start - 1 and context.after_an_unknown_word(text, start):
                entries = [e for e in entries if not self._foreign_town(e >> FLAG_BITS)]
            index = self._resolve(entries, named)
            if index is not None and not possessive:
                index = self._around_city(index, text, start, end)
            if index is None:
                continue
            if city is not None and index != city[0]:
                ends = context.sentence_ends(text) if ends is None else ends
                if context.district_after_city(text, ends, city[1], start, end):
                    continue  # "in Kherson … in the Dniprovskyi district": Kherson's district
            if self._t.kinds[index] == ord("s") and self._t.ranks[index] >= _CITY_RANK:
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
                entries = _as_list(found)
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
            elif len(entries) == 1 or ranks[strong[0]] >= _CITY_RANK:
                implied.add(regions[strong[0]])
        return named, implied | named

    def _resolve(self, entries: list[int], context: tuple[set[int], set[int]]) -> int | None:
        near, regions = context[1], self._t.regions
        allowed = [
            e >> FLAG_BITS for e in entries if not e & WEAK or regions[e >> FLAG_BITS] in near
        ]
        for named in context:
            for index in allowed:
                if regions[index] in named:
                    return index
        return allowed[0] if allowed else None

    # ---- nodes ----------------------------------------------------------------------------
    def _index_of(self, code: str) -> int | None:
        lines, wanted = self._t.lines, code.encode()
        index = bisect.bisect_left(lines, wanted, key=_code_of)
        return index if index < len(lines) and _code_of(lines[index]) == wanted else None

    def _of_kind(self, kind: bytes) -> list[int]:
        return [i for i, k in enumerate(self._t.kinds) if k == kind[0]]

    def _fields(self, index: int) -> list[str]:
        return self._t.lines[index].decode().split("\t")

    def _place(self, index: int) -> Place:
        place = self._places.get(index)
        if place is None:
            place = self._places[index] = self._make_place(index)
        return place

    def _make_place(self, index: int) -> Place:
        code, kind, country, _region, _pop, _rank, en, uk, ru = self._fields(index)
        if kind == "c":  # a country's own names go in the name_* fields
            return Place(country, name_en=en, name_uk=uk, name_ru=ru)
        region_index = self._t.regions[index]
        region_names = ("", "", "")
        region_code = None
        if region_index >= 0:
            fields = self._fields(region_index)
            region_code, region_names = fields[0], (fields[6], fields[7], fields[8])
        if kind == "r":
            return Place(country, code, None, "", "", "", *region_names)
        return Place(country, region_code, code, en, uk, ru, *region_names)


def load_gazetteer(path: pathlib.Path | None = None) -> Gazetteer:
    """Read the packaged data file (or ``path``) into a :class:`Gazetteer`."""
    return Gazetteer(read_tables(path or DATA_FILE))
