"""Inline keyboards and their callback data: one compact grammar, validated on the way back.

Callback data (always ≤ 64 bytes, ASCII)::

    sub:<code>                 subscribe ("*", "UA", "UA-12", "UA-12:703845")
    unsub:<code>               unsubscribe
    page:regions:<CC>:<n>      page n of a country's regions (edits the menu in place)
    page:more:<CC>             the regions menu as a new message (/start's "Other…")
    page:countries:<n>         page n of the countries
    set:sev:<1-4>              minimum severity
    set:upd:<edit|reply|off>   how updates arrive
    set:lang:<en|uk|ru>        language
    set:quiet:off              quiet hours off
    stop:yes | stop:no         /stop confirmation
    bc:ok:<id> | bc:no:<id>    broadcast confirm / cancel
    why:<event id>             "Why this alert?" under an alert
    mute:<event id>            "Mute…" under an alert several subscriptions cover: pick one

Anything else — stale layouts, edited or forged data — parses to ``None``; the caller answers
politely and changes nothing. A well-formed code may still name no place: the use case checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t

MAX_CALLBACK_BYTES = 64
MAX_LABEL = 40
PAGE_SIZE = 10
COLUMNS = 2

CODE = r"(?:\*|[A-Z]{2}(?:-[A-Z0-9]{1,3}(?::[0-9A-Za-z_.-]{1,30})?)?)"
_GRAMMAR: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sub", re.compile(rf"sub:(?P<arg>{CODE})")),
    ("unsub", re.compile(rf"unsub:(?P<arg>{CODE})")),
    ("regions", re.compile(r"page:regions:(?P<arg>[A-Z]{2}):(?P<page>\d{1,3})")),
    ("more", re.compile(r"page:more:(?P<arg>[A-Z]{2})")),
    ("countries", re.compile(r"page:countries:(?P<page>\d{1,3})")),
    ("severity", re.compile(r"set:sev:(?P<arg>[1-4])")),
    ("updates", re.compile(r"set:upd:(?P<arg>edit|reply|off)")),
    ("language", re.compile(r"set:lang:(?P<arg>en|uk|ru)")),
    ("quiet", re.compile(r"set:quiet:(?P<arg>off)")),
    ("stop", re.compile(r"stop:(?P<arg>yes|no)")),
    ("broadcast", re.compile(r"bc:(?P<arg>ok|no):(?P<page>\d{1,12})")),
    ("why", re.compile(r"why:(?P<arg>ev_[0-9A-Za-z_]{1,40})")),
    ("mute", re.compile(r"mute:(?P<arg>ev_[0-9A-Za-z_]{1,40})")),
)


@dataclass(frozen=True, slots=True)
class Callback:
    action: str  # one of the names in _GRAMMAR
    arg: str = ""
    number: int = 0  # page, or broadcast id


def parse(data: str | None) -> Callback | None:
    """The callback a button carries, or ``None`` when the data is not one we make."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    for action, pattern in _GRAMMAR:
        match = pattern.fullmatch(data)
        if match is not None:
            groups = match.groupdict()
            return Callback(action, groups.get("arg") or "", int(groups.get("page") or 0))
    return None


def label(text: str) -> str:
    """Button text: one line, clipped (buttons are plain text, no HTML)."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def button(text: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
    return InlineKeyboardButton(label(text), callback_data=data)


def grid(
    buttons: Sequence[InlineKeyboardButton], columns: int = COLUMNS
) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + columns]) for i in range(0, len(buttons), columns)]


def choices(options: Sequence[tuple[str, str]], action: str = "sub") -> InlineKeyboardMarkup:
    """One button per (label, code), e.g. the places matching a name."""
    return InlineKeyboardMarkup(
        grid([button(text, f"{action}:{code}") for text, code in options], 1)
    )


def start_keyboard(
    options: Sequence[tuple[str, str]], lang: str, country: str
) -> InlineKeyboardMarkup:
    """/start: the most-used regions, then "Other…" and "Everything"."""
    rows = grid([button(text, f"sub:{code}") for text, code in options])
    rows.append(
        [
            button(t(lang, "button.other"), f"page:more:{country}"),
            button(t(lang, "button.everything"), "sub:*"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def _paged(
    items: Sequence[tuple[str, str]], page: int, callback: str, lang: str
) -> tuple[Sequence[tuple[str, str]], list[list[InlineKeyboardButton]]]:
    """One page of ``items`` (``page`` clamped) and its prev/next row (none on a single page);
    the buttons' callback data is ``callback`` + the page number."""
    pages = page_count(len(items))
    page = min(max(page, 0), pages - 1)
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(button(t(lang, "button.prev"), f"{callback}{page - 1}"))
    if page + 1 < pages:
        nav.append(button(t(lang, "button.next"), f"{callback}{page + 1}"))
    return items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], [nav] if nav else []


