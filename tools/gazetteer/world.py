"""Countries, and first-level regions and cities of the other countries covered."""

from __future__ import annotations

import re
from typing import Any

import pycountry
from babel import Locale
from rapidfuzz import fuzz

from bot.geo.names import fold
from gazetteer.arabic import ARABIC_COUNTRIES, arabic_variants
from gazetteer.common import (
    CATEGORY_WEIGHT,
    CYRILLIC,
    REGION_NICKNAMES,
    STRONG_POP,
    UK_ONLY,
    Node,
    collapse_doubles,
    english_latin,
    is_common,
    pick_ru,
    rank,
    ru_to_uk,
    script_names,
    strip_marks,
    translations,
    transliterations,
)
from gazetteer.forms import Forms
from gazetteer.regions import REGION_WORDS_EN, region_names, russian_name

#: Countries covered below country level (first-level regions and cities ≥ FOREIGN_MIN_POP).
FOREIGN = [
    "RU",
    "BY",
    "MD",
    "IL",
    "PS",
    "LB",
    "SY",
    "SD",
    "SS",
    "MM",
    "YE",
    "IQ",
    "IR",
    "TR",
    "SA",
    "SO",
    "PK",
    "AF",
    "LY",
    "ET",
    "CD",
    "ML",
    "BF",
    "NG",
    "NE",
    "AE",
    "JO",
    "EG",
    "AZ",
    "AM",
    "GE",
    "KE",
]
FOREIGN_MIN_POP = 20_000
#: Russian regions on Ukraine's border (or struck often) covered down to places of BORDER_MIN_POP.
BORDER = {"RU-BEL", "RU-KRS", "RU-BRY", "RU-VOR", "RU-ROS", "RU-KDA"}
BORDER_MIN_POP = 1_000
BORDER_STRONG_POP = 3_000  # a border place below it needs its region named
#: Countries at war whose towns and villages the press names (Gaza, Lebanon, Israel, Syria,
#: Sudan, Myanmar): every place of GeoNames' cities500 file, down to the seats of districts it
#: lists without a population. Below FOREIGN_MIN_POP they are weak: the text must name their
#: region, or put them after "in"/"the town of" in a text that names their country.
CONFLICT = {"PS", "LB", "IL", "SY", "SD", "MM"}
CYRILLIC_COUNTRIES = {"RU", "BY"}


def country_nodes() -> list[Node]:
    uk, ru, en = (Locale(lang).territories for lang in ("uk", "ru", "en"))
    uk1, ru1 = translations("iso3166-1", "uk"), translations("iso3166-1", "ru")
    nodes = []
    for country in pycountry.countries:
        code = country.alpha_2
        short = {
            lang: re.sub(r"\s*\(.*\)", "", t.get(code, ""))
            for lang, t in (("en", en), ("uk", uk), ("ru", ru))
        }
        node = Node(
            code,
            "country",
            code,
            None,
            short["en"] or country.name,
            short["uk"],
            short["ru"],
            rank=rank(7, 0),
        )
        extra = [
            country.name,
            getattr(country, "common_name", ""),
            uk1.gettext(country.name),
            ru1.gettext(country.name),
        ]
        extra += [m for t in (en, uk, ru) for m in re.findall(r"\((.*)\)", t.get(code, ""))]
        node.names = {n for n in [*short.values(), *extra] if n and "," not in n}
        nodes.append(node)
    return nodes


def foreign_region_en(
    code: str, name: str, aliases: list[str], cities: list[dict[str, Any]]
) -> str:
    """A press-style English region name: "Belgorod oblast", "Aleppo Governorate", "Beirut"."""
    for alias in aliases:
        for word in ("Oblast", "Krai", "Kray"):
            if alias.endswith(" " + word) and alias.isascii():
                return f"{alias[: -len(word) - 1]} {word.lower()}"
    match = re.match(r"(\w+?)(?:skaya oblast'|skiy kray|aya oblast')$", name)
    if code.startswith("RU-") and match:
        stem = match.group(1)
        best = [c["name"] for c in cities if c["name"].startswith(stem)]
        head = best[0] if best and len(best[0]) <= len(stem) + 2 else stem
        return f"{head} {'krai' if name.endswith('kray') else 'oblast'}"
    for alias in aliases:
        if alias.isascii() and alias.split()[-1] in {"Governorate", "Province", "State", "Region"}:
            return alias
    plain = [a for a in aliases if a.isascii() and " " not in a and a[0].isupper()]
    if plain:
        return plain[0]  # "Beirut" rather than "Bayrut"
    return strip_marks(name)


