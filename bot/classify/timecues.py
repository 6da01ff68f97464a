"""When did it happen, and is the text about an event well in the past?

``event_time`` is read from cues relative to the publication time (or ``now``): "overnight",
"this morning", "yesterday", a weekday, or a date ("on April 4", "4 квітня", "4 апреля"). A date
or year more than :data:`OLD_AFTER` before publication marks the text as old, as do the
``neg:old`` cues of the lexicons (anniversaries, "a year ago") handled by the classifier.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.classify.tokens import Token

OLD_AFTER = timedelta(days=10)
_HOURS = {"time:overnight": 0, "time:morning": 7, "time:afternoon": 13, "time:evening": 19}


def _day(base: datetime, days_back: int, hour: int) -> datetime:
    day = base - timedelta(days=days_back)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _explicit_date(tokens: list[Token], base: datetime) -> datetime | None:
    """The first "4 April", "April 4, 2023", "4 квітня" or "March 2018" in the text."""
    for i, tok in enumerate(tokens):
        month = next((int(t[6:]) for t in tok.tags if t.startswith("month:")), None)
        if month is None:
            continue
        day = year = None
        for j in (i - 1, i + 1):
            text = tokens[j].text if 0 <= j < len(tokens) else ""
            if text.isdecimal() and 1 <= int(text) <= 31:
                day = int(text)
                break
        for j in range(i + 1, min(len(tokens), i + 4)):
            if tokens[j].text.isdecimal() and len(tokens[j].text) == 4:
                year = int(tokens[j].text)
                break
        if day is None and year is None:
            continue
        try:
            when = base.replace(year=year or base.year, month=month, day=day or 15, hour=12,
                                minute=0, second=0, microsecond=0)
        except ValueError:
            continue
        if year is None and when > base + timedelta(days=2):
            when = when.replace(year=when.year - 1)
        return when
    return None


def event_time(tokens: list[Token], tags: set[str], base: datetime) -> datetime | None:
    """Best estimate of when the reported strike happened, or None if the text gives no cue."""
    if not tags & {"month", "time", "wd"}:
        return None
    when = _explicit_date(tokens, base) if "month" in tags else None
    if when is not None:
        return when
    back = 0
    if "time:yesterday" in tags:
        back = 1
    elif "time:daybefore" in tags:
        back = 2
    for tag, hour in _HOURS.items():
        if tag in tags:
            return min(_day(base, back, hour), base)
    if back:
        return _day(base, back, 12)
    for wd in range(7):
        if f"wd:{wd}" in tags:
            return min(_day(base, (base.weekday() - wd) % 7, 12), base)
    if "time:today" in tags:
        return min(_day(base, 0, 12), base)
    return None


def is_old(when: datetime | None, base: datetime) -> bool:
    """True when the text dates its event well before publication."""
    return when is not None and base - when > OLD_AFTER


def has_year(tokens: list[Token]) -> bool:
    """True when the text states a year next to a month ("March 2018", "April 4, 2023")."""
    for i, tok in enumerate(tokens):
        if "month" in tok.tags:
            for nxt in tokens[i + 1 : i + 4]:
                if nxt.text.isdecimal() and len(nxt.text) == 4:
                    return True
    return False
