"""Per-language cue lexicons (data files in ``lexicon/``) compiled into one trie regex each.

A lexicon file maps a *tag* (``"strike"``, ``"obj:medical"``, ``"neg:court"`` …) to a list of
lower-case *stems*. A stem matches at the start of a word and runs to the end of that word, so
``"обстріл"`` finds ``обстрілу`` and ``обстріляли``. A stem ending in ``=`` must be the whole
word (``"hit="`` does not find ``hitch``). Stems may span words (``"hunger strike"``); where two
stems overlap, the longest wins, which is how ``"strike a deal"`` shadows ``"strike"``.
``common.json`` (weapon names written the same in every language) is merged into each language.
The ``"numbers"`` key holds exact number words with their values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

LANGUAGES = ("en", "uk", "ru")
_EXACT = "\0"  # trie key that ends a whole-word stem
_WORD_END = r"(?![\w'])"


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue found in a document."""

    tags: tuple[str, ...]
    start: int
    end: int
    stem: str


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, dict[str, object]] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})  # type: ignore[assignment]
        node[""] = {}

    def build(node: Mapping[str, object]) -> str:
        alternatives = [
            (_WORD_END if ch == _EXACT else re.escape(ch) + build(sub))  # type: ignore[arg-type]
            for ch, sub in sorted(node.items(), key=lambda kv: (kv[0] == _EXACT, kv[0]))
            if ch
        ]  # the whole-word end goes last, so that longer stems are tried first
        if not alternatives:
            return ""
        if len(alternatives) == 1 and "" not in node:
            return alternatives[0]
        group = "(?:" + "|".join(alternatives) + ")"
        return group + "?" if "" in node else group

    return build(trie)


class Lexicon:
    """The compiled cues of one language."""

    def __init__(self, lang: str, entries: Mapping[str, Iterable[str]], numbers: Mapping[str, int]):
        self.lang = lang
        self.numbers: dict[str, int] = dict(numbers)
        tags: dict[str, list[str]] = {}
        exact: set[str] = set()
        for tag, stems in entries.items():
            for raw in stems:
                stem = raw.strip().lower().replace("’", "'")
                if stem.endswith("="):
                    stem = stem[:-1]
                    exact.add(stem)
                tags.setdefault(stem, []).append(tag)
        self._tags = {stem: tuple(dict.fromkeys(t)) for stem, t in tags.items()}
        words = [stem + _EXACT if stem in exact else stem for stem in self._tags]
        self._pattern = re.compile("(" + _trie_pattern(words) + r")(\w*)")

    def scan(self, text: str) -> list[Hit]:
        """All cues in ``text`` (already normalised), in text order."""
        hits: list[Hit] = []
        for m in self._pattern.finditer(text):
            start = m.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "'-"):
                continue
            stem = m.group(1)
            hits.append(Hit(self._tags[stem], start, m.end(), stem))
        return hits


def load_lexicon(lang: str) -> Lexicon:
    """Load ``lexicon/<lang>.json`` merged with ``lexicon/common.json``."""
    folder = resources.files("bot.classify") / "lexicon"
    merged: dict[str, list[str]] = {}
    numbers: dict[str, int] = {}
    for name in ("common", lang):
        data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        numbers.update(data.pop("numbers", {}))
        data.pop("_comment", None)
        for tag, stems in data.items():
            merged.setdefault(tag, []).extend(stems)
    return Lexicon(lang, merged, numbers)
