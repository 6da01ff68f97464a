"""Gazetteer: matching en/uk/ru place names, inflections, noise and ambiguity (own sentences)."""

from __future__ import annotations

import gzip
import pathlib

import pytest

from bot.geo import Gazetteer, PlaceMatch, load_gazetteer
from bot.geo.normalize import fold, name_key, tokenize


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def codes(gazetteer: Gazetteer, text: str) -> list[str]:
    return [m.place.code for m in gazetteer.find_places(text)]


def first(gazetteer: Gazetteer, text: str) -> PlaceMatch:
    found = gazetteer.find_places(text)
    assert found, text
    return found[0]


KRYVYI_RIH = [
    "Missile hit Kryvyi Rih at night",
    "Shelling of Kryvyy Rih reported",
    "Explosions in Krivoy Rog",
    "Ракета влучила в Кривий Ріг",
    "Вибухи у Кривому Розі вночі",
    "Обстріл Кривого Рогу",
    "Взрывы в Кривом Роге",
    "Удар по Кривому Рогу",
]


@pytest.mark.parametrize("text", KRYVYI_RIH)
def test_kryvyi_rih_spellings_and_cases(gazetteer: Gazetteer, text: str) -> None:
    match = first(gazetteer, text)
    assert match.place.region_code == "UA-12"
    assert match.place.name_en == "Kryvyi Rih"
    assert match.kind == "settlement"


@pytest.mark.parametrize(
    "text",
    [
        "Drone attack on Kharkiv",
        "Rockets over Kharkov",
        "Вибух у Харкові",
        "Харків під обстрілом",
        "Взрыв в Харькове",
        "Kharkiv's mayor said",
    ],
)
def test_kharkiv_city(gazetteer: Gazetteer, text: str) -> None:
    match = first(gazetteer, text)
    assert (match.place.region_code, match.kind, match.place.name_en) == (
        "UA-63",
        "settlement",
        "Kharkiv",
    )
    assert text[match.start : match.end].lower().startswith(("khark", "харк", "харьк"))


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Strikes on the Dnipropetrovsk region overnight", "UA-12"),
        ("Dnipropetrovsk oblast was attacked", "UA-12"),
        ("Атака на Дніпропетровщину", "UA-12"),
        ("Вибухи на Дніпропетровщині", "UA-12"),
        ("Харківська область знову під ударом", "UA-63"),
        ("Обстріли Харківської області", "UA-63"),
        ("Харьковская область", "UA-63"),
        ("Обстрел в Харьковской области", "UA-63"),
        ("Drones over Kyiv Oblast", "UA-32"),
        ("Air alert in the Kyiv region", "UA-32"),
        ("Вибухи на Київщині", "UA-32"),
        ("Drones hit the Belgorod region", "RU-BEL"),
        ("Взрывы в Белгородской области", "RU-BEL"),
        ("Вибухи на Білгородщині", "RU-BEL"),
        ("Blasts in Crimea", "UA-43"),
    ],
)
def test_regions(gazetteer: Gazetteer, text: str, region: str) -> None:
    match = first(gazetteer, text)
    assert match.kind == "region"
    assert match.place.region_code == region
    assert match.place.settlement_code is None


def test_kyiv_city_versus_oblast(gazetteer: Gazetteer) -> None:
    city = first(gazetteer, "Explosions in Kyiv tonight")
    assert (city.place.region_code, city.kind) == ("UA-30", "settlement")
    assert first(gazetteer, "Київ прокинувся від вибухів").place.region_code == "UA-30"


def test_donetsk_alone_is_the_city(gazetteer: Gazetteer) -> None:
    match = first(gazetteer, "Shelling of Donetsk")
    assert (match.place.region_code, match.kind) == ("UA-14", "settlement")


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Strikes deep inside Russia", "RU"),
        ("Росія вдарила ракетами", "RU"),
        ("Атака со стороны России", "RU"),
        ("Fighting in Sudan continues", "SD"),
        ("Airstrike in Gaza", "PS"),
    ],
)
def test_countries(gazetteer: Gazetteer, text: str, country: str) -> None:
    assert first(gazetteer, text).place.country == country


