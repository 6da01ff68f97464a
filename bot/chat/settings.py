"""/settings: show and change a chat's minimum severity, quiet hours, time zone, updates and
language.

Text forms (after ``/settings``)::

    severity 3 | high | 🟠          quiet 23:00-07:00 | quiet off
    tz Europe/Berlin | tz Kyiv      updates edit|reply|off        lang uk|ru|en

The parsers are pure; the use cases do one unit of work each and return a :class:`Reply`.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from bot.chat.conversation import MAX_ARGUMENT, ChatRef, Reply, open_chat
from bot.chat.menus import settings_keyboard
from bot.i18n import LANGUAGES, language, t, t_html
from bot.store.db import SessionFactory
from bot.store.tables import ChatRow

UPDATE_MODES = ("edit", "reply", "off")
_SEVERITY_WORDS: dict[str, int] = {
    "low": 1, "damage": 1, "⚪": 1, "низька": 1, "руйнування": 1, "низкий": 1, "разрушения": 1,
    "medium": 2, "injured": 2, "🟡": 2, "середня": 2, "поранені": 2, "средний": 2, "раненые": 2,
    "high": 3, "killed": 3, "🟠": 3, "висока": 3, "загиблі": 3, "высокий": 3, "погибшие": 3,
    "critical": 4, "mass": 4, "🔴": 4, "критична": 4, "масові": 4, "критический": 4, "массовые": 4,
}  # fmt: skip
_OFF_WORDS = frozenset(
    {"off", "none", "no", "вимк", "вимкнути", "ні", "немає", "выкл", "выключить", "нет"}
)
_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?"
_QUIET = re.compile(rf"{_TIME}\s*[-–—]\s*{_TIME}|{_TIME}\s+(?:to|до)\s+{_TIME}")
_SUBCOMMANDS: dict[str, str] = {
    "severity": "severity", "sev": "severity", "min": "severity", "важкість": "severity",
    "уровень": "severity",
    "quiet": "quiet", "тихо": "quiet", "тиша": "quiet", "тихі": "quiet", "тишина": "quiet",
    "тихие": "quiet",
    "tz": "tz", "timezone": "tz", "zone": "tz", "пояс": "tz",
    "updates": "updates", "update": "updates", "оновлення": "updates", "обновления": "updates",
    "lang": "lang", "language": "lang", "мова": "lang", "язык": "lang",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Change:
    """One parsed settings change; ``error`` is a catalog key when the input was bad."""

    field: str = ""  # min_severity | quiet | tz | updates | lang
    value: object = None
    error: str | None = None
    raw: str = ""


def parse_severity(text: str) -> int | None:
    word = text.strip().lower()
    if word.isdigit() and 1 <= int(word) <= 4:
        return int(word)
    return _SEVERITY_WORDS.get(word)


def _minutes(hours: str | None, minutes: str | None) -> int | None:
    h, m = int(hours or 0), int(minutes or 0)
    if h == 24 and m == 0:
        h = 0
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return h * 60 + m


def parse_quiet_hours(text: str) -> tuple[int, int] | str | None:
    """ "23:00-07:00" → (1380, 420); "off" → None; anything else → "bad"."""
    text = text.strip().lower()
    if text in _OFF_WORDS:
        return None
    match = _QUIET.fullmatch(text)
    if match is None:
        return "bad"
    groups = [g for g in match.groups()]
    pairs = groups[:4] if groups[0] is not None else groups[4:]
    start, end = _minutes(pairs[0], pairs[1]), _minutes(pairs[2], pairs[3])
    if start is None or end is None or start == end:
        return "bad"
    return start, end


def parse_timezone(text: str) -> str | None:
    """An IANA zone name ("Europe/Kyiv"); case-insensitive; a bare city ("Kyiv") works too."""
    name = text.strip().replace(" ", "_")
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    else:
        return name
    folded = name.casefold()
    zones = sorted(zoneinfo.available_timezones())
    for zone in zones:
        if zone.casefold() == folded:
            return zone
    for zone in zones:
        if "/" in zone and zone.rsplit("/", 1)[1].casefold() == folded:
            return zone
    return None


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_change(args: list[str]) -> Change | None:
    """The change asked by ``/settings <what> <value>``; None for plain ``/settings``."""
    if not args:
        return None
    what = _SUBCOMMANDS.get(args[0].lower())
    raw = " ".join(args[1:]).strip()
    if what is None:
        return Change(error="settings.unknown", raw=args[0])
    if len(raw) > MAX_ARGUMENT:
        return Change(error="error.too_long", raw=raw)
    if what == "severity":
        level = parse_severity(raw)
        return Change("min_severity", level) if level else Change(error="settings.bad_severity")
    if what == "quiet":
        quiet = parse_quiet_hours(raw)
        return (
            Change(error="settings.bad_quiet", raw=raw)
            if quiet == "bad"
            else Change("quiet", quiet)
        )
    if what == "tz":
        zone = parse_timezone(raw)
        return Change("tz", zone) if zone else Change(error="settings.bad_timezone", raw=raw)
    if what == "updates":
        mode = raw.lower()
        return (
            Change("updates", mode)
            if mode in UPDATE_MODES
            else Change(error="settings.bad_updates")
        )
    code = raw.lower()[:2]
    return Change("lang", code) if code in LANGUAGES else Change(error="settings.bad_language")


def apply(chat: ChatRow, change: Change, now: datetime) -> None:
    """Write a valid change into the chat's row."""
    if change.field == "quiet":
        quiet = change.value
        chat.quiet_start, chat.quiet_end = quiet if isinstance(quiet, tuple) else (None, None)
    elif change.field == "min_severity" and isinstance(change.value, int):
        chat.min_severity = change.value
    elif change.field in ("tz", "updates", "lang") and isinstance(change.value, str):
        setattr(chat, change.field, change.value)
    chat.updated_at = now


