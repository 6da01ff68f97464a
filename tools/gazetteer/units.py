"""Place adjectives, raions and hromadas: "Одеський порт", "Броварського району" → the city.

The register names raions and hromadas by the adjective of their centre ("Броварський",
"Броварська"), which both finds the centre and confirms the adjective.
"""

from __future__ import annotations

import re
from typing import Any

from translitua import translit

from bot.geo.datafile import LOWER_CASE, WEAK
from gazetteer.common import CATEGORY_WEIGHT, Node, zipf
from gazetteer.forms import Forms
from gazetteer.regions import region_stem_forms

ADJECTIVE_POP = 20_000  # towns from this size (and every city) get their adjective indexed
COMMON_ADJECTIVE_ZIPF = 4.0  # an adjective this frequent ("центральний") needs the region named
SAFE_POP = 100_000
EVERYDAY_ADJECTIVE_ZIPF = 4.5  # an adjective this frequent is not indexed for a small town


def masculine(feminine: str) -> str:
    """ "Броварська" → "броварський" (register hromada names are feminine adjectives)."""
    lower = feminine.lower()
    return lower[:-1] + "ий" if lower.endswith("а") else lower


def _apostrophe(text: str) -> str:
    return text.lower().replace("’", "'").replace("ʼ", "'")


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def unit_centre(
    lemma: str, members: list[Node], weights: dict[str, int], loose: bool
) -> Node | None:
    """The town a raion/hromada adjective is made from.

    First a regular adjective of a member ("Броварський" ← "Бровари"); failing that the member
    whose name shares the longest start with the adjective ("Бучанський" ← "Буча",
    "Криворізький" ← "Кривий Ріг", "Рівненський" ← "Рівне"): at least 3 letters, a town, cities
    first;
    that only when ``loose`` (raions, named after towns less regularly than hromadas).
    """
    lemma = _apostrophe(lemma)
    found = [
        n
        for n in members
        if lemma in {_apostrophe(a) for a in Forms.adjective_candidates(n.name_uk, "uk")}
        or _apostrophe(n.name_uk) == lemma  # "Хмельницький", "Кам'янець-Подільський"
    ]
    if found:
        return max(found, key=lambda n: (weights[n.code], n.population))
    scored = [(_common_prefix(lemma, _apostrophe(n.name_uk)), n) for n in members if loose]
    scored = [(k, n) for k, n in scored if k >= 3 and weights[n.code] >= CATEGORY_WEIGHT["T"]]
    if not scored:
        return None
    return max(scored, key=lambda kn: (weights[kn[1].code], kn[0], kn[1].population))[1]


def russian_adjective(lemma: str) -> str:
    """A Ukrainian place adjective in Russian spelling: "бучанський" → "бучанский"."""
    out = re.sub(r"ськ", "ск", lemma).replace("цьк", "цк").replace("'", "").replace("’", "")
    out = out.replace("і", "и").replace("ї", "и").replace("є", "е")
    return out


def raion_nicknames(lemma: str) -> set[str]:
    """What the press calls a raion by its centre: "нікопольський" → "Нікопольщина",
    "бахмутський" → "Бахмутчина", "кременчуцький" → "Кременчуччина", "криворізький" →
    "Криворіжжя" (the raion's centre stands for it: the oblast is the same)."""
    names = region_stem_forms(lemma[:-2] + "а") if lemma.endswith("ий") else set()
    if lemma.endswith("зький"):
        names.add(lemma[: -len("зький")] + "жжя")
    return {n[:1].upper() + n[1:] for n in names}


def add_units(
    forms: Forms,
    settlements: list[Node],
    weights: dict[str, int],
    ancestors: dict[str, tuple[str, ...]],
    units: Any,
    taken: frozenset[str] = frozenset(),
) -> None:
    """Index adjectives of towns, and raion/hromada names as their centres (a raion's
    nickname only when no oblast is called so: ``taken`` holds lower-cased oblast names)."""
    members: dict[str, list[Node]] = {}
    for node in settlements:
        for unit in ancestors.get(node.code, ()):
            members.setdefault(unit, []).append(node)
    official: dict[str, set[str]] = {}
    for row in units.itertuples():
        lemma = masculine(row.name) if row.category == "H" else row.name.lower()
        centre = unit_centre(lemma, members.get(row.id, []), weights, row.category == "P")
        if centre is None:
            continue
        official.setdefault(centre.code, set()).add(lemma)
        noun = "громада" if row.category == "H" else "район"
        add_forms(centre, forms.of(f"{row.name} {noun}"), 0)
        add_forms(centre, forms.of(f"{lemma} район"), 0)
        latin = translit(lemma.title())
        add_forms(centre, {f"{latin} district", f"{latin} raion"}, 0)
        if row.category == "H":
            add_forms(
                centre, {f"{translit(row.name)} hromada", f"{translit(row.name)} community"}, 0
            )
        else:
            nicknames = {n for n in raion_nicknames(lemma) if n.lower() not in taken}
            add_forms(centre, {f for n in nicknames for f in forms.of(n)}, 0)
            russian = {russian_adjective(lemma)}
            if centre.name_ru and (ru := forms.adjective(centre.name_ru, "ru", {lemma})):
                russian.add(ru)
            for ru in russian:
                add_forms(centre, forms.of(f"{ru} район"), 0)
    for node in settlements:
        big = node.population >= ADJECTIVE_POP or weights[node.code] >= CATEGORY_WEIGHT["M"]
        if big or node.code in official:
            add_adjectives(forms, node, official.get(node.code, set()), big)


def add_forms(node: Node, surfaces: set[str], flags: int) -> None:
    for surface in surfaces:
        node.forms[surface] = min(node.forms.get(surface, flags), flags)


def add_adjectives(forms: Forms, node: Node, official: set[str], big: bool) -> None:
    """The town's adjective alone ("Кременчуцький НПЗ") when the town is big or a centre."""
    uk = forms.adjective(node.name_uk, "uk", official) if node.name_uk else ""
    ru = forms.adjective(node.name_ru, "ru", {uk} if uk else set()) if node.name_ru else ""
    for adjective, lang in ((uk, "uk"), (ru, "ru")):
        if not adjective:
            continue
        common = zipf(adjective, lang) >= COMMON_ADJECTIVE_ZIPF and node.population < SAFE_POP
        if common and zipf(adjective, lang) >= EVERYDAY_ADJECTIVE_ZIPF:
            continue  # "український" is Ukrainsk's adjective only on paper
        weak = common or not big
        flags = LOWER_CASE | (WEAK if weak else 0)
        add_forms(node, set(forms.adjective_forms(adjective, lang)), flags)
