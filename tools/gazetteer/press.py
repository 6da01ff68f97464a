"""Names as the press uses them: region names, "Gaza" the Strip, people named like villages.

- Foreign first-level regions keep their ISO/GeoNames codes but take the English (and
  Ukrainian/Russian) names newsrooms print: Israel's districts ("Southern District", not
  "Al Janubi"), Lebanon's governorates ("South Lebanon", "Mount Lebanon").
- "Gaza" alone, "the Gaza Strip", "сектор Газа" are the Strip — five governorates — so they
  index the Palestinian territories, not Gaza City (which keeps "Gaza City", "місто Газа").
  GeoNames files most of the Strip's towns under the whole Strip: each gets its governorate
  from where it lies along the Strip (Jabalia → North Gaza, Nuseirat → Deir al-Balah), and
  "northern Gaza" / "central Gaza" name North Gaza / Deir al-Balah.
- A small village whose name is also a given name, surname or patronymic (pymorphy3's Name,
  Surn, Patr tags: "Сергії", "Олег", "Терехи" via its genitive "Терехов") is marked
  NOT_BY_A_NAME: next to another capitalised word or a title it is the person.
- Country and region names in uk/ru that are no everyday word (pymorphy3 knows them only as
  place names) are marked LOWER_CASE: the press writes "росії", "брянській області" in lower
  case, and a lower-case "брянській" must then be the oblast, not the town Brianka.
"""

from __future__ import annotations

import itertools
from typing import Any

from bot.geo.datafile import LOWER_CASE, NOT_BY_A_NAME
from bot.geo.names import name_key
from gazetteer.common import CATEGORY_WEIGHT, RU_ONLY, UK_ONLY, Node, rank
from gazetteer.forms import Forms

#: Region code → (English, Ukrainian, Russian) names as the press prints them.
PRESS_REGIONS = {
    "IL-D": ("Southern District", "Південний округ", "Южный округ"),
    "IL-M": ("Central District", "Центральний округ", "Центральный округ"),
    "IL-Z": ("Northern District", "Північний округ", "Северный округ"),
    "IL-HA": ("Haifa District", "Хайфський округ", "Хайфский округ"),
    "IL-TA": ("Tel Aviv District", "Тель-Авівський округ", "Тель-Авивский округ"),
    "IL-JM": ("Jerusalem District", "Єрусалимський округ", "Иерусалимский округ"),
    "LB-AS": ("North Governorate", "Північна мухафаза", "Северная мухафаза"),
    "LB-JL": ("Mount Lebanon", "Гірський Ліван", "Горный Ливан"),
    "LB-JA": ("South Lebanon", "Південний Ліван", "Южный Ливан"),
    "LB-NA": ("Nabatieh", "Набатія", "Набатия"),
}
#: Press names of areas that are no settlement of their own: region code → names.
PRESS_AREAS = {
    "LB-JL": ("Dahiyeh", "Dahieh", "Dahiya", "Dahiyah", "Dahye"),  # Beirut's southern suburbs
}
GAZA_CITY = ("Gaza City", "місто Газа", "город Газа", "Газа-Сіті")
GAZA_STRIP_EN = ("Gaza", "Gaza Strip", "the Gaza Strip", "Gaza strip")
GAZA_STRIP_CYR = ("Газа", "сектор Газа", "сектор Газа")
#: Grammemes that make a word a person's name.
PERSON = frozenset({"Name", "Surn", "Patr"})
PERSON_POP = 20_000  # a town this big keeps its name even next to a capitalised word
#: Grammemes of a place name; a word with any other reading is an everyday word.
PLACE_GRAMMEMES = frozenset({"Geox"})


def press_regions(nodes: list[Node]) -> None:
    """Give the regions in :data:`PRESS_REGIONS` their press names (and index them)."""
    for node in nodes:
        names = PRESS_REGIONS.get(node.code) if node.kind == "region" else None
        if names is None:
            continue
        en, uk, ru = names
        node.name_en, node.name_uk, node.name_ru = en, uk, ru
        node.plain_names.add(en)
        node.names |= {uk, ru}
    for node in nodes:
        if node.kind == "region" and node.code in PRESS_AREAS:
            node.plain_names |= set(PRESS_AREAS[node.code])


def gaza_strip(nodes: list[Node], forms: Forms) -> None:
    """ "Gaza" alone is the Strip (the PS node); Gaza City keeps its own full names."""
    city = next(
        (
            n
            for n in nodes
            if n.kind == "settlement" and n.code.startswith("PS-GZA:") and n.name_en == "Gaza"
        ),
        None,
    )
    country = next((n for n in nodes if n.kind == "country" and n.code == "PS"), None)
    if city is None or country is None:
        return
    bare = {name_key(s) for name in (*GAZA_STRIP_EN, "Газа", "Газа") for s in forms.of(name)}
    bare |= {
        name_key(n) for n in ("Газа", "Гази", "Газі", "Газу", "Газою", "Газы", "Газе", "Газой")
    }
    governorate = [n for n in nodes if n.kind == "region" and n.code == "PS-GZA"]
    for node in (city, *governorate):
        node.names = {n for n in node.names if name_key(n) not in bare}
        node.plain_names = {n for n in node.plain_names if name_key(n) not in bare}
        node.forms = {s: f for s, f in node.forms.items() if name_key(s) not in bare}
    city.names |= {n for n in GAZA_CITY if not n.isascii()}
    city.plain_names |= {n for n in GAZA_CITY if n.isascii()}
    sector = forms.word("сектор")
    cyrillic = {
        f"{s} {g}"
        for s, g in itertools.product(
            set().union(*sector.values()), ("газа", "гази", "газі", "газу", "газе", "газы")
        )
    }
    country.plain_names |= {*GAZA_STRIP_EN, *cyrillic}
    country.names.add("Газа")


