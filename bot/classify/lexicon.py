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
from importlib import resources

from bot.classify.text import ambiguous_cyrillic, detect_language
from bot.classify.tokens import Token, casualty_kind

LANGUAGES = ("en", "uk", "ru")
_FAMILY_TAGS = frozenset({"month", "wd", "time"})
#: Tags that report a strike or its physical trace; a text with none of them cannot score as a
#: strike, so :meth:`Lexicon.has_event` lets the classifier skip all further work on it.
EVENT_TAGS = frozenset({"strike", "strike_weak", "damage", "explosion", "self_explode", "crater"})
_EXACT = "\0"
_ACTOR_TAGS = frozenset({"ua_actor"})
_UNTAGGED: tuple[tuple[str, ...], str | None] = ((), None)  # trie key that ends a whole-word stem
_WORD_END = r"(?![\w'])"
#: A cue starts a word: not after a letter, digit, apostrophe or hyphen ("anti-aircraft" is not
#: "aircraft"). As the pattern's first test it also makes mid-word positions fail at once.
_WORD_START = r"(?<![\w'-])"


#: One cue found in a document: a token whose text is the stem that matched.
Hit = Token


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
        prefix: dict[str, list[str]] = {}
        whole: dict[str, list[str]] = {}
        for tag, stems in entries.items():
            for raw in stems:
                stem = raw.strip().lower().replace("’", "'")
                table = prefix
                if stem.endswith("="):
                    stem, table = stem[:-1], whole
                found = table.setdefault(stem, [])
                found.append(tag)
                family = tag.split(":", 1)[0]
                if family in _FAMILY_TAGS:  # "month:4" also tags "month", for cheap checks
                    found.append(family)
        self._prefix = {stem: tuple(dict.fromkeys(t)) for stem, t in prefix.items()}
        # A whole word also carries the tags of single-word stems it starts with ("дитина=" is
        # also "дитин"), which the trie's longest match would otherwise hide.
        self._whole = {
            stem: tuple(dict.fromkeys([*t, *self._shorter(stem)])) for stem, t in whole.items()
        }
        # An actor phrase ("ukrainian shelling", "удару ЗСУ") still reports the strike or weapon
        # its words name; only the actor is added.
        for compiled in (self._prefix, self._whole):
            for stem, tags in compiled.items():
                if " " in stem and _ACTOR_TAGS.intersection(tags):
                    compiled[stem] = tuple(dict.fromkeys([*tags, *self._event_tags(stem)]))
        self._prefix_kind = {s: (t, casualty_kind(t)) for s, t in self._prefix.items()}
        self._whole_kind = {s: (t, casualty_kind(t)) for s, t in self._whole.items()}
        words = [*self._prefix, *(stem + _EXACT for stem in self._whole)]
        self._pattern = re.compile(_WORD_START + "(" + _trie_pattern(words) + r")(\w*)")
        eventful = [
            stem + _EXACT if stem in self._whole and stem not in self._prefix else stem
            for stem, tags in [*self._prefix.items(), *self._whole.items()]
            if any(t in EVENT_TAGS or t == "toll" or t.startswith("weapon:") for t in tags)
        ]
        self._event = re.compile(_WORD_START + "(?:" + _trie_pattern(eventful) + ")")

    def has_event(self, text: str) -> bool:
        """True when ``text`` may hold a strike, weapon, explosion or damage cue, or a toll
        ("кількість загиблих зросла до 18" updates a strike without naming it) (cheap)."""
        return self._event.search(text) is not None

    def _event_tags(self, phrase: str) -> list[str]:
        return [
            tag
            for word in phrase.split()
            for tag in self._shorter(word)
            if tag in EVENT_TAGS or tag.startswith("weapon:")
        ]

    def _shorter(self, word: str) -> list[str]:
        if " " in word:
            return list(self._prefix.get(word, ()))
        return [tag for n in range(len(word), 1, -1) for tag in self._prefix.get(word[:n], ())]

    def scan(self, text: str) -> list[Hit]:
        """All cues in ``text`` (already normalised), in text order."""
        hits: list[Hit] = []
        prefix, whole = self._prefix_kind, self._whole_kind
        append = hits.append
        for m in self._pattern.finditer(text):
            stem, rest = m.groups()
            entry = None if rest else whole.get(stem)
            tags, kind = entry or prefix.get(stem, _UNTAGGED)
            append(Hit(stem, m.start(), m.end(), tags, kind))
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


def choose_lexicon(
    lexicons: Mapping[str, Lexicon], doc: str, norm: str, lang: str | None
) -> tuple[Lexicon, list[Hit] | None]:
    """The lexicon of the text's own language (:func:`detect_language`); ``lang``, the feed's
    declared language, only breaks a tie. A Cyrillic text that neither letters nor words tell
    apart and no hint settles gets the lexicon whose cues cover more of it, and those cues come
    along; otherwise the caller scans when it needs to."""
    hint = lang if lang in lexicons else None
    detected = detect_language(doc, hint)
    lexicon = lexicons[detected]
    if detected == "en" or hint in ("uk", "ru") or not ambiguous_cyrillic(doc):
        return lexicon, None
    hits = lexicon.scan(norm)
    other = lexicons["uk" if detected == "ru" else "ru"]
    other_hits = other.scan(norm)
    if _covered(other_hits) > _covered(hits):
        return other, other_hits
    return lexicon, hits


def _covered(hits: list[Hit]) -> int:
    return sum(hit.end - hit.start for hit in hits)
