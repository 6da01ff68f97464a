"""Resolving what users type after /subscribe, against a tiny fake gazetteer."""

from __future__ import annotations

from bot.chat.places import code_name, place_name, resolve
from bot.domain import Place

UA = Place("UA", name_en="Ukraine", name_uk="Україна")
DNIPRO_OBLAST = Place(
    "UA", "UA-12", region_en="Dnipropetrovsk oblast", region_uk="Дніпропетровська область",
    region_ru="Днепропетровская область",
)  # fmt: skip
KR_CITY = Place(
    "UA", "UA-12", "UA-12:1", "Kryvyi Rih", "Кривий Ріг", "Кривой Рог",
    "Dnipropetrovsk oblast", "Дніпропетровська область",
)  # fmt: skip
KR_VILLAGE = Place(
    "UA", "UA-65", "UA-65:2", "Kryvyi Rih", "Кривий Ріг", "", "Kherson oblast", "Херсонська область"
)
KHARKIV = Place("UA", "UA-63", "UA-63:3", "Kharkiv", "Харків", "Харьков", "Kharkiv oblast")
KHARKIV_OBLAST = Place("UA", "UA-63", region_en="Kharkiv oblast", region_uk="Харківська область")


class FakeIndex:
    def __init__(self, results: dict[str, list[Place]], named: dict[str, list[Place]]) -> None:
        self.results = results
        self.exact = named
        self.nodes = {p.code: p for ps in results.values() for p in ps} | {"UA": UA}
        self.nodes["UA-63"] = KHARKIV_OBLAST

    def named(self, query: str) -> list[Place]:
        return self.exact.get(query, [])

    def search(self, query: str, limit: int = 8) -> list[Place]:
        return self.results.get(query, [])[:limit]

    def node(self, code: str) -> Place | None:
        return self.nodes.get(code)

    def regions(self, country: str) -> list[Place]:
        return [DNIPRO_OBLAST]

    def countries(self) -> list[Place]:
        return [UA]


ZAP = Place(
    "UA", "UA-23", "UA-23:4", "Zaporizhzhia", "Запоріжжя", "Запорожье", "Zaporizhzhia oblast"
)
INDEX = FakeIndex(
    {
        "Днепропетровская": [DNIPRO_OBLAST, KR_CITY],
        "Кривий Ріг": [KR_CITY, KR_VILLAGE],
        "Kharkov": [KHARKIV],
        "Kharkiv": [KHARKIV, KR_CITY],
        "Kryvyi Rhi": [KR_CITY],
    },
    {
        "Днепропетровская": [DNIPRO_OBLAST],
        "Кривий Ріг": [KR_CITY, KR_VILLAGE],
        "Kharkiv": [KHARKIV],
        "Запоріжя": [ZAP],
    },
)


def test_all_words() -> None:
    for word in ("all", "ALL", "усі", "все", "*"):
        assert resolve(INDEX, word).kind == "all"


def test_one_many_suggest_none() -> None:
    assert resolve(INDEX, "Днепропетровская").places == (DNIPRO_OBLAST,)
    assert resolve(INDEX, "  Kharkiv ").places == (KHARKIV, KHARKIV_OBLAST)  # city and oblast
    assert resolve(INDEX, "Запоріжя").kind == "none"  # a dropped double letter is a typo
    many = resolve(INDEX, "Кривий Ріг")
    assert many.kind == "many" and {p.code for p in many.places} == {"UA-12:1", "UA-65:2"}
    assert resolve(INDEX, "Kharkov").kind == "suggest"
    typo = resolve(INDEX, "Kryvyi Rhi")  # the best guess, then its region
    assert typo.kind == "suggest" and typo.places == (KR_CITY, DNIPRO_OBLAST)
    assert resolve(INDEX, "Atlantis").kind == "none"
    assert resolve(INDEX, "🚀").kind == "none"
    assert resolve(INDEX, "   ").kind == "empty"
    assert resolve(INDEX, "x" * 101).kind == "too_long"
    assert resolve(INDEX, "ua-12").places == (DNIPRO_OBLAST,)


def test_display_names() -> None:
    assert place_name(KR_CITY, "en") == "Kryvyi Rih (Dnipropetrovsk oblast)"
    assert place_name(KR_CITY, "uk") == "Кривий Ріг (Дніпропетровська область)"
    assert place_name(DNIPRO_OBLAST, "uk") == "Дніпропетровська область"
    assert place_name(UA, "uk") == "Україна"
    assert code_name(INDEX, "*", "en") == "all regions"
    assert code_name(INDEX, "XX-99", "en") == "XX-99"