def checked_uk_names(uk_names: dict[str, str], ru_names: dict[str, str]) -> dict[str, str]:
    """Region code → Ukrainian name, without names pycountry gives two regions by mistake
    (its "Краснодарський край" is Krasnoyarsk's too): the region whose Russian name it does not
    resemble gets one made from its Russian name ("Красноярский край" → "Красноярський край")."""
    by_name: dict[str, list[str]] = {}
    for code, uk in uk_names.items():
        if uk:
            by_name.setdefault(uk, []).append(code)
    out = dict(uk_names)
    for uk, codes in by_name.items():
        if len(codes) < 2:
            continue
        best = max(codes, key=lambda c: fuzz.ratio(uk.lower(), ru_names.get(c, "").lower()))
        for code in codes:
            if code != best:
                ru = ru_names.get(code, "")
                made = re.sub(r"([сц])кий\b", r"\1ький", re.sub(r"([сц])кая\b", r"\1ька", ru))
                out[code] = made if made != ru else ""
    return out


def foreign(forms: Forms, geo: dict[str, Any], regions: dict[str, list[str]]) -> list[Node]:
    """First-level regions of FOREIGN countries, their cities, and Russian border places."""
    uk2, ru2 = translations("iso3166-2", "uk"), translations("iso3166-2", "ru")
    region_nodes, cities = [], []
    admin1: dict[str, str] = {}
    places = sorted(
        (
            p
            for p in geo.values()
            if p["countrycode"] in FOREIGN
            and (p["population"] >= BORDER_MIN_POP or p["countrycode"] in CONFLICT)
        ),
        key=lambda p: -p["population"],
    )
    big = [p for p in places if p["population"] >= FOREIGN_MIN_POP]
    uk_names, ru_names = {}, {}
    for code, (_name, _adm, _type, *aliases) in regions.items():
        if code.split("-")[0] in FOREIGN:
            sub = pycountry.subdivisions.get(code=code)
            uk = uk2.gettext(sub.name) if sub else ""
            uk_names[code] = uk if uk and CYRILLIC.match(uk) else ""
            ru_names[code] = russian_name(ru2.gettext(sub.name) if sub else "", aliases)
    uk_names = checked_uk_names(uk_names, ru_names)
    for code, (name, adm, _type, *aliases) in sorted(regions.items()):
        country = code.split("-")[0]
        if country not in FOREIGN:
            continue
        admin1[adm] = code
        uk, ru = uk_names[code], ru_names[code]
        if code in REGION_NICKNAMES:
            aliases = [*aliases, *REGION_NICKNAMES[code]]
        in_region = [c for c in big if f"{c['countrycode']}.{c['admin1code']}" == adm]
        en = strip_marks(foreign_region_en(code, name, aliases, in_region))
        node = Node(code, "region", country, code, "", uk, ru, rank=rank(8, 0))
        node.name_en = en
        stem = re.sub(r" (oblast|krai|Governorate|Province|State|Region|District)$", "", en)
        region_names(node, stem, uk, ru, aliases)
        if country in ARABIC_COUNTRIES:  # "Hasakeh province", "Deir Ezzor governorate"
            for variant in arabic_variants({stem}):
                node.plain_names |= {f"{variant} {word}" for word in REGION_WORDS_EN}
        node.names |= {name, stem, *aliases}
        region_nodes.append(node)
    names_to_region = {(n.country, fold(a)): n.code for n in region_nodes for a in n.names}
    for place in places:
        country = place["countrycode"]
        region = admin1.get(f"{country}.{place['admin1code']}") or names_to_region.get(
            (country, fold(place["name"]))
        )
        small = place["population"] < FOREIGN_MIN_POP
        if small and region not in BORDER and country not in CONFLICT:
            continue
        cities.append(city(forms, place, country, region))
    return region_nodes + cities


def city(forms: Forms, place: dict[str, Any], country: str, region: str | None) -> Node:
    cyr, lat = script_names(place["alternatenames"])
    population = place["population"]
    node = Node(
        f"{region or country}:{place['geonameid']}",
        "settlement",
        country,
        region,
        strip_marks(place["name"]),
        population=population,
    )
    node.name_uk = next((a for a in sorted(cyr) if set(a.lower()) & UK_ONLY), "")
    node.name_ru = pick_ru(node.name_uk, cyr, forms.ru)
    if country in CYRILLIC_COUNTRIES and node.name_ru:
        spellings = ru_to_uk(node.name_ru)
        node.name_uk = node.name_uk or min(spellings, key=len, default="")
        cyr |= spellings
        lat = english_latin(lat, cyr) | transliterations({node.name_ru})
    node.names = cyr | {place["name"]}
    node.plain_names = lat | {node.name_en}
    if country not in CYRILLIC_COUNTRIES:  # "Raqqa" is often "Raqa"
        node.plain_names |= {collapse_doubles(n) for n in lat | {node.name_en}}
    if country in ARABIC_COUNTRIES:  # "Qamishli", "Hodeidah", "Deir Ezzor"
        node.plain_names |= arabic_variants(node.plain_names)
    weight = CATEGORY_WEIGHT["M"] if population >= FOREIGN_MIN_POP else CATEGORY_WEIGHT["G"]
    node.rank = rank(weight, population)
    words = [(w.lower(), "ru") for w in node.name_ru.split()]
    node.weak = population < BORDER_STRONG_POP or (population < STRONG_POP and is_common(words))
    if country in CONFLICT and population < FOREIGN_MIN_POP:
        node.weak = True  # a village abroad: its region or "in X" with its country named
    return node
