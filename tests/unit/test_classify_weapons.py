"""Weapon classes, per the labelling rules of the dev set."""

from __future__ import annotations

import pytest

from bot.classify.lexicon import load_lexicon
from bot.classify.text import normalise
from bot.classify.weapons import choose_weapon, proper_mlrs, weapon_tags
from bot.domain import Weapon


def weapon(text: str, lang: str = "en") -> Weapon:
    hits = load_lexicon(lang).scan(normalise(text))
    return choose_weapon(weapon_tags(t for h in hits for t in h.tags))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Kalibr missiles hit the port", "en", Weapon.CRUISE_MISSILE),
        ("a Kh-101 struck the plant", "en", Weapon.CRUISE_MISSILE),
        ("Iskander-M missiles", "en", Weapon.BALLISTIC_MISSILE),
        ("Шахеди атакували місто", "uk", Weapon.DRONE),
        ("удар БпЛА по підстанції", "uk", Weapon.DRONE),
        ("керованими авіабомбами по місту", "uk", Weapon.GLIDE_BOMB),
        ("обстріл з РСЗВ", "uk", Weapon.MLRS),
        ("mortar shells landed in the yard", "en", Weapon.ARTILLERY),
        ("внаслідок обстрілу", "uk", Weapon.ARTILLERY),
        ("авіаудар по селищу", "uk", Weapon.AIRSTRIKE),
        ("warplanes fired missiles at the village", "en", Weapon.AIRSTRIKE),
        ("rockets and mortar shells hit the town", "en", Weapon.ARTILLERY),
        ("ракетный обстрел завода", "ru", Weapon.MISSILE),
        ("a rocket hit a house", "en", Weapon.MISSILE),
        ("an explosion damaged a house", "en", Weapon.UNKNOWN),
    ],
)
def test_weapon_classes(text: str, lang: str, expected: Weapon) -> None:
    assert weapon(text, lang) is expected


def test_grad_only_when_capitalised() -> None:
    assert proper_mlrs("Обстріл з «Граду»", normalise("Обстріл з «Граду»"))
    assert not proper_mlrs("Пройшов сильний град", normalise("Пройшов сильний град"))
