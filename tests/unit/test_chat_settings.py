"""Parsing of /settings arguments: severity, quiet hours, time zones, updates, language."""

from __future__ import annotations

import pytest

from bot.chat.settings import (
    Change,
    format_minutes,
    parse_change,
    parse_quiet_hours,
    parse_severity,
    parse_timezone,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23:00-07:00", (1380, 420)),
        ("23-7", (1380, 420)),
        ("22:30 – 06:15", (1350, 375)),
        ("0:00-24:00", "bad"),  # start == end
        ("23.00-07.00", (1380, 420)),
        ("23:00 to 07:00", (1380, 420)),
        ("23:00 до 07:00", (1380, 420)),
        ("off", None),
        ("вимк", None),
        ("25:00-07:00", "bad"),
        ("23:61-07:00", "bad"),
        ("", "bad"),
        ("night", "bad"),
        ("<b>1</b>", "bad"),
    ],
)
def test_quiet_hours(text: str, expected: object) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Kyiv", "Europe/Kyiv"),
        ("europe/berlin", "Europe/Berlin"),
        ("Kyiv", "Europe/Kyiv"),
        ("New York", "America/New_York"),
        ("UTC", "UTC"),
        ("Mars/Olympus", None),
        ("../../etc/passwd", None),
        ("/etc/localtime", None),
        ("", None),
        ("x" * 100, None),
    ],
)
def test_timezones(text: str, expected: str | None) -> None:
    assert parse_timezone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("4", 4),
        ("high", 3),
        ("🔴", 4),
        ("Висока", 3),
        ("0", None),
        ("5", None),
        ("", None),
    ],
)
def test_severity(text: str, expected: int | None) -> None:
    assert parse_severity(text) == expected


def test_parse_change() -> None:
    assert parse_change([]) is None
    assert parse_change(["quiet", "23:00-07:00"]) == Change("quiet", (1380, 420))
    assert parse_change(["quiet", "off"]) == Change("quiet", None)
    assert parse_change(["tz", "Kyiv"]) == Change("tz", "Europe/Kyiv")
    assert parse_change(["updates", "REPLY"]) == Change("updates", "reply")
    assert parse_change(["lang", "uk"]) == Change("lang", "uk")
    assert parse_change(["мова", "en"]) == Change("lang", "en")
    assert parse_change(["lang", "ru"]) == Change("lang", "ru")
    assert parse_change(["язык", "RU"]) == Change("lang", "ru")
    assert parse_change(["sev", "2"]) == Change("min_severity", 2)
    assert parse_change(["colour", "red"]) == Change(error="settings.unknown", raw="colour")
    assert parse_change(["quiet", "later"]).error == "settings.bad_quiet"  # type: ignore[union-attr]
    assert parse_change(["tz", "y" * 300]).error == "error.too_long"  # type: ignore[union-attr]
    assert parse_change(["lang", "de"]).error == "settings.bad_language"  # type: ignore[union-attr]


def test_format_minutes() -> None:
    assert format_minutes(1380) == "23:00" and format_minutes(5) == "00:05"
