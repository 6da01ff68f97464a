"""When did it happen, and is the text about an event well in the past?

``event_time`` is read from cues relative to the publication time (or ``now``): "overnight",
"this morning", "yesterday", a weekday, or a date ("on April 4", "4 квітня", "4 апреля"). A date
or year more than :data:`OLD_AFTER` before publication marks the text as old, as do the
``neg:old`` cues of the lexicons (anniversaries, "a year ago") handled by the classifier.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.classify.tokens import Token
from bot.domain import DEFAULT_TZ

OLD_AFTER = timedelta(days=10)
#: The clock a place's news speaks in ("this morning" in Kharkiv is Kyiv time).
COUNTRY_ZONES = {
    "UA": DEFAULT_TZ,
    "RU": "Europe/Moscow",
    "BY": "Europe/Minsk",
    "MD": "Europe/Chisinau",
    "PL": "Europe/Warsaw",
    "RO": "Europe/Bucharest",
    "IL": "Asia/Jerusalem",
    "PS": "Asia/Gaza",
    "LB": "Asia/Beirut",
    "SY": "Asia/Damascus",
    "IQ": "Asia/Baghdad",
    "IR": "Asia/Tehran",
    "YE": "Asia/Aden",
    "SA": "Asia/Riyadh",
    "SD": "Africa/Khartoum",
    "SS": "Africa/Juba",
    "MM": "Asia/Yangon",
    "TR": "Europe/Istanbul",
    "JO": "Asia/Amman",
    "EG": "Africa/Cairo",
    "LY": "Africa/Tripoli",
    "ET": "Africa/Addis_Ababa",
    "SO": "Africa/Mogadishu",
    "AF": "Asia/Kabul",
    "PK": "Asia/Karachi",
    "IN": "Asia/Kolkata",
    "GE": "Asia/Tbilisi",
    "AM": "Asia/Yerevan",
    "AZ": "Asia/Baku",
    "ML": "Africa/Bamako",
    "NG": "Africa/Lagos",
    "CD": "Africa/Kinshasa",
}


@functools.cache
def zone_of(country: str | None) -> tzinfo:
    """The local time zone of a country (UTC when unknown). The tz database is read once."""
    name = COUNTRY_ZONES.get(country or "")
    if name is None:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


TIME_TAGS = frozenset({"month", "time", "wd", "neg:old"})
#: The hour a cue naming only a day ("yesterday", "on Monday", "4 April") is put at: noon on the
#: place's clock. No part of the day maps to it (see :data:`_HOURS`), so :func:`day_only` can
#: tell such a time from one with a part of the day.
DAY_ONLY_HOUR = 12
_HOURS = {"time:overnight": 0, "time:morning": 7, "time:afternoon": 13, "time:evening": 19}


def day_only(when: datetime, country: str | None) -> bool:
    """True when ``when`` (as :func:`event_time` gives it) names only a day, not a part of it:
    the strike lies anywhere in that day, which clustering must read as an interval."""
    if when.second or when.microsecond or when.minute not in (0, 30, 45):
        return False  # cheap first: every zone's offset is a whole, half or three-quarter hour
    local = when.astimezone(zone_of(country))
    return (local.hour, local.minute, local.second, local.microsecond) == (DAY_ONLY_HOUR, 0, 0, 0)


def _day(base: datetime, days_back: int, hour: int, zone: tzinfo) -> datetime:
    """``hour`` o'clock local time ``days_back`` days before ``base``, in UTC."""
    local = base.astimezone(zone) - timedelta(days=days_back)
    naive = datetime(local.year, local.month, local.day, hour)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def reporting(norm: str, start: int) -> bool:
    """True when the time cue at ``start`` dates the report, not the strike: "as of the morning",
    "станом на ранок", "по состоянию на", "said on Monday", "повідомив у понеділок"."""
    before = norm[max(0, start - _REPORT_REACH) : start]
    return _REPORTING.search(before) is not None


_LAST_YEAR = re.compile(r"\s*(?:of )?(?:last year|минулого року|прошлого года)")
_REPORT_REACH = 40
_REPORTING = re.compile(
    r"(?:\bas of|станом на|по состоянию на|на (?:ранок|утро|вечір|вечер)|"
    r"\b(?:said|says|told|reported|announced|added|stated|wrote|confirmed|updated)"
    r"(?: \w+){0,3} (?:on|this|late|early)|"
    r"(?:повідоми|заяви|сказа|написа|зазначи|дода|уточни|інформува)\w*(?: \w+)? (?:у|в)|"
    r"(?:сообщи|заяви|сказа|написа|отмети|добави|уточни|рассказа)\w*(?: \w+)? (?:в|во))"
    r"(?: the)?\s*(?:\d{1,2}\s*)?$"
)


