"""The gazetteer: place names in free text → :class:`bot.domain.Place`, plus lookup and search.

The data file (``data/gazetteer.json.gz``, made by ``tools/build_gazetteer.py``) maps every folded
surface form of every name — inflections included ("Кривому Розі", "Харківської області") — to
candidate nodes, best-ranked first. Matching is a single pass over the text's tokens trying the
longest window (3, 2, 1 tokens) with one dict lookup each; no morphology at run time.

A match must start with a capital letter (unless the whole text is in one case) and must not be a
street name ("вулиця Перемоги"). An entry marked *weak* (a village whose name is a common word) is
accepted only when the text also names its region. Among several candidates, one in a region the
text names wins; otherwise the highest-ranked (city > town > village, then population).
"""

from __future__ import annotations

import gzip
import json
import pathlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain import Place
from bot.geo.normalize import (
    STREET_AFTER,
    STREET_BEFORE,
    fold_text,
    latin_key,
    locate,
    name_key,
    words,
)
from bot.geo.search import fuzzy_keys

DATA_FILE = pathlib.Path(__file__).parent / "data" / "gazetteer.json.gz"
FORMAT_VERSION = 1
_WINDOWS = (4, 3, 2, 1)
_CITY_RANK = 5 * 100_000_000  # see tools/build_gazetteer.py: rank = category weight * 1e8 + pop
_KIND_ORDER = {"country": 0, "region": 1, "settlement": 2}


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place named in a text: ``text[start:end]`` is the name as written."""

    place: Place
    start: int
    end: int
    kind: str  # "settlement" | "region" | "country"
    population: int  # 0 when unknown


@dataclass(frozen=True, slots=True)
class _Row:
    code: str
    kind: str
    country: str
    region: str | None
    name_en: str
    name_uk: str
    name_ru: str
    population: int
    rank: int


class Gazetteer:
    """Read-only place index. Build it with :func:`load_gazetteer`; keep and share the instance."""

    def __init__(self, rows: Sequence[Sequence[Any]], keys: dict[str, int | list[int]]) -> None:
        self._rows = [_Row(*row) for row in rows]
        self._keys = keys
        self._by_code = {row.code: index for index, row in enumerate(self._rows)}
        self._places: dict[int, Place] = {}
        self._multi_first = {key.split(" ", 1)[0] for key in keys if " " in key}
        self._search_keys: list[str] | None = None

    # ---- look-ups -------------------------------------------------------------------------
    def node(self, code: str) -> Place | None:
        index = self._by_code.get(code)
        return None if index is None else self._place(index)

    def regions(self, country: str) -> list[Place]:
        found = [i for i, r in enumerate(self._rows) if r.kind == "region" and r.country == country]
        return sorted((self._place(i) for i in found), key=lambda p: p.region_en)

    def countries(self) -> list[Place]:
        with_regions = {r.country for r in self._rows if r.kind == "region"}
        return sorted(
            (self._place(self._by_code[c]) for c in with_regions if c in self._by_code),
            key=lambda p: p.name_en,
        )

    def search(self, query: str, limit: int = 8) -> list[Place]:
        """Places for a user's free-text query: exact forms first, then close spellings."""
        key = name_key(query)
        if not key:
            return []
        if self._search_keys is None:
            self._search_keys = sorted(self._keys)
        scored: dict[int, tuple[float, int, int]] = {}
        hits = [(key, 100.0)] if key in self._keys else []
        for found, score in [*hits, *fuzzy_keys(key, self._search_keys)]:
            for index in self._entries(found):
                row = self._rows[index // 2]
                order = (-round(score / 5), _KIND_ORDER[row.kind], -row.rank)
                scored[index // 2] = min(scored.get(index // 2, order), order)
        best = sorted(scored, key=lambda i: scored[i])[:limit]
        return [self._place(i) for i in best]

    # ---- matching -------------------------------------------------------------------------
    def find_places(self, text: str) -> list[PlaceMatch]:
        """Every place named in ``text``, in text order, ambiguity resolved on the whole text."""
        spans = self._spans(text)
        context = self._context(spans)
        matches = []
        for start, end, entries in spans:
            index = self._resolve(entries, context)
            if index is not None:
                row = self._rows[index]
                place = self._place(index)
                matches.append(PlaceMatch(place, start, end, row.kind, row.population))
        return matches

    def _spans(self, text: str) -> list[tuple[int, int, list[int]]]:
        """Longest name windows, left to right, that pass the capital and street checks.

        Positions are found only for candidate words (:func:`locate`), which keeps a text
        without places at one regex pass and one set look-up per word.
        """
        keys, multi_first = self._keys, self._multi_first
        any_case = text.isupper() or text.islower()
        folded = fold_text(text)
        written = words(folded)
        tokens = [latin_key(w) for w in written] if "'" in folded else written
        count = len(tokens)
        spans: list[tuple[int, int, list[int]]] = []
        i, pos = 0, 0
        while i < count:
            key = tokens[i]
            i += 1
            if key not in keys and key not in multi_first:
                continue
            start = locate(folded, written[i - 1], pos)
            pos = start + len(written[i - 1])
            if not (any_case or text[start].isupper()):
                continue
            for width in _WINDOWS if key in multi_first else (1,):
                if i - 1 + width > count:
                    continue
                found = keys.get(" ".join(tokens[i - 1 : i - 1 + width]) if width > 1 else key)
                if found is None or self._is_street(tokens, i - 1, i - 1 + width):
                    continue
                end = pos
                for word in written[i : i - 1 + width]:
                    end = locate(folded, word, end) + len(word)
                last = written[i + width - 2]
                if last != tokens[i + width - 2] and last.endswith("'s"):
                    end -= 2  # "Kharkiv's": the span stops before the possessive
                spans.append((start, end, found if isinstance(found, list) else [found]))
                i, pos = i + width - 1, end
                break
        return spans

    @staticmethod
    def _is_street(tokens: list[str], first: int, stop: int) -> bool:
        before = tokens[first - 1] if first else ""
        after = tokens[stop] if stop < len(tokens) else ""
        return before in STREET_BEFORE or after in STREET_AFTER

    def _context(self, spans: list[tuple[int, int, list[int]]]) -> tuple[set[str], set[str]]:
        """Regions the text names outright, and regions implied by its unambiguous places."""
        named, implied = set(), set()
        for _start, _end, entries in spans:
            strong = [e // 2 for e in entries if not e & 1]
            row = self._rows[strong[0]] if strong else None
            if row and row.region and row.kind == "region":
                named.add(row.region)
            elif row and row.region and (len(entries) == 1 or row.rank >= _CITY_RANK):
                implied.add(row.region)
        return named, implied | named

    def _resolve(self, entries: list[int], context: tuple[set[str], set[str]]) -> int | None:
        near = context[1]
        allowed = [e // 2 for e in entries if not e & 1 or self._rows[e // 2].region in near]
        for regions in context:
            for index in allowed:
                if self._rows[index].region in regions:
                    return index
        return allowed[0] if allowed else None

    def _entries(self, key: str) -> list[int]:
        found = self._keys.get(key, [])
        return found if isinstance(found, list) else [found]

    def _place(self, index: int) -> Place:
        place = self._places.get(index)
        if place is None:
            place = self._places[index] = self._make_place(self._rows[index])
        return place

    def _make_place(self, row: _Row) -> Place:
        if row.kind == "country":  # a country's own names go in the name_* fields
            return Place(row.country, name_en=row.name_en, name_uk=row.name_uk, name_ru=row.name_ru)
        region = self._rows[self._by_code[row.region]] if row.region in self._by_code else None
        region_names = (region.name_en, region.name_uk, region.name_ru) if region else ("", "", "")
        if row.kind == "region":
            return Place(row.country, row.code, None, "", "", "", *region_names)
        return Place(
            row.country, row.region, row.code, row.name_en, row.name_uk, row.name_ru, *region_names
        )


def load_gazetteer(path: pathlib.Path | None = None) -> Gazetteer:
    """Read the packaged data file (or ``path``) into a :class:`Gazetteer`."""
    with gzip.open(path or DATA_FILE, "rb") as handle:
        payload = json.load(handle)
    if payload.get("version") != FORMAT_VERSION:
        raise ValueError(f"gazetteer data format {payload.get('version')!r} is not supported")
    return Gazetteer(payload["nodes"], payload["keys"])
