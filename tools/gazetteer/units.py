"""Place adjectives, raions and hromadas: "Одеський порт", "Броварського району" → the city.

The register names raions and hromadas by the adjective of their centre ("Броварський",
"Броварська"), which both finds the centre and confirms the adjective.
"""

from __future__ import annotations

from typing import Any

from translitua import translit

from bot.geo.store import LOWER_CASE, WEAK
from gazetteer.common import CATEGORY_WEIGHT, Node, zipf
from gazetteer.forms import Forms

ADJECTIVE_POP = 20_000  # towns from this size (and every city) get their adjective indexed
COMMON_ADJECTIVE_ZIPF = 4.0  # an adjective this frequent ("центральний") needs the region named
SAFE_POP = 100_000


def masculine(feminine: str) -> str:
    """ "Броварська" → "броварський" (register hromada names are feminine adjectives)."""
    lower = feminine.lower()
    return lower[:-1] + "ий" if lower.endswith("а") else lower


def add_units(
    forms: Forms,
    settlements: list[Node],
    weights: dict[str, int],
    ancestors: dict[str, tuple[str, ...]],
    units: Any,
) -> None:
    """Index adjectives of towns, and raion/hromada names as their centres."""
    members: dict[str, list[Node]] = {}
    for node in settlements:
        for unit in ancestors.get(node.code, ()):
            members.setdefault(unit, []).append(node)
    official: dict[str, set[str]] = {}
    for row in units.itertuples():
        lemma = masculine(row.name) if row.category == "H" else row.name.lower()
        found = [
            n
            for n in members.get(row.id, [])
            if lemma in forms.adjective_candidates(n.name_uk, "uk")
        ]
        if not found:
            continue
        centre = max(found, key=lambda n: (weights[n.code], n.population))
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
        elif centre.name_ru and (ru := forms.adjective(centre.name_ru, "ru", {lemma})):
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
        weak = common or not big
        flags = LOWER_CASE | (WEAK if weak else 0)
        add_forms(node, set(forms.adjective_forms(adjective, lang)), flags)