#: The Gaza Strip runs south-west to north-east; its five governorates follow one another
#: along that axis. Position along it (degrees, from Rafah) where each governorate begins.
GAZA_AXIS = (0.238, 0.292)  # Rafah → Beit Hanoun, (Δlatitude, Δlongitude)
GAZA_ORIGIN = (31.297, 34.244)  # Rafah
GAZA_BANDS = ((0.119, "PS-NGZ"), (0.085, "PS-GZA"), (0.049, "PS-DEB"), (0.015, "PS-KYS"))
GAZA_SOUTH = "PS-RFH"
#: Parts of the Strip the press names that are one governorate each.
GAZA_PARTS = {
    "PS-NGZ": ("northern Gaza", "northern Gaza Strip", "the northern Gaza Strip"),
    "PS-DEB": ("central Gaza", "central Gaza Strip", "the central Gaza Strip"),
}


def gaza_governorates(nodes: list[Node], geo: dict[str, dict[str, Any]]) -> None:
    """Give the Strip's towns that GeoNames files under the whole Strip their governorate,
    from where they lie along the Strip (Jabalia: North Gaza; Nuseirat: Deir al-Balah), and
    index "northern Gaza", "central Gaza"."""
    for node in nodes:
        if node.kind != "settlement" or node.country != "PS" or node.region:
            continue
        place = geo.get(node.code.partition(":")[2])
        if place is None or place["longitude"] > 34.6:  # the West Bank is far to the east
            continue
        along = GAZA_AXIS[0] * (place["latitude"] - GAZA_ORIGIN[0]) + GAZA_AXIS[1] * (
            place["longitude"] - GAZA_ORIGIN[1]
        )
        region = next((code for start, code in GAZA_BANDS if along >= start), GAZA_SOUTH)
        node.region = region
        node.code = f"{region}:{node.code.partition(':')[2]}"
    for node in nodes:
        if node.kind == "region" and node.code in GAZA_PARTS:
            for part in GAZA_PARTS[node.code]:
                node.forms[part] = LOWER_CASE


def person_word(forms: Forms, word: str) -> bool:
    """Is ``word`` (one word, Cyrillic) a given name, surname or patronymic in a dictionary?"""
    lower = word.lower().replace("ё", "е")
    letters = set(word.lower())
    langs = ["uk"] if letters & UK_ONLY else ["ru"] if letters & RU_ONLY else ["uk", "ru"]
    for lang in langs:
        morph = forms.morph(lang)
        if morph.word_is_known(lower) and any(PERSON & p.tag.grammemes for p in morph.parse(lower)):
            return True
    return False


def named_like_a_person(node: Node, forms: Forms) -> bool:
    """A small settlement whose own (nominative) name is a person's name."""
    if node.kind != "settlement" or node.population >= PERSON_POP:
        return False
    if node.rank >= rank(CATEGORY_WEIGHT["M"], 0):
        return False
    own = [n for n in (node.name_uk, node.name_ru) if n and " " not in n and "-" not in n]
    return any(person_word(forms, n) for n in own)


def person_flags(node: Node, surface: str, forms: Forms, whole_node: bool) -> int:
    """NOT_BY_A_NAME for a small settlement's surface form that is also a person's name."""
    if node.kind != "settlement" or node.population >= PERSON_POP or " " in surface:
        return 0
    if node.rank >= rank(CATEGORY_WEIGHT["M"], 0):
        return 0
    if whole_node:
        return NOT_BY_A_NAME
    if surface.isascii():
        return 0
    return NOT_BY_A_NAME if person_word(forms, surface) else 0


def lower_case_flags(node: Node, surface: str, forms: Forms) -> int:
    """LOWER_CASE for a country's Cyrillic forms when its Russian name is only a place name
    in pymorphy3's dictionary (every reading tagged Geox: "Россия", not "Того", "Чад", "Куба"),
    and for a region's "X області"/"X области" forms."""
    if surface.isascii():
        return 0
    if node.kind == "region":
        words = surface.lower().split()
        return LOWER_CASE if len(words) == 2 and words[1].startswith(REGION_WORD_STEMS) else 0
    if node.kind != "country" or not node.name_ru or " " in node.name_ru:
        return 0
    word = surface.lower()
    if " " in word or not place_only(forms, node.name_ru.lower()):
        return 0
    ru = forms.morph("ru")
    if ru.word_is_known(word) and not place_only(forms, word):
        return 0  # "газа": Gaza, and "gas" in Russian
    uk = forms.morph("uk")
    known = uk.word_is_known(word)
    if known and any(p.tag.POS != "NOUN" for p in uk.parse(word)):
        return 0  # "мали" is Mali in Russian, "had" in Ukrainian
    return LOWER_CASE


REGION_WORD_STEMS = ("област", "обл", "край", "краю", "краї", "крае")


def place_only(forms: Forms, word: str) -> bool:
    """Does the Russian dictionary know ``word`` only as a place name?"""
    morph = forms.morph("ru")
    parses = morph.parse(word)
    return morph.word_is_known(word) and all(PLACE_GRAMMEMES & p.tag.grammemes for p in parses)
