"""The early answers: texts that cannot reach the threshold skip the costly stages, same verdict."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classify import Classifier
from bot.classify.text import ambiguous_cyrillic, detect_language
from tests.unit.test_classify_classifier import FakeGazetteer

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TEXTS = [
    ("The city council approved a new tram line to the airport in Kharkiv.", "no-strike-cue"),
    ("Міська рада у Харкові затвердила новий бюджет на ремонт доріг.", "no-strike-cue"),
    ("Air defence shot down 12 drones over Kharkiv overnight.", "no-impact-cue"),
    ("В Белгороде сбили беспилотник, разрушений нет.", "no-impact-cue"),
]


@pytest.mark.parametrize(("text", "reason"), TEXTS)
def test_texts_without_strike_or_impact_are_answered_early(text: str, reason: str) -> None:
    report = Classifier(FakeGazetteer()).classify("", text, None, NOW, NOW)
    assert not report.is_civilian_strike
    assert reason in report.reasons
    assert report.score < 0.09


@pytest.mark.parametrize(("text", "reason"), TEXTS)
def test_a_low_threshold_reads_everything(text: str, reason: str) -> None:
    eager = Classifier(FakeGazetteer(), threshold=0.05)
    lazy = Classifier(FakeGazetteer())
    full = eager.classify("", text, None, NOW, NOW)
    assert reason not in full.reasons
    assert full.score <= lazy.classify("", text, None, NOW, NOW).score + 0.09
    assert full.places  # the full path resolves places


def test_a_strike_with_harm_takes_the_full_path() -> None:
    text = "A drone hit a house in Kharkiv overnight, injuring two people."
    report = Classifier(FakeGazetteer()).classify("", text, None, NOW, NOW)
    assert report.is_civilian_strike and report.places and report.injured == 2


@pytest.mark.parametrize(
    ("text", "lang", "ambiguous"),
    [
        ("Удар по місту: загинули троє", "uk", False),
        ("Удар по городу: погибли трое, ещё пятеро ранены", "ru", False),
        ("Удар по Кривому Рогу: уже 18 загиблих", "ru", True),
        ("Strike on the city: three killed", "en", False),
    ],
)
def test_language_and_ambiguity(text: str, lang: str, ambiguous: bool) -> None:
    assert detect_language(text) == lang
    assert ambiguous_cyrillic(text) is ambiguous
