"""Places as users name them: free text → a place, a choice, or suggestions; codes → names.

Pure (no I/O): works on anything shaped like the gazetteer (:class:`PlaceIndex`).

Resolution of what a user typed after /subscribe:
* "all", "everything", "усі", "все" … → everything (``"*"``);
* a code ("UA-12") the gazetteer knows → that node;
* otherwise the gazetteer's search (typo-tolerant, best first); a result *matches* when every
  word typed is a word of one of its names (any language). One exact full-name match wins;
  several matches → a choice; no match but results → suggestions; nothing → not found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.domain import ALL_PLACES, Place
from bot.geo.names import name_key
from bot.i18n import language, t
from bot.i18n.cases import Case, inflect

ALL_WORDS = frozenset(
    {"*", "all", "everything", "everywhere", "все", "всё", "усі", "всі", "усе", "скрізь", "всюди"}
)
MAX_QUERY = 100
MAX_CHOICES = 8
MAX_SUGGESTIONS = 3
_CODE = re.compile(r"[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3}(?::[0-9A-Za-z_.-]{1,30})?)?")


class PlaceIndex(Protocol):
    """The part of :class:`bot.geo.Gazetteer` the chat side uses."""

    def search(self, query: str, limit: int = 8) -> list[Place]: ...

    def node(self, code: str) -> Place | None: ...

    def regions(self, country: str) -> list[Place]: ...

    def countries(self) -> list[Place]: ...

    def named(self, query: str) -> list[Place]: ...


@dataclass(frozen=True, slots=True)
class Resolution:
    kind: Literal["all", "one", "many", "suggest", "none", "empty", "too_long"]
    places: tuple[Place, ...] = ()


def country_name(code: str, lang: str, place: Place | None = None) -> str:
    name = t(lang, f"country.{code}")
    if name != f"country.{code}":
        return name
    return (place.localised("name", lang) if place is not None else "") or code


def place_name(place: Place, lang: str, case: Case | None = None) -> str:
    """Plain text (escape before HTML): "Kryvyi Rih (Dnipropetrovsk oblast)", "Kharkiv oblast",
    "Ukraine"; in Ukrainian and Russian declined to ``case`` when given ("від Кривого Рогу
    (Дніпропетровська область)", "на Харківську область")."""
    lang = language(lang)

    def declined(name: str) -> str:
        return inflect(lang, name, case) if case else name

    if place.settlement_code:
        name = place.localised("name", lang) or place.settlement_code
        region = place.localised("region", lang)
        return f"{declined(name)} ({region})" if region and region != name else declined(name)
    if place.region_code:
        region = place.localised("region", lang) or place.localised("name", lang)
        return declined(region) if region else place.code
    return declined(country_name(place.country, lang, place))


def region_label(place: Place, lang: str) -> str:
    """The region a place lies in, as a user would type it ("Donetsk oblast")."""
    return place.localised("region", lang) or place_name(place, lang)


def code_name(index: PlaceIndex, code: str, lang: str, case: Case | None = None) -> str:
    """The display name of a subscription code (the code itself if the gazetteer lost it)."""
    if code == ALL_PLACES:
        return t(lang, "sub.everything")
    place = index.node(code)
    return place_name(place, lang, case) if place is not None else code


def is_known(index: PlaceIndex, code: str) -> bool:
    return code == ALL_PLACES or index.node(code) is not None


def _names(place: Place) -> list[str]:
    if place.settlement_code:
        return [place.name_en, place.name_uk, place.name_ru]
    if place.region_code:
        return [place.region_en, place.region_uk, place.region_ru, place.name_en, place.name_uk]
    return [place.name_en, place.name_uk, place.name_ru, place.country]


def _unique(places: Sequence[Place]) -> list[Place]:
    seen: set[str] = set()
    out: list[Place] = []
    for place in places:
        if place.code not in seen:
            seen.add(place.code)
            out.append(place)
    return out


def resolve(index: PlaceIndex, text: str) -> Resolution:
    """What the user meant by ``text`` (see the module docstring).

    The one resolver behind /subscribe, /unsubscribe, admin targets and broadcasts, so a name
    means the same place everywhere. ``places`` holds every candidate (not only those shown).
    """
    query = " ".join(text.split())
    if not query:
        return Resolution("empty")
    if len(query) > MAX_QUERY:
        return Resolution("too_long")
    if query.lower() in ALL_WORDS:
        return Resolution("all")
    if _CODE.fullmatch(query) and "-" in query:
        upper = query.split(":", 1)
        code = upper[0].upper() + (":" + upper[1] if len(upper) > 1 else "")
        place = index.node(code)
        if place is not None:
            return Resolution("one", (place,))
    key = name_key(query)
    if not key:
        return Resolution("none")
    named = _named(index, query)
    if named and not _misspelt(key, named):
        found = _with_own_region(index, named)
        return Resolution("one" if len(found) == 1 else "many", tuple(found))
    results = _unique(index.search(query, limit=MAX_CHOICES))
    if not results:
        regions = _home_regions_by_word(index, key)  # "Крим": Автономна Республіка Крим
        return Resolution("one", tuple(regions)) if len(regions) == 1 else Resolution("none")
    wanted = set(key.split())
    matching = [
        p for p in results if any(wanted <= set(name_key(n).split()) for n in _names(p) if n)
    ]
    if len(matching) == 1:
        return Resolution("one", (matching[0],))
    if matching:
        return Resolution("many", tuple(matching))
    return Resolution("suggest", tuple(_with_regions(index, results)[:MAX_SUGGESTIONS]))


def _named(index: PlaceIndex, query: str) -> list[Place]:
    """Places the text names exactly; "Kamianka, Donetsk oblast" / "Kamianka Donetsk" narrow a
    shared name to a region."""
    found = index.named(query)
    if found:
        return found
    head, comma, tail = query.partition(",")
    splits = [(head, tail)] if comma else []
    parts = query.split()
    splits += [(" ".join(parts[:i]), " ".join(parts[i:])) for i in range(len(parts) - 1, 0, -1)]
    for name, region in splits:
        wanted = set(name_key(region).split()) - _REGION_WORDS
        if not wanted or not name.strip():
            continue
        inside = [p for p in index.named(name) if p.settlement_code and _in_region(p, wanted)]
        if inside:
            return inside
    return []


_REGION_WORDS = frozenset({"oblast", "region", "область", "обл", "край", "krai", "republic"})


def _in_region(place: Place, wanted: set[str]) -> bool:
    """Do the typed words name the place's region ("Donetsk", "Донеччина", "донецька")?"""
    stems = {
        w[:_STEM]
        for n in (place.region_en, place.region_uk, place.region_ru)
        if n
        for w in name_key(n).split()
    }
    return all(w[:_STEM] in stems for w in wanted)


_STEM = 5


def _home_regions_by_word(index: PlaceIndex, key: str) -> list[Place]:
    """Home-country regions whose name holds every typed word (a last resort: the words of a
    long official name, "Крим" of "Автономна Республіка Крим")."""
    wanted = set(key.split())
    return [
        region
        for region in index.regions(HOME_COUNTRY)
        if any(wanted <= set(name_key(n).split()) for n in _names(region) if n)
    ]


HOME_COUNTRY = "UA"


def _misspelt(key: str, places: Sequence[Place]) -> bool:
    """A doubled letter dropped ("Запоріжя"): the gazetteer knows the spelling so it can read
    the news, but a user who typed it is asked, as for any other typo."""
    shapes = {name_key(n) for p in places for n in _names(p) if n}
    return key not in shapes and any(_DOUBLE.sub(r"\1", shape) == key for shape in shapes)


_DOUBLE = re.compile(r"(.)\1+")


def _with_own_region(index: PlaceIndex, places: Sequence[Place]) -> list[Place]:
    """A city its region is named after also offers the region: "Dnipro" → the city and
    Dnipropetrovsk oblast, "Kharkiv" → the city and Kharkiv oblast."""
    out: list[Place] = []
    for place in places:
        region = None
        if place.settlement_code and place.region_code and _names_region(place):
            region = index.node(place.region_code)
        if region is None:
            out.append(place)
        elif _same_name(place, region):  # a city that is its own region (Moscow): the region
            out.append(region)
        else:
            out += [place, region]
    return _unique(out)


def _same_name(city: Place, region: Place) -> bool:
    return bool(city.name_en) and name_key(city.name_en) == name_key(region.region_en)


def _names_region(place: Place) -> bool:
    pairs = (
        (place.name_en, place.region_en),
        (place.name_uk, place.region_uk),
        (place.name_ru, place.region_ru),
    )
    return any(
        name and region and name_key(region).startswith(name_key(name)) for name, region in pairs
    )


def _with_regions(index: PlaceIndex, results: Sequence[Place]) -> list[Place]:
    """The best guess, then its region (a typo often means the oblast), then the rest."""
    best = results[0]
    region = index.node(best.region_code) if best.settlement_code and best.region_code else None
    return _unique([best, *([region] if region is not None else []), *results[1:]])


def options(places: Sequence[Place], lang: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(label, code) pairs for a keyboard, each label once (the best-ranked place of two
    that read alike), at most ``limit``."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for place in places:
        label = place_name(place, lang)
        if label not in seen:
            seen.add(label)
            out.append((label, place.code))
    return out if limit is None else out[:limit]
