"""Inflected forms of Cyrillic names and adjectives of places (pymorphy3, uk and ru)."""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict

import pymorphy3

from gazetteer.common import CYRILLIC, RU_ONLY, UK_ONLY

CASES = {c: c for c in ("nomn", "gent", "datv", "accs", "ablt", "loct")} | {
    "loc2": "loct",
    "gen2": "gent",
    "acc2": "accs",
}
#: Suffixes that make a masculine adjective of a place name's stem, tried in turn.
ADJ_SUFFIXES = {
    "uk": ("ський", "ький", "цький", "зький", "ьський", "івський", "овський", "инський"),
    "ru": ("ский", "кий", "цкий", "зкий", "ьский", "овский", "инский"),
}
MUTATIONS = {"к": "ц", "г": "з", "ж": "з", "ч": "ц", "з": "з", "ц": "ц"}


class Forms:
    """Case forms of nouns (agreeing across words) and lexemes of place adjectives."""

    def __init__(self) -> None:
        self.uk = pymorphy3.MorphAnalyzer(lang="uk")
        self.ru = pymorphy3.MorphAnalyzer(lang="ru")

    def morph(self, lang: str) -> pymorphy3.MorphAnalyzer:
        return self.uk if lang == "uk" else self.ru

    @functools.cache  # noqa: B019 - one instance per build run
    def word(self, word: str) -> dict[str, set[str]]:
        lower = word.lower()
        letters = set(lower)
        analyzers = [self.uk] if letters & UK_ONLY else [self.ru] if letters & RU_ONLY else []
        by_case: dict[str, set[str]] = defaultdict(set)
        by_case["nomn"].add(lower)
        if lower.endswith(("щина", "чина")):  # "Бєлгородщина": a regular paradigm, often unlisted
            stem = lower[:-1]
            for case, endings in (("gent", "иы"), ("datv", "іе"), ("accs", "у"), ("loct", "іе")):
                by_case[case] |= {stem + e for e in endings}
            by_case["ablt"] |= {stem + "ою", stem + "ой"}
        for morph in analyzers or [self.uk, self.ru]:
            for parse in morph.parse(lower):
                tag = parse.tag
                if tag.case != "nomn" or tag.POS not in {"NOUN", "ADJF", "PRTF"}:
                    continue
                for form in parse.lexeme:
                    case = CASES.get(str(form.tag.case))
                    same_number = (form.tag.number == "plur") == (tag.number == "plur")
                    same_gender = tag.POS == "NOUN" or form.tag.gender == tag.gender
                    if case and same_number and same_gender:
                        by_case[case].add(form.word)
        return by_case

    def of(self, name: str) -> set[str]:
        """All case forms of a (multi-word, hyphenated) name; the last hyphen part inflects."""
        words = name.split()
        if not words or not CYRILLIC.match(name):
            return {name}
        per_word: list[dict[str, set[str]]] = []
        for w in words:
            head, sep, tail = w.rpartition("-")
            if sep and tail.islower() and len(tail) <= 3:  # "Ростов-на-Дону": the head inflects
                first, _, rest = w.partition("-")
                per_word.append(
                    {c: {f + "-" + rest for f in fs} for c, fs in self.word(first).items()}
                )
            else:
                per_word.append(
                    {c: {head + sep + f for f in fs} for c, fs in self.word(tail).items()}
                )
        out = {name.lower()}
        for case in set(CASES.values()) | {"nomn"}:
            choices = [d.get(case) or d["nomn"] for d in per_word]
            out.update(" ".join(combo) for combo in itertools.product(*choices))
        return out

    # ---- adjectives -----------------------------------------------------------------------
    @staticmethod
    def adjective_candidates(name: str, lang: str) -> list[str]:
        """Masculine adjectives a one-word place name could make ("Кременчук" → "кременчуцький")."""
        lower = name.lower().replace("’", "'").replace("ʼ", "'")
        if " " in lower or "-" in lower or len(lower) < 3:
            return []
        if lower.endswith(("ськ", "цьк", "ск", "цк")):
            return [lower + "ий"]
        if lower.endswith(("ське", "ское")):  # "Кам'янське" → "кам'янський"
            return [lower[:-1] + "ий"]
        bases = {lower}
        if lower[-1] in "аяеоиіуєьйы":
            bases.add(lower.rstrip("аяеоиіуєьйы"))
        bases |= {b[:-1] for b in bases if len(b) > 2 and b[-1] == b[-2]}  # "Запоріжж"
        bases |= {b[:-1] for b in bases if len(b) > 4 and b[-1] == "к"}  # "Охтирк"
        bases |= {b[:-1] + MUTATIONS[b[-1]] for b in bases if b and b[-1] in MUTATIONS}
        return [b + s for s in ADJ_SUFFIXES[lang] for b in sorted(bases, key=len) if len(b) > 2]

    def adjective(
        self, name: str, lang: str, official: set[str] | frozenset[str] = frozenset()
    ) -> str:
        """The dictionary adjective of a place name, or "" (``official``: known good lemmas)."""
        candidates = self.adjective_candidates(name, lang)
        for candidate in candidates:
            if candidate in official:
                return candidate
        morph = self.morph(lang)
        for candidate in candidates:
            if morph.word_is_known(candidate) and any(
                p.tag.POS == "ADJF" for p in morph.parse(candidate)
            ):
                return candidate
        if len(candidates) == 1 and candidates[0].endswith(("ський", "цький", "ский", "цкий")):
            return candidates[0]  # "Лисичанськ" → "лисичанський" is regular even when unlisted
        if (lang == "uk" or official) and name[-1].lower() in "бвдзлмнпрт":
            return name.lower() + ("ський" if lang == "uk" else "ский")  # "Мирноград", "Изюм"
        return ""

    @functools.cache  # noqa: B019 - one instance per build run
    def adjective_forms(self, adjective: str, lang: str) -> frozenset[str]:
        """Every case, gender and number of an adjective (full forms only)."""
        out = {adjective}
        for parse in self.morph(lang).parse(adjective):
            if parse.tag.POS == "ADJF" and parse.tag.case == "nomn":
                out |= {f.word for f in parse.lexeme if f.tag.POS == "ADJF" and "Cmp2" not in f.tag}
                break
        return frozenset(w for w in out if w[:3] == adjective[:3])
