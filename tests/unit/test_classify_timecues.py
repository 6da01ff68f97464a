"""Time cues relative to the publication time, and old-event detection."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classify.lexicon import load_lexicon
from bot.classify.text import normalise
from bot.classify.timecues import event_time, has_year, is_old
from bot.classify.tokens import tokenize

PUBLISHED = datetime(2026, 4, 10, 15, 0, tzinfo=UTC)  # a Friday


def when(text: str, lang: str = "en") -> datetime | None:
    norm = normalise(text)
    hits = load_lexicon(lang).scan(norm)
    tokens = tokenize(norm, hits)
    return event_time(tokens, {t for h in hits for t in h.tags}, PUBLISHED)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Drones attacked the city overnight.", "en", datetime(2026, 4, 10, 0, 0, tzinfo=UTC)),
        ("Уночі дрони атакували місто.", "uk", datetime(2026, 4, 10, 0, 0, tzinfo=UTC)),
        ("Сегодня утром ракета попала в дом.", "ru", datetime(2026, 4, 10, 7, 0, tzinfo=UTC)),
        ("Вчора ракета влучила в будинок.", "uk", datetime(2026, 4, 9, 12, 0, tzinfo=UTC)),
        ("A missile hit the city on April 4.", "en", datetime(2026, 4, 4, 12, 0, tzinfo=UTC)),
        ("4 квітня ракета влучила в школу.", "uk", datetime(2026, 4, 4, 12, 0, tzinfo=UTC)),
        ("Удар 4 декабря по городу.", "ru", datetime(2025, 12, 4, 12, 0, tzinfo=UTC)),
        ("Shelling on Monday damaged homes.", "en", datetime(2026, 4, 6, 12, 0, tzinfo=UTC)),
        ("Shelling damaged homes.", "en", None),
    ],
)
def test_event_time(text: str, lang: str, expected: datetime | None) -> None:
    assert when(text, lang) == expected


def test_old_when_well_before_publication() -> None:
    assert is_old(datetime(2026, 3, 1, tzinfo=UTC), PUBLISHED)
    assert not is_old(datetime(2026, 4, 9, tzinfo=UTC), PUBLISHED)
    assert not is_old(None, PUBLISHED)


def test_year_next_to_a_month() -> None:
    norm = normalise("an attack in March 2018")
    tokens = tokenize(norm, load_lexicon("en").scan(norm))
    assert has_year(tokens)