def test_headline_with_district(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places("Russian drone hit a house in Kupiansk district")
    assert [m.place.name_en for m in found] == ["Kupiansk"]
    assert found[0].place.region_code == "UA-63"


@pytest.mark.parametrize(
    "text",
    [
        "We met at the Mir cinema",
        "мирного населення стало більше",
        "Мирне населення евакуювали",
        "Будинок на вулиці Перемоги пошкоджено",
        "Human rights groups spoke out",
        "the cars were damaged",
    ],
)
def test_common_words_are_not_villages(gazetteer: Gazetteer, text: str) -> None:
    assert [m for m in gazetteer.find_places(text) if m.kind == "settlement"] == []


def test_weak_village_needs_its_region(gazetteer: Gazetteer) -> None:
    alone = gazetteer.find_places("Снаряд влучив у Мирне")
    assert [m for m in alone if m.kind == "settlement"] == []
    found = gazetteer.find_places("Снаряд влучив у Мирне на Запоріжжі")
    assert found[0].place.region_code == "UA-23"
    assert found[0].place.name_uk == "Мирне"


def test_ambiguous_name_prefers_named_oblast(gazetteer: Gazetteer) -> None:
    big = first(gazetteer, "Обстріл Гуляйполя")
    assert big.place.region_code == "UA-23"
    in_kherson = first(gazetteer, "Село Кривий Ріг на Херсонщині обстріляли")
    assert in_kherson.place.region_code == "UA-65"


def test_spans_point_at_the_name(gazetteer: Gazetteer) -> None:
    text = "Вибухи пролунали у Новій Каховці та в Херсонській області"
    found = gazetteer.find_places(text)
    assert [text[m.start : m.end] for m in found] == ["Новій Каховці", "Херсонській області"]


def test_apostrophes_are_normalised(gazetteer: Gazetteer) -> None:
    for text in (
        "Удар по Куп’янську",
        "Удар по Купʼянську",
        "Удар по Куп'янську",
        "Удар по Куп`янську",
        "Strike on Kup'yans'k",
    ):
        assert first(gazetteer, text).place.name_en == "Kupiansk", text


def test_place_is_fully_filled(gazetteer: Gazetteer) -> None:
    place = first(gazetteer, "Вибух у Кривому Розі").place
    assert place.country == "UA"
    assert place.settlement_code and place.settlement_code.startswith("UA-12:")
    assert (place.name_uk, place.name_ru) == ("Кривий Ріг", "Кривой Рог")
    assert place.region_en == "Dnipropetrovsk oblast"
    assert place.region_uk == "Дніпропетровська область"
    assert place.region_ru == "Днепропетровская область"


def test_node_regions_countries(gazetteer: Gazetteer) -> None:
    oblast = gazetteer.node("UA-12")
    assert oblast is not None and oblast.region_en == "Dnipropetrovsk oblast"
    assert gazetteer.node("UA-48") is not None and gazetteer.node("UA-48").region_ru  # type: ignore[union-attr]
    regions = gazetteer.regions("UA")
    assert len(regions) == 27
    assert [r.region_en for r in regions] == sorted(r.region_en for r in regions)
    assert {"UA-30", "UA-40", "UA-43"} <= {r.region_code for r in regions}
    assert {"UA", "RU", "IL", "PS", "LB", "SY", "SD", "MM", "YE", "IQ", "IR"} <= {
        c.country for c in gazetteer.countries()
    }
    assert gazetteer.node("UA-99") is None
    settlement = first(gazetteer, "Kharkiv").place
    assert gazetteer.node(settlement.code) == settlement


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kharkov", "UA-63"),
        ("Харкив", "UA-63"),
        ("кривой рог", "UA-12"),
        ("Odessa", "UA-51"),
        ("Дніпропетровська область", "UA-12"),
        ("Belgorod", "RU-BEL"),
    ],
)
def test_search(gazetteer: Gazetteer, query: str, expected: str) -> None:
    results = gazetteer.search(query)
    assert results and results[0].region_code == expected


def test_search_empty(gazetteer: Gazetteer) -> None:
    assert gazetteer.search("   ") == []


def test_normalisation() -> None:
    assert fold("Ёлка’s Łódź") == "елка's lodz"
    assert name_key("Івано-Франківськ") == "івано франківськ"
    assert [t.key for t in tokenize("Kharkiv’s mayor")] == ["kharkiv", "mayor"]


@pytest.mark.parametrize(
    ("text", "region", "name_en"),
    [
        ("Ракета влучила в Одеський порт уночі", "UA-51", "Odesa"),
        ("Пожежа в одеському порту триває", "UA-51", "Odesa"),
        ("Вибухи біля Кременчуцького НПЗ", "UA-53", "Kremenchuk"),
        ("Харківська ТЕЦ знову без світла", "UA-63", "Kharkiv"),
        ("Київська ТЕЦ пошкоджена уламками", "UA-30", "Kyiv"),
        ("Запорізька АЕС знеструмлена", "UA-23", "Zaporizhzhia"),
        ("Обстріл Броварської громади вночі", "UA-32", "Brovary"),
        ("Снаряды упали в Изюмском районе", "UA-63", "Izium"),
        ("Дрон атакував село в Нікопольському районі", "UA-12", "Nikopol"),
    ],
)
def test_place_adjectives_raions_and_hromadas(
    gazetteer: Gazetteer, text: str, region: str, name_en: str
) -> None:
    match = first(gazetteer, text)
    assert (match.place.region_code, match.place.name_en, match.kind) == (
        region,
        name_en,
        "settlement",
    )


def test_oblast_adjectives_before_region_word(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places("Тривога у Харківській та Сумській областях")
    assert [(m.place.region_code, m.kind) for m in found] == [
        ("UA-63", "region"),
        ("UA-59", "region"),
    ]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Drones over Zaporizhia overnight", "UA-23"),
        ("Вибухи на Бєлгородщині", "RU-BEL"),
        ("Взрывы на Белгородчине", "RU-BEL"),
        ("Shelling of Shebekino", "RU-BEL"),
        ("Обстрел Грайворона", "RU-BEL"),
        ("Взрывы в Судже", "RU-KRS"),
        ("Вибухи у Новоросійську", "RU-KDA"),
        ("Вибухи в Джанкої", "UA-43"),
        ("Ракета влучила в Лисичанськ", "UA-09"),
        ("Вибухи в Чернівцях", "UA-77"),
    ],
)
def test_spellings_border_towns_and_register_codes(
    gazetteer: Gazetteer, text: str, region: str
) -> None:
    assert first(gazetteer, text).place.region_code == region


def test_country_that_is_also_a_name(gazetteer: Gazetteer) -> None:
    assert first(gazetteer, "Rockets landed in Jordan").place.country == "JO"
    assert gazetteer.find_places("Michael Jordan spoke to fans") == []


def test_search_prefers_the_oblast_for_its_former_city_name(gazetteer: Gazetteer) -> None:
    results = gazetteer.search("Dnipropetrovsk")
    assert results[0].region_code == "UA-12" and results[0].settlement_code is None
    assert results[1].name_en == "Dnipro"


def test_bad_data_file_is_rejected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "old.bin.gz"
    path.write_bytes(gzip.compress(b"strikebot-gazetteer\t1\t0\t0\t0\t0\n"))
    with pytest.raises(ValueError, match="not supported"):
        load_gazetteer(path)
