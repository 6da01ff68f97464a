"""Lexicon matching: stems at word starts, whole words, longest match, sentence splitting."""

from __future__ import annotations

from bot.classify.lexicon import Lexicon
from bot.classify.text import Sentences, join_title, normalise


def lexicon() -> Lexicon:
    return Lexicon(
        "en",
        {"strike": ["strike", "shell"], "neg:nonstrike": ["strike a deal"], "hitw": ["hit="]},
        {},
    )


def stems(text: str) -> list[str]:
    return [hit.stem for hit in lexicon().scan(normalise(text))]


def test_stems_match_word_starts_only() -> None:
    assert stems("Strikes and shelling, not a seashell") == ["strike", "shell"]


def test_whole_word_entries() -> None:
    assert stems("hit the hitch") == ["hit"]


def test_longest_entry_wins() -> None:
    hits = lexicon().scan("they hope to strike a deal")
    assert [(h.stem, h.tags) for h in hits] == [("strike a deal", ("neg:nonstrike",))]


def test_normalise_keeps_offsets() -> None:
    text = "Об’єкт ЁЛКА"
    assert len(normalise(text)) == len(text)
    assert normalise(text) == "об'єкт елка"


def test_sentences_skip_abbreviations() -> None:
    text = "Shelling hit St. Mary's church. A school was damaged."
    assert Sentences.split(text).starts == (0, 31)


def test_join_title_does_not_repeat_the_headline() -> None:
    assert join_title("Strike on city", "Strike on city. Two hurt.") == "Strike on city. Two hurt."
    assert join_title("Strike on city", "Two hurt.") == "Strike on city.\nTwo hurt."
