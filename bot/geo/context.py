"""What the words around a place name say about it: pure checks on the text, no index.

- an acronym ("ISNA", "SANA") is a place only if the place is written that way;
- a name right after an Arabic article ("al-Numan") can only be a place in an Arab country, and
  one right after an Arabic name's head word ("Ras Al Ain") is the rest of an unknown name;
- "in"/"near"/"outside" right before a name makes a weak name (a surname-like town) a place;
- "near"/"east of"/"під"/"в пригороде" before a city that is a region of its own means the
  region around it;
- a name followed by "district"/"район" and a settlement is a district of that settlement
  ("у Київському районі Харкова" is Kharkiv, not a village called Kyivskyi), and so is one
  named later in a sentence that named a city ("In Kherson, … in the Dniprovskyi district");
- a town named like a person ("Volodymyr", "Vladimir", "Artem") followed by a capitalised
  word is the person ("Volodymyr Zelensky", "Владимира Путина"); likewise "San", "New",
  "Saint" before a capitalised word start a longer name ("San Francisco").
"""

from __future__ import annotations

import bisect
import re

from bot.geo.names import REGION_WORDS, fold

LOCATIVE_TOWN = 15_000  # from this population a weak name after "in" is the place
REGION_CITY = 100_000  # a city this big, in a city-region, is what SURROUNDING maps

#: A city that is a first-level region of its own → the region around it ("під Києвом" is in
#: Kyiv oblast, "towns east of Damascus" are in Rif Dimashq).
SURROUNDING = {
    "UA-30": "UA-32",
    "UA-40": "UA-43",
    "RU-MOW": "RU-MOS",
    "RU-SPE": "RU-LEN",
    "SY-DI": "SY-RD",
    "YE-SA": "YE-SN",
    "LB-BA": "LB-JL",
}

#: Countries whose place names are romanised from Arabic.
ARABIC_COUNTRIES = frozenset(
    {"SY", "IQ", "YE", "LB", "PS", "SD", "LY", "EG", "SA", "JO", "AE", "SO"}
)
_ARABIC_ARTICLE_BEFORE = re.compile(r"\b(?:al|el|an|ar|as|ash|at|ad|az|ed|en|er|es|et|ez)-$", re.I)
#: Head words of Arabic place names ("Ras Al Ain", "Bani Atban", "Deir Hafer").
ARABIC_HEADS = (
    "Ras|Tell|Tall|Tal|Deir|Dayr|Kafr|Kfar|Beit|Bayt|Ain|Ayn|Bir|Jabal|Jebel|Wadi|Umm"
    "|Abu|Bani|Beni|Sidi|Marsa|Qasr|Jisr|Maarat|Maarrat|Mazraat|Sheikh|Shaykh|Khirbet|Khirbat"
    "|Majdal|Burj|Nahr|Qalaat"
)
_NAME_HEAD_BEFORE = re.compile(rf"\b(?:{ARABIC_HEADS})[ -]$")
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|outside|around)[ \t]+"
    r"(?:the[ \t]+(?:town|village|city|camp|area)[ \t]+of[ \t]+)?$"
)
_COMPASS = r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
_AROUND_BEFORE = re.compile(
    rf"(?:\b(?:{_COMPASS}\s+(?:of|outskirts\s+of|suburbs\s+of)|outskirts\s+of|suburbs\s+of"
    r"|outside(?:\s+of)?|near|(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?(?:of|from))"
    r"|(?<!\w)(?:під|поблизу|біля|неподалік(?:\s+від)?|передмісті|передмістях|пригороді"
    r"|под|возле|около|вблизи|неподал[её]ку\s+от|пригороде|пригородах))"
    r"[ \t]+(?:the\s+)?$",
    re.IGNORECASE,
)
_DISTRICT_WORD = r"(?:район\w*|district|raion|rayon)"
_DISTRICT_END = re.compile(rf"\s{_DISTRICT_WORD}$", re.IGNORECASE)
_DISTRICT_GAP = re.compile(rf"\s+{_DISTRICT_WORD}(?:\s+of)?(?:\s+the)?\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n]")
_NEXT_WORD = re.compile(r"[ \t]+([\w'’-]+)")
_LATIN_NAMES = ("volodymyr", "vladimir", "artem", "artyom", "stepan", "anna")
_CYRILLIC_NAMES = ("володимир", "владимир", "артем", "артём", "степан", "анна", "ганна")
_CASE_ENDINGS = ("", "а", "у", "ом", "ові", "е", "ем", "ою", "ой", "і", "ы")
#: First words of many names ("San Francisco", "New York", "Saint-Denis").
NAME_PREFIXES = frozenset(
    [
        *("san", "santa", "santo", "sao", "los", "las", "new", "saint", "st", "fort", "port"),
        *("mount", *ARABIC_HEADS.lower().split("|")),
    ]
)
#: A capitalised word that may stand before a foreign town's name without being part of it:
#: a demonym ("Syrian", "Kurdish", "Israeli"), a possessive ("Lebanon's"), a title word.
_BEFORE_FOREIGN_OK = re.compile(
    r"(?:\w+(?:an|ish|ese|i|ic|'s|’s)|The|In|At|On|Near|From|Of|And|To|By|Northern|Southern"
    r"|Eastern|Western|Central|Greater|Old|Downtown|Rural|North|South|East|West)$"
)
_CAPITALISED_BEFORE = re.compile(r"(?<![.!?:;\n\"“«(])[ \t]([A-Z][a-z][\w'’-]*)[ \t]$")
#: An outlet named after a place: "Saba news agency", "Kyiv Independent", "Kharkiv TV".
_OUTLET_AFTER = re.compile(
    r"[ \t]+(?:news[ \t]+agency|agency|TV|television|radio|newspaper|channel|Independent|Post"
    r"|Times|Telegraph|Herald|Tribune|Online|Media|News)\b"
)
#: Given names (and their Cyrillic case forms) that are also the names of towns.
GIVEN_NAMES = frozenset(
    [
        *_LATIN_NAMES,
        *(name + ending for name in _CYRILLIC_NAMES for ending in _CASE_ENDINGS),
        *(name[:-1] + ending for name in ("анна", "ганна") for ending in ("и", "і", "у", "ою")),
    ]
)


