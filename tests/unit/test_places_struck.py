"""Places struck, not places named: each rule of bot/classify/places.py and place_roles.py,
read through the real classifier and gazetteer (the project's own sentences, en/uk/ru)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classify import Classifier, load_classifier
from bot.classify import place_roles as roles
from bot.domain import Place
from bot.geo import Gazetteer, load_gazetteer

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load_classifier()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def places(clf: Classifier, title: str, text: str = "", lang: str = "en") -> list[Place]:
    report = clf.classify(title, text, lang, NOW, NOW)
    assert report.is_civilian_strike, (title, report.reasons)
    return list(report.places)


def names(found: list[Place]) -> list[str]:
    return [p.name_en or p.region_en or p.country for p in found]


def regions(found: list[Place]) -> set[str]:
    return {p.region_code or p.country for p in found}


# ---- people named like villages -------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "lang"),
    [
        (
            "Russian shelling of Nikopol killed a 61-year-old man on Sunday, said Serhii Lysak, "
            "head of the Dnipropetrovsk regional military administration.",
            "en",
        ),
        (
            "Обстріл Нікополя: загинув 61-річний чоловік, повідомив очільник ОВА Сергій Лисак.",
            "uk",
        ),
        (
            "Удар дрона по Нікополю: погиб мужчина, сообщил глава ОВА Сергей Лысак.",
            "ru",
        ),
    ],
)
def test_an_official_named_like_a_village_is_not_a_place(
    clf: Classifier, title: str, lang: str
) -> None:
    found = places(clf, title, lang=lang)
    assert found[0].name_en == "Nikopol"
    assert regions(found) == {"UA-12"}  # not Chernivtsi oblast (village Serhii)


def test_a_governor_s_given_name_is_not_the_village_oleh(clf: Classifier) -> None:
    found = places(
        clf,
        "Ракетний удар по Одесі: двоє загиблих, повідомив голова Одеської ОВА Олег Кіпер.",
        lang="uk",
    )
    assert names(found)[0] == "Odesa"
    assert regions(found) == {"UA-51"}
    assert "Oleh" not in names(found)


def test_a_mayor_s_surname_is_not_a_village(clf: Classifier) -> None:
    found = places(
        clf,
        "Ракета влучила в житловий будинок у Харкові, поранено 7 людей, написав мер Ігор Терехов.",
        lang="uk",
    )
    assert regions(found) == {"UA-63"}
    assert len(found) == 1


def test_a_village_named_like_a_person_is_a_place_after_village(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places("Дрон атакував село Сергії, загинула жінка.")
    assert [m.place.name_en for m in found] == ["Serhii"]


# ---- offices ----------------------------------------------------------------------------------
def test_a_regional_office_is_the_oblast_never_a_second_city(clf: Classifier) -> None:
    found = places(
        clf,
        "A drone hit a bus in Marhanets, injuring four passengers, the Dnipropetrovsk regional "
        "military administration said.",
    )
    assert names(found) == ["Marhanets"]


def test_a_mayor_is_context_not_a_second_hit(clf: Classifier) -> None:
    found = places(
        clf,
        "Russian missile hit a school in Lozova, killing two teachers, Kharkiv mayor said.",
    )
    assert names(found) == ["Lozova"]


def test_an_office_alone_gives_its_oblast(clf: Classifier) -> None:
    found = places(
        clf,
        "Губернатор Белгородской области сообщил: при ударе дрона погибли двое мирных жителей.",
        lang="ru",
    )
    assert regions(found) == {"RU-BEL"}


# ---- datelines, outlets ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        "ODESA – A Russian drone struck an apartment block in Sumy overnight, killing three "
        "people.",
        "Kyiv, March 2 (Reuters) – A Russian drone struck an apartment block in Sumy overnight, "
        "killing three people.",
    ],
)
def test_a_dateline_is_not_the_place(clf: Classifier, body: str) -> None:
    found = places(clf, "Drone kills three", body)
    assert names(found) == ["Sumy"]
    assert regions(found) == {"UA-59"}


def test_a_quoted_organisation_is_not_a_place(clf: Classifier) -> None:
    found = places(
        clf,
        "Волонтери фонду «Схід» допомагали після удару по Запоріжжю, де загинули двоє людей.",
        lang="uk",
    )
    assert regions(found) == {"UA-23"}


# ---- lists, no cap --------------------------------------------------------------------------
def test_every_city_of_a_list_of_five_is_struck_main_first(clf: Classifier) -> None:
    found = places(
        clf,
        "Overnight Russian missiles hit Kharkiv, Odesa, Dnipro, Lviv and Poltava, killing at "
        "least nine civilians.",
    )
    assert names(found) == ["Kharkiv", "Odesa", "Dnipro", "Lviv", "Poltava"]


def test_a_place_only_named_in_a_strike_sentence_is_not_struck(clf: Classifier) -> None:
    found = places(
        clf,
        "A glide bomb hit a hospital in Kupiansk, killing two patients; the wounded were taken "
        "to Kharkiv.",
    )
    assert names(found) == ["Kupiansk"]


def test_origin_of_the_attack_is_not_struck(clf: Classifier) -> None:
    found = places(
        clf,
        "Drones launched from Kursk hit a house in Sumy, injuring a woman and her son.",
    )
    assert regions(found) == {"UA-59"}


def test_a_recalled_earlier_strike_adds_no_place(clf: Classifier) -> None:
    found = places(
        clf,
        "A missile hit a warehouse in Chernihiv, killing a guard.",
        "Recall that last week a strike on Poltava killed four people.",
    )
    assert names(found) == ["Chernihiv"]


# ---- districts ------------------------------------------------------------------------------
def test_a_list_of_city_districts_is_the_city(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places(
        "У Києві уламки впали в Дарницькому, Дніпровському та Голосіївському районах."
    )
    assert [m.place.name_en for m in found] == ["Kyiv"]


def test_a_district_of_the_city_is_not_a_namesake(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places("В Харькове ракета попала в дом в Киевском районе города.")
    assert [m.place.name_en for m in found] == ["Kharkiv"]


# ---- case typos, foreign regions ------------------------------------------------------------
def test_lower_case_oblast_and_country_are_not_brianka(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places("Дрони атакували села в брянській області росії.")
    assert [m.place.code for m in found] == ["RU-BRY", "RU"]


def test_gaza_alone_is_the_strip_not_gaza_city(gazetteer: Gazetteer) -> None:
    for text in (
        "Israeli strikes on Gaza killed 12",
        "Strikes across the Gaza Strip",
        "Удари по сектору Газа",
    ):
        [found] = gazetteer.find_places(text)
        assert found.place.code == "PS", text
    [city] = gazetteer.find_places("An airstrike on Gaza City killed five")
    assert city.place.region_code == "PS-GZA"


def test_press_names_of_foreign_regions(gazetteer: Gazetteer) -> None:
    assert (gazetteer.node("IL-D") or Place("")).region_en == "Southern District"
    assert (gazetteer.node("LB-JA") or Place("")).region_en == "South Lebanon"


# ---- the roles on their own -----------------------------------------------------------------
def test_roles() -> None:
    text = "KYIV, March 2 (Reuters) – Drones hit Kharkiv"
    assert roles.dateline(text, 0, 4)
    assert not roles.dateline(text, text.index("Kharkiv"), len(text))
    assert roles.office("the Kharkiv mayor said", 4, 11) == "city"
    assert roles.office("голова Одеської ОВА", 7, 15) == "regional"
    assert roles.office("shelled Kharkiv at night", 8, 15) == ""
    assert roles.struck_position("обстріляли Херсон", 11)
    assert roles.continues_list("hit Kharkiv, Odesa", 11, 13)
    assert roles.background("Нагадаємо, що раніше", 0)


@pytest.mark.parametrize(
    "text",
    [
        "Shelling of Nikopol, said Serhii Lysak, head of the regional administration.",
        "Про це повідомив голова ОВА Олег Кіпер.",
        "написав мер Харкова Ігор Терехов.",
        "Терехов сказав, що ракета влучила в будинок.",
    ],
)
def test_a_name_like_village_next_to_a_name_or_title_is_the_person(
    gazetteer: Gazetteer, text: str
) -> None:
    found = {m.place.name_en for m in gazetteer.find_places(text)}
    assert not found & {"Serhii", "Oleh", "Terekhy"}, found


# ---- unknown foreign names, outlets ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("Jets hit a well in Bani Harith village, state media said.", "Baneh"),
        ("Rockets hit Iran's Golvar Afrin county, injuring a boy.", "Afrin"),
        ("The strike was reported by the Saba news agency.", "Saaba"),
        ("A rocket hit Majdal Harun, a small Druze town, killing two children.", "Ashkelon"),
    ],
)
def test_an_unknown_foreign_name_is_not_a_namesake_elsewhere(
    gazetteer: Gazetteer, text: str, not_found: str
) -> None:
    assert not_found not in {m.place.name_en for m in gazetteer.find_places(text)}


def test_a_known_foreign_town_after_a_demonym_stays(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places(
        "Turkish shelling hit Kurdish Afrin, a Syrian Afrin resident said."
    )
    assert {m.place.name_en for m in found} == {"Afrin"}


@pytest.mark.parametrize(
    "text",
    [
        "This was reported by the Kyiv regional military administration.",
        "Про це повідомив очільник Київської ОВА.",
    ],
)
def test_the_office_of_kyiv_region_is_kyiv_oblast_not_the_city(
    gazetteer: Gazetteer, text: str
) -> None:
    assert [m.place.code for m in gazetteer.find_places(text)] == ["UA-32"]


def test_a_headline_that_starts_with_its_city_keeps_it(clf: Classifier) -> None:
    found = places(clf, "Харків – ракета влучила в школу, загинули двоє людей", lang="uk")
    assert regions(found) == {"UA-63"}


def test_an_agency_dateline_in_mixed_case_is_not_the_place(clf: Classifier) -> None:
    found = places(
        clf, "Drone kills three", "Kyiv (AP) — A drone hit a house in Sumy, killing three."
    )
    assert names(found) == ["Sumy"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The mayor of Kharkiv said a Russian drone hit a bus in Sumy, killing two people.", "en"),
        ("Мер Харкова повідомив, що дрон влучив в автобус у Сумах, загинули двоє людей.", "uk"),
    ],
)
def test_an_office_named_first_is_not_the_main_place(clf: Classifier, text: str, lang: str) -> None:
    found = places(clf, text, lang=lang)
    assert regions(found) == {"UA-59"}


def test_a_dateline_city_does_not_outrank_the_region_struck(clf: Classifier) -> None:
    found = places(
        clf,
        "Two killed in drone attack",
        "ODESA – Russian drones attacked overnight, killing two people in a village of Sumy "
        "region.",
    )
    assert regions(found) == {"UA-59"}


def test_an_office_city_does_not_outrank_the_region_struck(clf: Classifier) -> None:
    found = places(
        clf,
        "Kharkiv mayor said Russian shelling killed two people in a village of Sumy region.",
    )
    assert regions(found) == {"UA-59"}


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        (
            "Air strikes hit a market in Idlib, killing five people, as rebels captured a village "
            "in Hama province.",
            "en",
        ),
        (
            "Уночі ракета влучила в будинок у Дніпрі, загинули двоє, а на Донеччині тривають "
            "важкі бої.",
            "uk",
        ),
        (
            "Ракета попала в дом в Днепре, погибли двое, тогда как в Донецкой области идут бои.",
            "ru",
        ),
    ],
)
def test_ground_fighting_in_a_strike_sentence_is_not_a_place_struck(
    clf: Classifier, title: str, lang: str
) -> None:
    assert len(places(clf, title, lang=lang)) == 1


def test_where_the_wounded_were_taken_is_not_struck(clf: Classifier) -> None:
    found = places(
        clf,
        "Дрон влучив у будинок у Балаклії, поранено трьох людей, їх доставили до Харкова.",
        lang="uk",
    )
    assert names(found) == ["Balakliia"]


def test_a_settlement_named_with_its_casualties_is_struck(clf: Classifier) -> None:
    found = places(clf, "Shelling in Kherson killed a man. In Nikopol two women were wounded.")
    assert names(found) == ["Kherson", "Nikopol"]


def test_another_region_attacked_without_harm_stays_out(clf: Classifier) -> None:
    found = places(
        clf,
        "Унаслідок атаки на Одесу загинули двоє людей. Також ворог атакував Миколаїв.",
        lang="uk",
    )
    assert names(found) == ["Odesa"]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("A strike on Jabalia killed seven people", "PS-NGZ"),
        ("An airstrike hit a school in Nuseirat", "PS-DEB"),
        ("Israeli strikes in northern Gaza killed ten", "PS-NGZ"),
        ("An airstrike in central Gaza killed five", "PS-DEB"),
        ("Shelling in Rafah wounded four", "PS-RFH"),
        ("An Israeli strike on Dahiyeh killed three", "LB-JL"),
    ],
)
def test_places_in_the_strip_have_their_governorate(
    gazetteer: Gazetteer, text: str, region: str
) -> None:
    [found] = gazetteer.find_places(text)
    assert region in (found.place.region_code, found.place.code)