def regions_keyboard(
    country: tuple[str, str],
    regions: Sequence[tuple[str, str]],
    page: int,
    lang: str,
    *,
    more_countries: bool,
) -> InlineKeyboardMarkup:
    """One page of a country's regions, with "whole country", "everything" and paging."""
    name, code = country
    shown, nav = _paged(regions, page, f"page:regions:{code}:", lang)
    rows = [[button(name, f"sub:{code}"), button(t(lang, "button.everything"), "sub:*")]]
    rows += grid([button(text, f"sub:{place}") for text, place in shown])
    rows += nav
    if more_countries:
        rows.append([button(t(lang, "button.countries"), "page:countries:0")])
    return InlineKeyboardMarkup(rows)


def countries_keyboard(
    countries: Sequence[tuple[str, str]], page: int, lang: str
) -> InlineKeyboardMarkup:
    shown, nav = _paged(countries, page, "page:countries:", lang)
    rows = grid([button(text, f"page:regions:{code}:0") for text, code in shown])
    rows += nav
    rows.append([button(t(lang, "button.everything"), "sub:*")])
    return InlineKeyboardMarkup(rows)


def confirm(lang: str, yes: tuple[str, str], no: tuple[str, str]) -> InlineKeyboardMarkup:
    """Two buttons: (catalog key of the label, callback data) for yes and for no."""
    return InlineKeyboardMarkup([[button(t(lang, yes[0]), yes[1]), button(t(lang, no[0]), no[1])]])


def settings_keyboard(
    lang: str, *, severity: int, updates: str, quiet: bool
) -> InlineKeyboardMarkup:
    """Severity, updates and language as buttons; the current choice carries a ✓."""

    def mark(chosen: bool, text: str) -> str:
        return f"✓ {text}" if chosen else text

    sev_row = [
        button(mark(level == severity, t(lang, f"severity.short.{level}")), f"set:sev:{level}")
        for level in (1, 2, 3, 4)
    ]
    upd_row = [
        button(mark(mode == updates, t(lang, f"settings.updates.{mode}")), f"set:upd:{mode}")
        for mode in ("edit", "reply", "off")
    ]
    lang_row = [
        button(mark(code == lang, t(code, f"language.{code}")), f"set:lang:{code}")
        for code in ("uk", "ru", "en")
    ]
    rows = [sev_row, upd_row, lang_row]
    if quiet:
        rows.append([button(t(lang, "button.quiet_off"), "set:quiet:off")])
    return InlineKeyboardMarkup(rows)


def alert_keyboard(event_id: str, lang: str, mute_codes: Sequence[str]) -> InlineKeyboardMarkup:
    """Under an alert: "Why this alert?" and, for the chat's subscriptions below country level
    that cover the event, "Mute this region" (one) or "Mute…" (several: a press asks which)."""
    row = [button(t(lang, "button.why"), f"why:{event_id}")]
    if len(mute_codes) == 1:
        row.append(button(t(lang, "button.mute"), f"unsub:{mute_codes[0]}"))
    elif mute_codes:
        row.append(button(t(lang, "button.mute_which"), f"mute:{event_id}"))
    return InlineKeyboardMarkup([row])
