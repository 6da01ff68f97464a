"""Place names declined for a sentence, from the build-time forms file; unknown names and other
languages stay as written."""

from __future__ import annotations

from bot.chat.places import place_name
from bot.domain import Place
from bot.i18n.cases import inflect

BUCHA = Place("UA", "UA-32", "UA-32:1", "Bucha", "Буча", "Буча", "Kyiv oblast", "Київська область")
KHARKIV_OBLAST = Place("UA", "UA-63", region_en="Kharkiv oblast", region_uk="Харківська область")


def test_ukrainian_and_russian_forms() -> None:
    assert inflect("uk", "Кривий Ріг", "gent") == "Кривого Рогу"
    assert inflect("uk", "Кривий Ріг", "accs") == "Кривий Ріг"  # inanimate: as the nominative
    assert inflect("uk", "Нова Каховка", "accs") == "Нову Каховку"
    assert inflect("ru", "Харьковская область", "gent") == "Харьковской области"
    assert inflect("uk", "Україна", "accs") == "Україну"


def test_unknown_names_and_english_stay() -> None:
    assert inflect("uk", "Атлантида-9", "gent") == "Атлантида-9"
    assert inflect("en", "Kharkiv oblast", "gent") == "Kharkiv oblast"


def test_place_name_declines_the_name_not_the_region_in_brackets() -> None:
    assert place_name(BUCHA, "uk", "gent") == "Бучі (Київська область)"
    assert place_name(KHARKIV_OBLAST, "uk", "accs") == "Харківську область"
    assert place_name(KHARKIV_OBLAST, "en", "accs") == "Kharkiv oblast"
    assert place_name(BUCHA, "uk") == "Буча (Київська область)"
