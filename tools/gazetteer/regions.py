"""Region names: "X oblast/region", "Xська область" (all cases), "Xщина", oblast adjectives."""

from __future__ import annotations

import re

from translitua import translit

from bot.geo.datafile import BEFORE_REGION_WORD
from gazetteer.common import CYRILLIC, Node

REGION_WORDS_EN = ("oblast", "region", "province", "governorate", "state", "krai", "kray")
RU_REGION = re.compile(r"^[А-ЯЁ][а-яё-]+(ская|цкая|ная|ая) [Оо]бласть$|^[А-ЯЁ][а-яё-]+ий край$")


def region_stem_forms(adjective: str) -> set[str]:
    """ "Харківська" → {"Харківщина"}; "Белгородская" → {"Белгородщина", "Бєлгородщина", …}."""
    out = set()
    pairs = (("ська", "щина"), ("ская", "щина"), ("цька", "ччина"), ("цкая", "ччина"))
    pairs += (("ський", "щина"), ("ский", "щина"))  # "Краснодарский край" → "Краснодарщина"
    for suffix, repl in pairs:
        if adjective.endswith(suffix):
            stem = adjective[: -len(suffix)]
            out.add(stem + repl)
            if stem[-1:] in "дт" and repl == "щина":
                out.add(stem + "чина")
    if adjective.endswith(("ская", "цкая", "ский")):  # Ukrainian press spelling of Russian regions
        out |= {re.sub("(?<=[бвгдзклмнпрстфхцчшщ])е", "є", n, flags=re.I) for n in out}
    return out


def region_names(node: Node, en_stem: str, uk: str, ru: str, aliases: list[str]) -> None:
    """Index a region as "X oblast/region", "Xська область" (all cases), "Xщина" …"""
    from bot.geo.names import fold

    for stem in {en_stem, fold(en_stem).title()}:
        node.plain_names |= {f"{stem} {word}" for word in REGION_WORDS_EN}
        if "zhzh" in stem.lower():
            node.plain_names |= {f"{stem.replace('zhzh', 'zh')} {w}" for w in REGION_WORDS_EN}
    for full in (uk, ru, *[a for a in aliases if CYRILLIC.match(a)]):
        words = full.split()
        if len(words) == 2 and words[1].lower() in {"область", "край"}:
            node.names.add(f"{words[0]} {words[1].lower()}")
            node.plain_names.add(f"{words[0]} обл")
            stem_forms = region_stem_forms(words[0])
            node.names |= stem_forms
            node.plain_names |= {  # "Kharkivshchyna"
                translit(n) for n in stem_forms if not set(n.lower()) & set("ыэъё")
            }
            node.forms.setdefault(words[0].lower(), BEFORE_REGION_WORD)
        elif full:
            node.names.add(full)


def russian_name(ru: str, aliases: list[str]) -> str:
    """The region's Russian name: pycountry's when Russian, else a Russian-looking alias."""
    if ru and CYRILLIC.match(ru) and not set(ru.lower()) & set("іїєґ"):
        return ru
    found = next((a for a in aliases if RU_REGION.match(a)), "")
    return re.sub(" Область$", " область", found)
