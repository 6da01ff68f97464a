"""Namesakes, background spans and villages abroad: which place a name means, and which named
places are struck (the project's own sentences, en/uk/ru; real classifier and gazetteer)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classify import Classifier, load_classifier
from bot.classify import place_roles as roles
from bot.geo import Gazetteer, load_gazetteer

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load_classifier()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def settlements(gazetteer: Gazetteer, text: str) -> dict[str, str]:
    """Each settlement's English name → its region code."""
    return {
        m.place.name_en: m.place.region_code or ""
        for m in gazetteer.find_places(text)
        if m.kind == "settlement"
    }


# ---- a big city's name is the city ------------------------------------------------------------
def test_big_cities_stay_cities_when_the_text_lists_regions(gazetteer: Gazetteer) -> None:
    text = (
        "Масована атака тривала всю ніч. Під ударом були Київ, Запоріжжя, а також "
        "Миколаївщина, Чернігівщина та Одещина."
    )
    found = settlements(gazetteer, text)
    assert found["Kyiv"] == "UA-30"
    assert found["Zaporizhzhia"] == "UA-23"


def test_a_list_of_regions_does_not_move_the_alert_of_a_capital(clf: Classifier) -> None:
    report = clf.classify(
        "Нічний удар по Києву: загинули троє людей",
        "Ракети та дрони летіли на Київ, Сумщину, Миколаївщину і Чернігівщину. У столиці "
        "пошкоджено житловий будинок, загинули троє мешканців.",
        "uk",
        NOW,
        NOW,
    )
    assert report.is_civilian_strike
    assert report.places[0].region_code == "UA-30"


def test_a_village_word_or_an_adjacent_region_still_picks_the_namesake(
    gazetteer: Gazetteer,
) -> None:
    assert settlements(gazetteer, "Обстріляли село Кривий Ріг на Херсонщині")["Kryvyi Rih"] == (
        "UA-65"
    )
    assert settlements(gazetteer, "Снаряд упав у Кривий Ріг, Херсонщина")["Kryvyi Rih"] == "UA-65"


# ---- a span of time is background ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "A Russian drone hit a house in Sumy on Friday night, killing two residents. "
            "Drones have hit homes in Kharkiv and Odesa over the past few months, killing dozens.",
            "en",
        ),
        (
            "Уночі дрон влучив у житловий будинок у Сумах, загинули двоє людей. "
            "За останні місяці дрони влучали в будинки в Харкові та Одесі, загинули десятки людей.",
            "uk",
        ),
        (
            "Ночью дрон попал в жилой дом в Сумах, погибли два человека. "
            "В последние месяцы дроны попадали в дома в Харькове и Одессе, погибли десятки людей.",
            "ru",
        ),
    ],
)
def test_places_of_a_pattern_over_months_are_not_struck(
    clf: Classifier, text: str, lang: str
) -> None:
    report = clf.classify("", text, lang, NOW, NOW)
    assert report.is_civilian_strike
    assert {p.region_code for p in report.places} == {"UA-59"}


def test_background_spans_of_time() -> None:
    assert roles.background("Strikes hit both towns in recent weeks.", 0)
    assert roles.background("Такі удари тривають з початку повномасштабного вторгнення.", 0)
    assert not roles.background("A missile hit a school in the town last night.", 0)
    # only the sentence given is read, not the next one
    text = "A missile hit a school. Strikes hit both towns in recent weeks."
    assert not roles.background(text, 0, text.index("Strikes"))


# ---- villages abroad -----------------------------------------------------------------------------
def test_a_lebanese_town_after_in_the_town_of_is_found(clf: Classifier) -> None:
    report = clf.classify(
        "Drone strike kills three in southern Lebanon",
        "An Israeli drone struck a car in the town of Bint Jbeil on Monday, killing three "
        "civilians, Lebanon's health ministry said.",
        "en",
        NOW,
        NOW,
    )
    assert report.is_civilian_strike
    assert report.places[0].country == "LB"
    assert report.places[0].name_en.startswith("B")
    assert report.places[0].region_code


def test_a_village_abroad_needs_its_country_named(gazetteer: Gazetteer) -> None:
    assert settlements(gazetteer, "He was born in Bint Jbeil and moved away.") == {}
    found = settlements(gazetteer, "Lebanon mourns: a strike in Bint Jbeil killed two.")
    assert len(found) == 1


# ---- a roundup: the clause with civilian harm is the main place ---------------------------------
@pytest.mark.parametrize(
    ("title", "lang", "region"),
    [
        (
            "Зведення за добу: удар по нафтобазі в Кременчуці, а в Черкасах ракета зруйнувала "
            "житловий будинок",
            "uk",
            "UA-71",
        ),
        (
            "Night roundup: a strike on the oil depot in Kremenchuk, while in Cherkasy a missile "
            "destroyed an apartment building",
            "en",
            "UA-71",
        ),
    ],
)
def test_a_roundup_leads_with_the_hit_on_civilians(
    clf: Classifier, title: str, lang: str, region: str
) -> None:
    report = clf.classify(title, "", lang, NOW, NOW)
    assert report.is_civilian_strike
    assert report.places[0].region_code == region


# ---- a place adjective before a street, hill or front is no place -------------------------------
@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Ракета влучила в багатоповерхівку на Московському проспекті в Харкові", "UA-63"),
        ("Снаряд попал в дом на Харьковской горе в Белгороде, ранены двое", "RU-BEL"),
        ("Дрон влучив у магазин на Одеській трасі біля Миколаєва", "UA-48"),
    ],
)
def test_a_street_or_hill_named_after_a_city_is_not_that_city(
    gazetteer: Gazetteer, text: str, region: str
) -> None:
    assert {m.place.region_code for m in gazetteer.find_places(text)} == {region}
