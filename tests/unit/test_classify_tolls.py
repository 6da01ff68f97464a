"""Toll updates: the figure a rising toll states, and the verdict on update items.

Every sentence here was written for these tests (en, uk, ru).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classify import Classifier
from bot.classify.lexicon import Lexicon, load_lexicon
from bot.classify.numbers import Casualties, extract
from bot.classify.text import normalise
from bot.classify.tokens import tagged_tokens, tokenize
from tests.unit.test_classify_classifier import FakeGazetteer

LEXICONS: dict[str, Lexicon] = {lang: load_lexicon(lang) for lang in ("en", "uk", "ru")}
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def read(text: str, lang: str) -> Casualties:
    lexicon = LEXICONS[lang]
    norm = normalise(text)
    hits = lexicon.scan(norm)
    tags = {tag for tok in tagged_tokens(hits) for tag in tok.tags}
    return extract(tokenize(norm, hits), lexicon.numbers, norm, tags)


def figures(c: Casualties) -> tuple[int | None, int | None, int | None, int | None]:
    return (
        c.killed.value if c.killed else None,
        c.injured.value if c.injured else None,
        c.children_killed,
        c.children_injured,
    )


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The death toll rises to 18 after the overnight raid.", "en", (18, None, None, None)),
        ("By evening the death toll rose to 18.", "en", (18, None, None, None)),
        (
            "The death toll in the port city climbs to 18, officials said.",
            "en",
            (18, None, None, None),
        ),
        (
            "The death toll from Tuesday's bombardment of the suburb has risen to 18.",
            "en",
            (18, None, None, None),
        ),
        (
            "The number of people killed when the rocket hit the depot has risen to 18.",
            "en",
            (18, None, None, None),
        ),
        ("The toll reaches 18 as rescuers clear the last stairwell.", "en", (18, None, None, None)),
        ("Officials say 18 are now confirmed dead.", "en", (18, None, None, None)),
        (
            "The rockets hit the market, killing 14, including six children.",
            "en",
            (14, None, 6, None),
        ),
        (
            "The number of people killed in the barrage on the northern district has risen to 18, "
            "including nine children.",
            "en",
            (18, None, 9, None),
        ),
        ("Five people died in the blast, among them 3 children.", "en", (5, None, 3, None)),
        ("The number of injured rose to 60.", "en", (None, 60, None, None)),
        (
            "The number of wounded has climbed to 60, including 7 children.",
            "en",
            (None, 60, None, 7),
        ),
        ("Після удару вже 18 загиблих.", "uk", (18, None, None, None)),
        ("Кількість загиблих зросла до 18.", "uk", (18, None, None, None)),
        ("До 18 зросла кількість загиблих у місті.", "uk", (18, None, None, None)),
        ("Загинули 18 людей, серед них дев'ятеро дітей.", "uk", (18, None, 9, None)),
        ("Кількість поранених зросла до 60.", "uk", (None, 60, None, None)),
        ("Кількість постраждалих сягнула 60, серед них п'ятеро дітей.", "uk", (None, 60, None, 5)),
        ("Число погибших возросло до 18.", "ru", (18, None, None, None)),
        ("Число погибших выросло до 18 человек.", "ru", (18, None, None, None)),
        ("Количество погибших достигло 18.", "ru", (18, None, None, None)),
        ("Погибли 18 человек, в том числе девять детей.", "ru", (18, None, 9, None)),
        ("Число раненых возросло до 60.", "ru", (None, 60, None, None)),
    ],
)
def test_toll_figures(
    text: str, lang: str, expected: tuple[int | None, int | None, int | None, int | None]
) -> None:
    assert figures(read(text, lang)) == expected


def test_toll_update_is_flagged_and_takes_the_highest() -> None:
    c = read("Two people were killed at first; by night the death toll had risen to 7.", "en")
    assert c.update and c.killed is not None and c.killed.value == 7


@pytest.mark.parametrize(
    "text",
    [
        "The blockade has taken a heavy toll on the city.",
        "Drivers will pay a toll of 3 euros on the new bridge.",
        "The number of tourists rose to 18 thousand.",
    ],
)
def test_toll_words_without_a_casualty_update(text: str) -> None:
    c = read(text, "en")
    assert (c.killed, c.injured, c.update) == (None, None, False)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(FakeGazetteer())


@pytest.mark.parametrize(
    ("title", "text", "killed", "children"),
    [
        (
            "Death toll from the missile strike on Kryvyi Rih rises to 18",
            "Officials said the number of people killed when the ballistic missile hit the "
            "residential quarter of Kryvyi Rih has risen to 18, including nine children.",
            18,
            9,
        ),
        ("", "The death toll from the attack on Kharkiv has risen to 18.", 18, None),
        ("", "Toll from the drone attack on Kharkiv reaches 18.", 18, None),
        ("Удар по Кривому Рогу: уже 18 загиблих", "", 18, None),
        (
            "",
            "Кількість загиблих внаслідок ракетного удару по Кривому Розі зросла до 18, серед "
            "них дев'ятеро дітей.",
            18,
            9,
        ),
        (
            "",
            "Число погибших при обстреле в Белгороде возросло до 18, в том числе девять детей.",
            18,
            9,
        ),
    ],
)
def test_toll_update_items_are_civilian_strikes(
    clf: Classifier, title: str, text: str, killed: int, children: int | None
) -> None:
    report = clf.classify(title, text, None, NOW, NOW)
    assert report.is_civilian_strike, report.reasons
    assert report.killed == killed
    assert report.children_killed == children


@pytest.mark.parametrize(
    "text",
    [
        "The number of injured in the terrorist attack on the concert hall rose to 140.",
        "The number of people killed on the roads of Kharkiv rose to 40 this year.",
        "The number of civilians killed since the start of the invasion has risen to 10,500.",
        "Death toll from the floods in Kharkiv climbs to 9.",
    ],
)
def test_toll_updates_that_are_not_strikes(clf: Classifier, text: str) -> None:
    assert not clf.classify("", text, None, NOW, NOW).is_civilian_strike
