"""A user's query → places: search (close spellings too), resolve (one place), named (all).

Used by /subscribe and the admin commands; reading place names in a text is
:class:`~bot.geo.gazetteer.Gazetteer`'s part.
"""

from __future__ import annotations

from bot.domain import Place
from bot.geo.datafile import FLAG_BITS, KEY_CODEC, LOWER_CASE, Tables
from bot.geo.names import name_key
from bot.geo.nodes import CITY_RANK, NodeTable, as_list
from bot.geo.search import fuzzy_keys

CITY_REGIONS = frozenset({"UA-30", "UA-40"})  # Kyiv, Sevastopol: a city that is a region
#: A city this size is what its name means, not the villages that share it (see named()).
NAMESAKE_CITY = 20_000
TOWN_SIZE = 10_000  # population from which a place outweighs ten times smaller namesakes
KIND_ORDER = {ord("c"): 0, ord("r"): 1, ord("s"): 2}


class NameIndex(NodeTable):
    """Look-ups by name over the node table."""

    def __init__(self, tables: Tables) -> None:
        super().__init__(tables)
        self._search_keys: list[bytes] | None = None

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
            for entry in as_list(self._t.keys[found]):
                index = entry >> FLAG_BITS
                kind = self._t.kinds[index]
                order = (-round(score / 5), KIND_ORDER[kind], -self._t.ranks[index])
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
        entries = as_list(self._t.keys[key])
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
        city of at least :data:`NAMESAKE_CITY` people outweighs them ("Kyiv" is the capital,
        not the Mykolaiv village; "Kamianka" is 55 places). Kyiv and Sevastopol are their
        city regions; a region's former city name is the region ("Dnipropetrovsk").
        """
        key = name_key(query).encode(KEY_CODEC, "replace")
        region = self._renamed_region(key) if key else None
        if region is not None:
            return [self._place(region)]
        entries = as_list(self._t.keys.get(key, ())) if key else []
        named = [e for e in entries if not e & LOWER_CASE] or entries
        ranks, kinds, populations = self._t.ranks, self._t.kinds, self._t.populations
        found = sorted({e >> FLAG_BITS for e in named}, key=lambda i: -ranks[i])
        if found:
            best = found[0]
            strong = kinds[best] != ord("s") or (
                ranks[best] >= CITY_RANK and populations[best] >= NAMESAKE_CITY
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
            return best_area and not other_area and ranks[other] < CITY_RANK
        if ranks[best] >= CITY_RANK > ranks[other]:
            return True
        size = populations[best]
        return size >= TOWN_SIZE and size >= 10 * populations[other]

    def _renamed_region(self, key: bytes) -> int | None:
        """The region a query names by its bare name when no settlement's current name is it.

        "Dnipropetrovsk" is still the oblast's name but only a former name of Dnipro city.
        """
        found = self._t.keys.get(key + b" oblast") or self._t.keys.get(
            key + " область".encode(KEY_CODEC)
        )
        regions = [e >> FLAG_BITS for e in as_list(found or ())]
        regions = [i for i in regions if self._t.kinds[i] == ord("r")]
        if not regions:
            return None
        for entry in as_list(self._t.keys.get(key, ())):
            fields = self._fields(entry >> FLAG_BITS)
            if fields[1] == "s" and key.decode(KEY_CODEC) in {name_key(n) for n in fields[6:9]}:
                return None
        return regions[0]
