"""Text plumbing shared by the classifier stages: normalisation, language, sentences, tokens."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_UNIFY = (("’", "'"), ("ʼ", "'"), ("`", "'"), ("′", "'"), ("‘", "'"), ("ё", "е"))
_UK_LETTER = re.compile("[іїєґІЇЄҐ]")
_TELLING_LETTER = re.compile("[іїєґІЇЄҐыэъёЫЭЪЁ]")  # Ukrainian-only or Russian-only
_SAMPLE = 600  # characters enough to tell the script
_CYRILLIC = re.compile("[а-яА-Я]")
_NOT_LATIN = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")  # UTF-8 lead bytes of U+0400–U+04FF
# Sentence ends: . ! ? ; newlines and the " || " VIINA uses between merged reports. The leading
# lookahead lets the regex engine skip to candidate characters (three times faster).
_SENTENCE_END = re.compile(r"(?=[.!?;…\n|])(?:[.!?;…]+(?=\s|$|[\"»”)])|\n+|\|\|)")
#: Words that a full stop abbreviates (as do single letters and digits: "J. Smith", "5.").
_ABBREVIATIONS = frozenset({
    "st", "no", "nr", "mr", "mrs", "ms", "dr", "vs", "jr", "sr", "gen", "col", "lt", "sgt",
    "capt", "gov", "rep", "sen", "approx", "incl", "ул", "вул", "пр", "просп", "обл", "им", "ім",
    "ст", "р", "г", "м", "с", "см", "тис", "тыс", "млн", "млрд", "див",
})
_ABBREVIATION_MAX = 8


def _abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation rather than a sentence."""
    lo = max(0, dot - _ABBREVIATION_MAX)
    j = dot
    while j > lo and text[j - 1].isalnum():
        j -= 1
    if j == dot or (j == lo and lo > 0 and text[lo - 1].isalnum()):
        return False
    return dot - j == 1 or text[j:dot].lower() in _ABBREVIATIONS


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
    head = text[:_SAMPLE]
    if head.isascii():
        return "en"
    raw = head.encode("utf-8")  # counting bytes is far cheaper than matching characters
    cyrillic = sum(raw.count(lead) for lead in _CYRILLIC_LEADS)
    if cyrillic and cyrillic >= len(raw.translate(None, _NOT_LATIN)):
        return "uk" if _UK_LETTER.search(text) else "ru"
    return "en"


def ambiguous_cyrillic(text: str) -> bool:
    """Cyrillic with neither Ukrainian (і ї є ґ) nor Russian (ы э ъ ё) letters ("уже 18
    загиблих")."""
    return _TELLING_LETTER.search(text) is None and _CYRILLIC.search(text) is not None


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
            if m.group() == "." and _abbreviation(text, m.start()):
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