def _explicit_date(
    tokens: list[Token], base: datetime, norm: str, zone: tzinfo = UTC
) -> datetime | None:
    """The first "4 April", "April 4, 2023", "4 квітня" or "March 2018" in the text that does
    not date the report itself ("станом на 15 листопада")."""
    for i, tok in enumerate(tokens):
        month = next((int(t[6:]) for t in tok.tags if t.startswith("month:")), None)
        if month is None:
            continue
        day = year = None
        first = i
        for j in (i - 1, i + 1):
            text = tokens[j].text if 0 <= j < len(tokens) else ""
            if text.isdecimal() and 1 <= int(text) <= 31:
                day = int(text)
                first = min(first, j)
                break
        for j in range(i + 1, min(len(tokens), i + 4)):
            if tokens[j].text.isdecimal() and len(tokens[j].text) == 4:
                year = int(tokens[j].text)
                break
        if day is None and year is None:
            continue
        if norm and reporting(norm, tokens[first].start):
            continue
        try:  # noon of that day on the place's clock (DAY_ONLY_HOUR: only a day is named)
            naive = datetime(year or base.astimezone(zone).year, month, day or 15, DAY_ONLY_HOUR)
        except ValueError:
            continue
        when = naive.replace(tzinfo=zone).astimezone(UTC)
        if year is None and (
            when > base + timedelta(days=2) or _LAST_YEAR.match(norm, tokens[i].end)
        ):
            try:  # "23 March last year", "минулого року"
                when = naive.replace(year=naive.year - 1, tzinfo=zone).astimezone(UTC)
            except ValueError:  # 29 February
                continue
        return when
    return None


def event_time(
    tokens: list[Token],
    tags: set[str],
    base: datetime,
    zone: tzinfo = UTC,
    norm: str = "",
    cues: list[Token] | None = None,
) -> datetime | None:
    """Best estimate of when the reported strike happened, or None if the text gives no cue.

    The day comes from a date, "yesterday", or a weekday (the last such day up to the
    publication date); the hour from a part of the day, in the place's local time ``zone``;
    the result is in UTC and never after ``base``. Cues that date the report (``norm`` given:
    "as of this morning", "said on Monday") are skipped. ``cues`` (default: ``tokens``) are
    where parts of the day and weekdays are looked for; dates need the words of ``tokens``.
    """
    if not tags & {"month", "time", "wd"}:
        return None
    when = _explicit_date(tokens, base, norm, zone) if "month" in tags else None
    found: set[str] = set()
    for tok in tokens if cues is None else cues:
        for tag in tok.tags:
            if tag.startswith(("time:", "wd:")) and not (norm and reporting(norm, tok.start)):
                found.add(tag)
    hour = next((h for tag, h in _HOURS.items() if tag in found), None)
    if when is not None:
        if hour is None:
            return when
        days = (base.astimezone(zone).date() - when.astimezone(zone).date()).days
        return min(_day(base, days, hour, zone), base) if days >= 0 else when
    back: int | None = None
    if "time:yesterday" in found:
        back = 1
    elif "time:daybefore" in found:
        back = 2
    else:
        weekday = next((wd for wd in range(7) if f"wd:{wd}" in found), None)
        if weekday is not None:
            back = (base.astimezone(zone).weekday() - weekday) % 7
        elif hour is not None or "time:today" in found:
            back = 0
    if back is None:
        return None
    return min(_day(base, back, DAY_ONLY_HOUR if hour is None else hour, zone), base)


def is_old(when: datetime | None, base: datetime) -> bool:
    """True when the text dates its event well before publication."""
    return when is not None and base - when > OLD_AFTER


_IN = frozenset({"in", "у", "в", "во"})


def past_year(tokens: list[Token], base: datetime) -> bool:
    """True when the text places its event "in 2022" ("у 2022 році", "в 2022 году"), a year
    before the publication's (January allows the year just ended)."""
    for i, tok in enumerate(tokens[1:], 1):
        text = tok.text
        if len(text) == 4 and text.isdecimal() and tokens[i - 1].text in _IN:
            year = int(text)
            recent = base.year - 1 if base.month == 1 else base.year
            if 1990 <= year < recent:
                return True
    return False


def has_year(tokens: list[Token]) -> bool:
    """True when the text states a year next to a month ("March 2018", "April 4, 2023")."""
    for i, tok in enumerate(tokens):
        if "month" in tok.tags:
            for nxt in tokens[i + 1 : i + 4]:
                if nxt.text.isdecimal() and len(nxt.text) == 4:
                    return True
    return False
