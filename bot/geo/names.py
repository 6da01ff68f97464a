"""Text normalisation shared by the gazetteer builder and the runtime matcher.

Both sides must fold names the same way, so this module is the single definition of a *key*:
lower case, one apostrophe (``'``), ``ё`` → ``е``, Latin diacritics dropped, words split on
anything that is not a letter or an inner apostrophe (hyphens split: "Івано-Франківськ" is two
tokens). Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_APOSTROPHES = "’ʼ'`´‘ʹ′"


def _latin_fold_table() -> dict[int, str]:
    """Map accented Latin letters (U+00C0–U+024F, U+1E00–U+1EFF) to their bare base letters."""
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = "".join(
            c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)
        )
        if base != chr(code) and base.isascii() and len(base) == 1:
            table[code] = base
    return table


_FOLD = {ord(c): "'" for c in _APOSTROPHES} | {ord("ё"): "е", ord("Ё"): "Е"} | _latin_fold_table()
_FOLD.update(
    {ord(c): b for c, b in zip("øØđĐłŁı", "oOdDlLi", strict=True)}
)  # one char for one: spans hold
_FOLD_LOWER = {chr(k).lower(): v.lower() for k, v in _FOLD.items()}
_SPECIAL = re.compile("[" + re.escape("".join(sorted(_FOLD_LOWER))) + "]")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")

#: Words that make the next (or previous) name a street, not a place: "вулиця Перемоги".
STREET_BEFORE = frozenset(
    [
        "вулиця",
        "вулиці",
        "вулицю",
        "вулицею",
        "вул",
        "провулок",
        "провулку",
        "пров",
        "проспект",
        "проспекту",
        "просп",
        "пр",
        "бульвар",
        "бульвару",
        "бульв",
        "площа",
        "площі",
        "майдан",
        "майдані",
        "шосе",
        "узвіз",
        "набережна",
        "набережній",
        "улица",
        "улице",
        "улицу",
        "улицы",
        "ул",
        "переулок",
        "переулке",
        "пер",
        "проспекте",
        "бульваре",
        "площадь",
        "площади",
        "street",
        "avenue",
    ]
)
STREET_AFTER = frozenset(
    [
        *("street", "st", "avenue", "ave", "boulevard", "blvd", "square", "lane", "road"),
        # A place adjective before a street, road, hill or station names that feature, often
        # in another city ("на Московському проспекті" is in Kharkiv, "Харьковская гора" in
        # Belgorod); before a front's "direction" it names no place struck.
        *("проспект", "проспекті", "проспекту", "проспекта", "проспекте", "вулиця", "вулиці"),
        *("вулицю", "улица", "улице", "улицу", "улицы", "бульвар", "бульварі", "бульваре"),
        *("шосе", "шоссе", "траса", "трасі", "трасу", "трасса", "трассе", "трассу", "узвіз"),
        *("гора", "горі", "гору", "горе", "горы", "гори", "вокзал", "вокзалі", "вокзале"),
        *("вокзалу", "вокзала", "напрямок", "напрямку", "направление", "направлении"),
    ]
)
#: Words after which an oblast adjective names the oblast: "Харківській та Сумській областях".
REGION_WORDS = frozenset(
    [
        *("область", "області", "областю", "областей", "областям", "областях", "областями"),
        *("области", "областью", "обл", "oblast", "oblasts", "region", "regions"),
        *("province", "provinces"),
    ]
)


class Token(NamedTuple):
    """One word of a text: its folded key, character span and whether it starts upper case."""

    key: str
    start: int
    end: int
    upper: bool


def fold(text: str) -> str:
    """Fold one name or word to its key form (no tokenising)."""
    return text.translate(_FOLD).lower()


def _unfold(match: re.Match[str]) -> str:
    return _FOLD_LOWER.get(match.group(), match.group())


def fold_text(text: str) -> str:
    """:func:`fold` that keeps every character's offset (so spans in the result fit ``text``)."""
    folded = text.lower()
    if len(folded) != len(text):  # rare letters whose lower case is longer
        folded = "".join(low if len(low := c.lower()) == 1 else c for c in text)
    return _SPECIAL.sub(_unfold, folded) if _SPECIAL.search(folded) else folded


def words(folded: str) -> list[str]:
    """The word tokens of a folded text, without positions (see :func:`locate`)."""
    return _TOKEN.findall(folded)


def _inside(folded: str, at: int, step: int) -> bool:
    """Does the word continue past ``at`` in direction ``step`` (-1 before, +1 after)?"""
    char = folded[at]
    if char.isalpha():
        return True
    beyond = at + step
    return char == "'" and 0 <= beyond < len(folded) and folded[beyond].isalpha()


def locate(folded: str, word: str, pos: int) -> int:
    """Start of the first whole-word occurrence of ``word`` at or after ``pos`` (-1: none)."""
    while (found := folded.find(word, pos)) >= 0:
        end = found + len(word)
        if (found == 0 or not _inside(folded, found - 1, -1)) and (
            end >= len(folded) or not _inside(folded, end, 1)
        ):
            return found
        pos = found + 1
    return -1


def scan(text: str) -> tuple[str, list[tuple[str, int]]]:
    """The folded text and its word tokens as (key, start)."""
    folded = fold_text(text)
    return folded, [(m.group(), m.start()) for m in _TOKEN.finditer(folded)]


def latin_key(word: str) -> str:
    """A Latin word without apostrophes: "kharkiv's" → "kharkiv", "vil'nyans'k" → "vilnyansk"."""
    if "'" not in word or not word.isascii():
        return word
    if word.endswith("'s") and len(word) > 3:
        word = word[:-2]
    return word.replace("'", "")


def tokenize(text: str) -> list[Token]:
    """Split a text into folded word tokens (Latin ones through :func:`latin_key`)."""
    tokens: list[Token] = []
    for word, start in scan(text)[1]:
        key = latin_key(word)
        end = start + len(word) - (2 if key != word and word.endswith("'s") else 0)
        tokens.append(Token(key, start, end, text[start].isupper()))
    return tokens


def name_key(name: str) -> str:
    """The lookup key of a whole name: its folded tokens joined by single spaces."""
    return " ".join(token.key for token in tokenize(name))
