"""Casualty figures, one rule per test, in en/uk/ru sentences written for these tests."""

from __future__ import annotations

import pytest

from bot.classify.lexicon import Lexicon, load_lexicon
from bot.classify.numbers import Casualties, extract
from bot.classify.text import normalise
from bot.classify.tokens import tagged_tokens, tokenize

LEXICONS: dict[str, Lexicon] = {lang: load_lexicon(lang) for lang in ("en", "uk", "ru")}


def read(text: str, lang: str = "en") -> Casualties:
    lexicon = LEXICONS[lang]
    norm = normalise(text)
    hits = lexicon.scan(norm)
    tags = {tag for tok in tagged_tokens(hits) for tag in tok.tags}
    return extract(tokenize(norm, hits), lexicon.numbers, norm, tags)


def counts(c: Casualties) -> tuple[int | None, int | None]:
    return (c.killed.value if c.killed else None, c.injured.value if c.injured else None)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Fourteen people were killed and 30 injured.", "en", (14, 30)),
        ("At least 7 civilians died in the attack.", "en", (7, None)),
        ("The death toll rose to 18 on Sunday.", "en", (18, None)),
        ("A man was killed and a woman was wounded.", "en", (1, 1)),
        ("Reports of a dozen people wounded.", "en", (None, 12)),
        ("Dozens of people were killed.", "en", (None, None)),
        ("Several residents were injured.", "en", (None, None)),
        ("The strike ended up killing and wounding 30 civilians.", "en", (None, None)),
        ("There were no casualties.", "en", (0, 0)),
        ("Загинули двоє людей, ще п'ятеро отримали поранення.", "uk", (2, 5)),
        ("Чотирнадцятеро людей постраждали.", "uk", (None, 14)),
        ("Кількість загиблих зросла до дев'яти.", "uk", (9, None)),
        ("Загинула жінка.", "uk", (1, None)),
        ("Постраждалих немає.", "uk", (0, 0)),
        ("Жертв немає.", "uk", (0, None)),
        ("Щонайменше 3 людини загинули.", "uk", (3, None)),
        ("Погибли трое, ранены пятеро.", "ru", (3, 5)),
        ("Двое мирных жителей погибли.", "ru", (2, None)),
        ("Есть раненый.", "ru", (None, 1)),
    ],
)
def test_figures(text: str, lang: str, expected: tuple[int | None, int | None]) -> None:
    assert counts(read(text, lang)) == expected


def test_more_than_sets_the_flag() -> None:
    c = read("More than 50 people were wounded.")
    assert c.injured is not None and c.injured.value == 50 and c.injured.more
    c = read("Понад 20 людей загинули.", "uk")
    assert c.killed is not None and c.killed.value == 20 and c.killed.more
    c = read("Погибли более 40 человек.", "ru")
    assert c.killed is not None and c.killed.value == 40 and c.killed.more


def test_rising_toll_takes_the_highest_never_the_sum() -> None:
    c = read("Two people were killed. Later officials said 5 people were killed.")
    assert counts(c) == (5, None)


def test_ages_are_not_counts() -> None:
    assert counts(read("A 12-year-old girl was injured.")) == (None, 1)


def test_children_among_the_dead() -> None:
    assert read("Nine people were killed, including 4 children.").children_killed == 4
    assert read("Загинули шестеро людей, серед них двоє дітей.", "uk").children_killed == 2
    assert read("Погибли пять человек, в том числе двое детей.", "ru").children_killed == 2


def test_children_without_a_number_stay_unknown() -> None:
    assert read("Children are among the dead.").children_killed is None


def test_soldiers_are_not_civilian_casualties() -> None:
    c = read("Three soldiers were killed at the base.")
    assert c.military and not c.civilian


@pytest.mark.parametrize("text", ["Two were killed by the missile ²", "Загинули ³ людини 5 ²"])
def test_superscript_digits_are_not_numbers(text: str) -> None:
    read(text, "uk" if "З" in text else "en")  # must not raise
