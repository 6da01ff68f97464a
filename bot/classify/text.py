"""Text plumbing shared by the classifier stages: normalisation, language, sentences, tokens."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_UNIFY = (("’", "'"), ("ʼ", "'"), ("`", "'"), ("′", "'"), ("‘", "'"), ("ё", "е"))
_UK_LETTERS = frozenset("іїєґІЇЄҐ")
_RU_LETTERS = frozenset("ыэъёЫЭЪЁ")
_CYRILLIC = re.compile(r"[а-яА-ЯіїєґІЇЄҐ]")
_LATIN = re.compile(r"[a-zA-Z]")
# Sentence ends: . ! ? ; newlines and the " || " VIINA uses between merged reports.
_SENTENCE_END = re.compile(r"(?:[.!?;…]+(?=\s|$|[\"»”)])|\n+|\|\|)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:st|no|nr|mr|mrs|ms|dr|vs|jr|sr|gen|col|lt|sgt|capt|gov|rep|sen|approx|incl|"
    r"ул|вул|пр|просп|обл|им|ім|ст|р|г|м|с|см|тис|тыс|млн|млрд|див|ім)|\b\w)\.$",
    re.IGNORECASE,
)
TOKEN = re.compile(r"\d+(?:[.,]\d{3})*|[^\W\d_]+(?:['-][^\W\d_]+)*|[.,;:!?()|—–\-]")


def normalise(text: str) -> str:
    """Lower-case text with unified apostrophes (and ё → е), same length as the input."""
    low = text.lower()
    for variant, plain in _UNIFY:  # str.replace where needed: much faster than str.translate
        if variant in low:
            low = low.replace(variant, plain)
    return low


def detect_language(text: str) -> str:
    """``uk`` for Cyrillic with і/ї/є/ґ, ``ru`` for other Cyrillic, else ``en``."""
    cyrillic = len(_CYRILLIC.findall(text[:2000]))
    latin = len(_LATIN.findall(text[:2000]))
    if cyrillic and cyrillic >= latin:
        return "uk" if any(ch in _UK_LETTERS for ch in text) else "ru"
    return "en"


def ambiguous_cyrillic(text: str) -> bool:
    """Cyrillic with neither Ukrainian (і ї є ґ) nor Russian (ы э ъ ё) letters: "уже 18 загиблих"."""
    return not any(ch in _UK_LETTERS or ch in _RU_LETTERS for ch in text)


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentence boundaries of one document, for mapping character offsets to sentences."""

    starts: tuple[int, ...]

    @classmethod
    def split(cls, text: str) -> Sentences:
        starts = [0]
        for m in _SENTENCE_END.finditer(text):
            end = m.end()
            if end >= len(text):
                break
            if m.group().startswith(".") and _ABBREVIATION.search(text, max(0, end - 8), end):
                continue
            starts.append(end)
        return cls(tuple(starts))

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def __len__(self) -> int:
        return len(self.starts)


def join_title(title: str, text: str) -> str:
    """One document from headline and body, without repeating a headline the body starts with."""
    title = title.strip()
    text = text.strip()
    if not title:
        return text
    if not text or text.startswith(title[: max(20, len(title) // 2)]):
        return text or title
    end = "" if title[-1:] in ".!?:" else "."
    return f"{title}{end}\n{text}"
