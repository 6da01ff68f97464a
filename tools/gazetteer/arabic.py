"""English-press spellings of Arabic place names that GeoNames' alternates leave out.

The press drops the article ("Al Qamishli" → "Qamishli", "El Fasher" → "Fasher"), writes an
assimilated article joined to its noun ("Deir ez-Zor" → "Deir Ezzor") and ends a name in -a,
-ah or -eh at will ("Hodeida", "Hodeidah"; "Hasaka", "Hasakeh"). Each variant is generated only
from a name the place already has, and a variant that is an English word is left out.
"""

from __future__ import annotations

import re

from bot.geo.context import ARABIC_COUNTRIES
from gazetteer.common import ENGLISH_WORD_ZIPF, zipf

__all__ = ["ARABIC_COUNTRIES", "arabic_variants"]

_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez|en)[- ]", re.IGNORECASE)
#: "Deir ez-Zor": an article inside a name whose consonant is its noun's first
_JOINED = re.compile(r"(?<= )(?:a|e)([dnrstz]|sh|th|dh)[- ](\1)(\w+)", re.IGNORECASE)
_MIN_LETTERS = 5


def arabic_variants(names: set[str]) -> set[str]:
    """Spellings of ``names`` (romanised Arabic) the English press also uses."""
    out: set[str] = set()
    for name in names:
        forms = {name}
        bare = _ARTICLE.sub("", name)
        if bare != name and len(bare.replace(" ", "")) >= _MIN_LETTERS:
            forms.add(bare[:1].upper() + bare[1:])
        forms |= {_JOINED.sub(_join, f) for f in forms}
        for form in list(forms):
            forms |= _endings(form)
        out |= forms
    return {v for v in out - names if _not_a_word(v)}


def _join(match: re.Match[str]) -> str:
    article = match.group(0)[0]
    return f"{article.upper()}{match.group(1).lower()}{match.group(2).lower()}{match.group(3)}"


def _endings(name: str) -> set[str]:
    if len(name.replace(" ", "")) < _MIN_LETTERS:
        return set()
    lower = name.lower()
    if lower.endswith(("ah", "eh")):
        stem = name[:-2]
        return {stem + "a", stem + "ah", stem + "eh"}
    if lower.endswith("a") and not lower.endswith("aa"):
        return {name + "h", name[:-1] + "eh"}
    return set()


def _not_a_word(name: str) -> bool:
    return " " in name or zipf(name.lower(), "en") < ENGLISH_WORD_ZIPF