_DISTRICT_LIST_AFTER = re.compile(
    rf"(?:[ \t]*(?:,|та|і|й|и|and)[ \t]*[A-ZА-ЯІЇЄҐ][\w'’-]*)*[ \t]+{_DISTRICT_WORD}\b",
    re.IGNORECASE,
)
_DISTRICT_ADJECTIVE = re.compile(
    r"(?:ськ|цьк|зьк|ск|цк|зк)(?:ий|ого|ому|ім|им|ом|ом|ая|ій|ой|ому)$"
    r"|(?:s|ts|z)k(?:yi|iy|yy|y|ii|a|e)$",
    re.IGNORECASE,
)


def district_by_adjective(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a district's adjective before "район"/"district", alone or in a
    list ("в Киевском районе города", "у Дарницькому, Дніпровському та Голосіївському
    районах", "the Shevchenkivskyi and Kyivskyi districts")? A city's district, no place."""
    if " " in text[start:end] or not _DISTRICT_ADJECTIVE.search(text, start, end):
        return False
    return _DISTRICT_LIST_AFTER.match(text, end) is not None


def district_of_next(text: str, surface_end: int, surface_start: int, next_start: int) -> bool:
    """Is the name a district of the settlement named right after it ("Київському районі
    Харкова", "the Kyivskyi district of Donetsk")? Then it is no place of its own."""
    gap = text[surface_end:next_start]
    if _DISTRICT_END.search(text, surface_start, surface_end) and not gap.strip():
        return True
    return _DISTRICT_GAP.fullmatch(gap) is not None


def sentence_ends(text: str) -> list[int]:
    """Where the text's sentences end, in order (for :func:`district_after_city`)."""
    return [m.start() for m in _SENTENCE_END.finditer(text)]


def district_after_city(text: str, ends: list[int], city_end: int, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a "… district"/"…ому районі" named later in the sentence that
    named a city ("In Kherson, … in the Dniprovskyi district")? It is that city's district.

    ``ends`` is :func:`sentence_ends` of ``text``: one bisection per name keeps a long run of
    districts after one city linear in the text's length (a scan from the city to each name
    was quadratic)."""
    if _DISTRICT_END.search(text, start, end) is None:
        return False
    following = bisect.bisect_left(ends, city_end)
    return following == len(ends) or ends[following] >= start


def acronym(surface: str) -> bool:
    """A short all-capitals word: an agency or party, unless a place is written so."""
    return len(surface) <= 4 and surface.isupper() and surface.isalpha()


def after_a_name_head(text: str, start: int) -> bool:
    """Does an Arabic name's head word come right before ("Ras Al Ain" is not Al Ain, UAE;
    "Tell Abyad", "Deir Hafer")? The index holds the whole name when it knows the place."""
    return _NAME_HEAD_BEFORE.search(text, max(0, start - 9), start) is not None


def after_arabic_article(text: str, start: int) -> bool:
    """Is the name the second half of an Arabic one ("Maarat al-Numan" is not Numan, Nigeria)?"""
    return _ARABIC_ARTICLE_BEFORE.search(text, max(0, start - 4), start) is not None


def after_locative(text: str, start: int) -> bool:
    """Does "in", "near", "outside" or "around" (or "in the town of") come right before
    ``text[start:]``?"""
    return _LOCATIVE_BEFORE.search(text, max(0, start - 30), start) is not None


def says_around(text: str, start: int) -> bool:
    """Does the text put the name after "near", "east of", "під", "в пригороде" and the like?"""
    return _AROUND_BEFORE.search(text, max(0, start - 30), start) is not None


def part_of_a_longer_name(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` the first word of a longer name: a given name before a surname
    ("Vladimir Putin"), or "San", "New", "Saint"… before the rest of a name the index does not
    hold ("San Francisco" is not San in Mali)?"""
    key = fold(text[start:end])
    if key not in GIVEN_NAMES and key not in NAME_PREFIXES:
        return False
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    return word[:1].isupper() and fold(word) not in REGION_WORDS and word.lower() != "city"


_CAPITAL = "A-ZА-ЯЁІЇЄҐ"
_WORD_BEFORE = re.compile(rf"([{_CAPITAL}][\w'’-]*)[ \t]+$")
_NAME_AFTER = re.compile(rf"[ \t]+[{_CAPITAL}][a-zа-яёіїєґ'’]")
#: A title or a verb of speech next to a name-like village makes it the person ("governor
#: Serhii …", "мер Терехов", "Terekhov said").
_TITLE_BEFORE = re.compile(
    r"(?:\b|(?<=[\s(]))(?:mayor|governor|head|chief|spokesman|spokeswoman|spokesperson|minister"
    r"|president|commander|deputy|secretary|official|голова|голови|очільник\w*|начальник\w*"
    r"|губернатор\w*|мер|мера|мэр|мэра|глава|главы|керівник\w*|міністр\w*|министр\w*"
    r"|речни\w*|заступни\w*|заместител\w*|депутат\w*)[ \t]+$",
    re.IGNORECASE,
)
_SPEECH_AFTER = re.compile(
    r"[ \t]*,?[ \t]+(?:said|says|told|wrote|added|stated|noted|заяви\w*|повідоми\w*|написа\w*"
    r"|сказа\w*|зазнач\w*|додав|додала|сообщи\w*|отмети\w*|добави\w*|уточни\w*)\b"
)
#: "село Сергії", "the village of Oleh": the word before says it is a place.
_SETTLEMENT_BEFORE = re.compile(
    r"\b(?:village|town|city|settlement|hamlet|of|in|near|село|селі|села|селище|селищі|містечк\w*"
    r"|місто|місті|смт|поселок|посёлок|поселке|посёлке|деревн\w*|с\.|м\.|г\.)[ \t]+$",
    re.IGNORECASE,
)
#: Capitalised words before a country's name that do not make it part of a person's name.
_NOT_NAMES = frozenset(
    [
        "in",
        "from",
        "to",
        "of",
        "and",
        "on",
        "at",
        "by",
        "for",
        "with",
        "into",
        "across",
        "over",
        "near",
        "against",
        "towards",
        "toward",
        "the",
        "said",
        "says",
        "hit",
        "strike",
        "strikes",
        "attack",
        "attacks",
        # sentence-initial Ukrainian and Russian words before a place
        "у",
        "в",
        "на",
        "по",
        "під",
        "под",
        "біля",
        "возле",
        "поблизу",
        "до",
        "з",
        "із",
        "из",
        "от",
        "та",
        "і",
        "й",
        "и",
        "над",
        "за",
        "через",
    ]
)


def by_a_name(text: str, start: int, end: int, after: list[str]) -> bool:
    """Does the name stand as part of a person's name: next to another capitalised word
    ("Serhii Lysak", "Ігор Терехов"), after a title ("governor …", "мер …") or before a
    verb of speech ("… said")? Not after "village"/"село", nor before "X oblast"."""
    if _SETTLEMENT_BEFORE.search(text, max(0, start - 12), start):
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is not None and before.group(1).lower() not in _NOT_NAMES:
        return True
    if _TITLE_BEFORE.search(text, max(0, start - 16), start):
        return True
    if _NAME_AFTER.match(text, end) is not None:
        return not any(word in REGION_WORDS for word in after[1:3])
    return _SPEECH_AFTER.match(text, end) is not None


def outlet(text: str, end: int) -> bool:
    """Is the name the first word of an outlet's ("Saba news agency", "Kyiv Independent")?"""
    return _OUTLET_AFTER.match(text, end) is not None


def after_an_unknown_word(text: str, start: int) -> bool:
    """Does an unknown capitalised word come right before, inside a sentence ("Iran's Khoda
    Afrin county")? Then a foreign town's name is the end of a longer name the index lacks."""
    before = _CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and _BEFORE_FOREIGN_OK.fullmatch(before.group(1)) is None


_REGIONAL_OFFICE_AFTER = re.compile(
    r"[ \t]+(?:regional|oblast|region's|province's|ОВА|ОДА|обласн\w*|областн\w*|OVA|ODA)\b",
    re.IGNORECASE,
)


def regional_office(text: str, end: int) -> bool:
    """Does a regional office follow the name ("Kyiv regional administration", "Київської
    ОВА")? It speaks for the oblast around a city that is a region of its own."""
    return _REGIONAL_OFFICE_AFTER.match(text, end) is not None


_VILLAGE_BEFORE = re.compile(
    r"\b(?:village|hamlet|село|селі|села|селище|селищі|смт|поселок|посёлок|поселке|посёлке"
    r"|деревн\w*|с\.)[ \t]+(?:of[ \t]+)?$",
    re.IGNORECASE,
)


def village_before(text: str, start: int) -> bool:
    """Does "village"/"село"/"посёлок" come right before the name? Then a village is meant, not
    a city of the same name."""
    return _VILLAGE_BEFORE.search(text, max(0, start - 16), start) is not None