def describe(chat: ChatRow) -> Reply:
    """The settings message: current values, how to change them, and the buttons."""
    lang = language(chat.lang)
    if chat.quiet_start is not None and chat.quiet_end is not None:
        quiet = t(
            lang,
            "settings.quiet",
            start=format_minutes(chat.quiet_start),
            end=format_minutes(chat.quiet_end),
        )
    else:
        quiet = t(lang, "settings.quiet_off")
    lines = [
        t(lang, "settings.header"),
        t(lang, "settings.severity", value=t(lang, f"severity.short.{chat.min_severity}")),
        quiet,
        t_html(lang, "settings.timezone", value=chat.tz),
        t(lang, "settings.updates", value=t(lang, f"settings.updates.{chat.updates}")),
        t(lang, "settings.language", value=t(lang, f"language.{lang}")),
        "",
        t(lang, "settings.how"),
    ]
    markup = settings_keyboard(
        lang,
        severity=chat.min_severity,
        updates=chat.updates,
        quiet=chat.quiet_start is not None,
    )
    return Reply("\n".join(lines), markup)


async def show(sessions: SessionFactory, ref: ChatRef, now: datetime) -> Reply:
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        await session.commit()
        return describe(chat)


async def change(sessions: SessionFactory, ref: ChatRef, wanted: Change, now: datetime) -> Reply:
    """Apply a change from text; a bad value is explained and nothing changes."""
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        if wanted.error is not None:
            await session.commit()
            lang = chat.lang
            return Reply(t_html(lang, wanted.error, value=wanted.raw, limit=MAX_ARGUMENT))
        apply(chat, wanted, now)
        await session.commit()
        view = describe(chat)
    return Reply(t(language(chat.lang), "settings.saved") + "\n\n" + view.text, view.keyboard)


async def press(sessions: SessionFactory, ref: ChatRef, wanted: Change, now: datetime) -> Reply:
    """A settings button: apply it and redraw the settings message in place."""
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        apply(chat, wanted, now)
        await session.commit()
        view = describe(chat)
    lang = language(chat.lang)
    return Reply(view.text, view.keyboard, mode="edit", note=t(lang, "settings.saved"))
