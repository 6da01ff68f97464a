"""Text plumbing shared by the classifier stages: normalisation, language, sentences, tokens."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_UNIFY = (("’", "'"), ("ʼ", "'"), ("`", "'"), ("′", "'"), ("‘", "'"), ("ё", "е"))
_SAMPLE = 600  # characters enough to tell the script
_NOT_LATIN = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")  # UTF-8 lead bytes of U+0400–U+04FF
# Sentence ends: . ! ? ; newlines and the " || " VIINA uses between merged reports. The leading
# lookahead lets the regex engine skip to candidate characters (three times faster).
_SENTENCE_END = re.compile(r"(?=[.!?;…\n|])(?:[.!?;…]+(?=\s|$|[\"»”)])|\n+|\|\|)")
#: Words that a full stop abbreviates (as do single letters and digits: "J. Smith", "5.").
_ABBREVIATIONS = frozenset(
    {
        "st",
        "no",
        "nr",
        "mr",
        "mrs",
        "ms",
        "dr",
        "vs",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "rep",
        "sen",
        "approx",
        "incl",
        "ул",
        "вул",
        "пр",
        "просп",
        "обл",
        "им",
        "ім",
        "ст",
        "р",
        "г",
        "м",
        "с",
        "см",
        "тис",
        "тыс",
        "млн",
        "млрд",
        "див",
    }
)
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


def detect_language(text: str, hint: str | None = None) -> str:
    """``en``, ``uk`` or ``ru``, from the text itself.

    The script decides Latin vs Cyrillic. Cyrillic is Ukrainian or Russian by the letters only
    one of them has (і ї є ґ vs ы э ъ ё, each counting :data:`_LETTER_WEIGHT`) plus common
    words only one of them uses ("та", "що", "від" vs "и", "что", "от"). ``hint`` (a feed's
    declared language) only breaks a tie; with neither letters nor words nor hint, ``ru`` (and
    :func:`bot.classify.lexicon.choose_lexicon` then compares both lexicons' cues).
    """
    return _detect(text, hint)[0]


def _detect(text: str, hint: str | None) -> tuple[str, bool]:
    """(language, whether the text itself decided it)."""
    head = text[:_SAMPLE]
    if head.isascii():
        return "en", True
    raw = head.encode("utf-8")  # counting bytes is far cheaper than matching characters
    cyrillic = sum(raw.count(lead) for lead in _CYRILLIC_LEADS)
    if not cyrillic or cyrillic < len(raw.translate(None, _NOT_LATIN)):
        return "en", True
    uk, ru = _cyrillic_scores(head)
    if uk != ru:
        return ("uk" if uk > ru else "ru"), True
    if uk == 0 and cyrillic >= _NO_I_AFTER:
        return "ru", True  # і is among the commonest Ukrainian letters; a headline without one
    return (hint if hint in ("uk", "ru") else "ru"), False


_LETTER_WEIGHT = 3
_NO_I_AFTER = 80  # Cyrillic letters without і ї є ґ (or a Ukrainian word): Russian
_UK_ONLY = "іїєґІЇЄҐ"
_RU_ONLY = "ыэъёЫЭЪЁ"
_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_UK_WORDS = _words(
    "і й та що це як від його її вони було буде також який яка які яке щоб або після між "
    "внаслідок унаслідок ще вже чи цього цей ця із зі йому під року міста мешканців "
    "людей загинули загинула загинув поранено поранені влучання обстріл"
)
_RU_WORDS = _words(
    "и что это как от его ее они было будет также который которая которые чтобы или после "
    "между результате еще ли этого этот эта из со ему под года города жителей "
    "человек погибли погибла погиб ранены ранения попадание обстрел"
)


def _cyrillic_scores(head: str) -> tuple[int, int]:
    uk = _LETTER_WEIGHT * sum(head.count(ch) for ch in _UK_ONLY)
    ru = _LETTER_WEIGHT * sum(head.count(ch) for ch in _RU_ONLY)
    if (uk == 0) != (ru == 0):
        return uk, ru  # only one language's letters: the words cannot outweigh them (cheap)
    for word in _WORD.findall(head.lower()):
        if word in _UK_WORDS:
            uk += 1
        elif word in _RU_WORDS:
            ru += 1
    return uk, ru


def ambiguous_cyrillic(text: str, hint: str | None = None) -> bool:
    """Cyrillic that neither letters nor common words tell as Ukrainian or Russian ("уже 18
    загиблих": no telling letter, and "уже" is written in both)."""
    lang, decided = _detect(text, hint)
    return lang != "en" and not decided


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
