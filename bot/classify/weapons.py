"""Which weapon a text names, following the labelling rules in ../shared/data/README.md.

Named systems decide (Kalibr → cruise, Iskander → ballistic, Shahed → drone, KAB → glide bomb,
Grad → MLRS). A missile or rocket of unstated type stays :data:`Weapon.MISSILE`. Aircraft firing
missiles is an airstrike; rockets together with mortars or artillery count as artillery. The
generic "shelling"/"обстріл" only counts as artillery when nothing more specific is named.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain import WEAPON_SPECIFICITY, Weapon

_BY_TAG: dict[str, Weapon] = {
    "weapon:cruise": Weapon.CRUISE_MISSILE,
    "weapon:ballistic": Weapon.BALLISTIC_MISSILE,
    "weapon:missile": Weapon.MISSILE,
    "weapon:drone": Weapon.DRONE,
    "weapon:glide": Weapon.GLIDE_BOMB,
    "weapon:mlrs": Weapon.MLRS,
    "weapon:artillery": Weapon.ARTILLERY,
    "weapon:airstrike": Weapon.AIRSTRIKE,
}

# Capitalised names that are also ordinary words in uk/ru ("град" is hail, "ураган" a hurricane).
PROPER_MLRS = ("град", "смерч", "ураган")


def weapon_tags(tags: Iterable[str]) -> set[str]:
    return {tag for tag in tags if tag.startswith("weapon:")}


def choose_weapon(tags: set[str]) -> Weapon:
    """The weapon class for the set of ``weapon:*`` tags found in one text."""
    named = {_BY_TAG[t] for t in tags if t in _BY_TAG}
    if not named:
        return Weapon.ARTILLERY if "weapon:shelling" in tags else Weapon.UNKNOWN
    if Weapon.AIRSTRIKE in named and named <= {Weapon.AIRSTRIKE, Weapon.MISSILE}:
        return Weapon.AIRSTRIKE
    if Weapon.ARTILLERY in named and named <= {Weapon.ARTILLERY, Weapon.MISSILE}:
        return Weapon.ARTILLERY
    if Weapon.GLIDE_BOMB in named:
        return Weapon.GLIDE_BOMB
    if Weapon.AIRSTRIKE in named and len(named) > 1:
        named.discard(Weapon.AIRSTRIKE)  # "missiles from Tu-95 bombers": the missile decides
    return max(named, key=lambda w: (WEAPON_SPECIFICITY[w], -list(Weapon).index(w)))


def named_weapons(tags: set[str]) -> tuple[Weapon, ...]:
    """Every weapon class the ``weapon:*`` tags name, most specific first. A generic "missile"
    is left out when a specific missile is named, and "shelling" counts only alone."""
    named = {_BY_TAG[t] for t in tags if t in _BY_TAG}
    if named & {Weapon.BALLISTIC_MISSILE, Weapon.CRUISE_MISSILE}:
        named.discard(Weapon.MISSILE)
    if not named and "weapon:shelling" in tags:
        named.add(Weapon.ARTILLERY)
    order = list(Weapon)
    return tuple(sorted(named, key=lambda w: (-WEAPON_SPECIFICITY[w], order.index(w))))


def describe(weapons: tuple[Weapon, ...]) -> str:
    """ "missiles and drones" when a strike used both; else the one weapon's name."""
    missiles = {Weapon.BALLISTIC_MISSILE, Weapon.CRUISE_MISSILE, Weapon.MISSILE}
    if Weapon.DRONE in weapons and missiles.intersection(weapons):
        return "missiles and drones"
    return weapons[0].value if weapons else Weapon.UNKNOWN.value


def proper_mlrs(original: str, norm: str) -> bool:
    """True when "Град"/"Смерч"/"Ураган" appear capitalised (the rocket systems, not weather)."""
    for name in PROPER_MLRS:
        start = norm.find(name)
        while start != -1:
            if original[start].isupper() and (start == 0 or not norm[start - 1].isalpha()):
                return True
            start = norm.find(name, start + 1)
    return False
