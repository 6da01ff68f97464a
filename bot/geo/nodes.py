"""The gazetteer's nodes: countries, regions and settlements by code, as :class:`Place`.

Each node is one tab-separated line of the data file (code, kind, country, region, population,
rank, English, Ukrainian and Russian names), sorted by code; a :class:`Place` is built once per
node and kept.
"""

from __future__ import annotations

import bisect

from bot.domain import Place
from bot.geo.datafile import Entries, Tables

CITY_RANK = 5 * 100_000_000  # see tools/gazetteer: rank = category weight * 1e8 + population


def as_list(found: Entries) -> list[int]:
    """A key's entries (one int, or a tuple of them) as a list."""
    return list(found) if isinstance(found, tuple) else [found]


def _code_of(line: bytes) -> bytes:
    return line[: line.index(b"\t")]


class NodeTable:
    """Nodes by code and kind; the base of :class:`~bot.geo.gazetteer.Gazetteer`."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables
        self._places: dict[int, Place] = {}

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
