"""Event → the HTML a user reads (Telegram's HTML subset). Pure, standard library only.

Layout (see ``shared/UX.md``)::

    🔴 Kryvyi Rih · Dnipropetrovsk oblast
    Ballistic missile hit a residential area
    14 killed, incl. 6 children · 50+ injured
    19:02 Kyiv time · Ukrinform, Suspilne +3 sources

Safety: every piece of outside text (place and source names, URLs, reasons, broadcast text) is
clipped *before* it is escaped with :func:`html.escape`, so a cut never splits an entity or a tag.
Links are made only for ``http``/``https`` URLs (``quote=True`` in the attribute); other sources
show their name alone. Each message is assembled from whole lines and stays under
:data:`TELEGRAM_LIMIT`: when it would not, whole lines are dropped from the end and "…" is added.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.domain import DEFAULT_TZ, Event, EventChange, Place, Severity, Source, Weapon
from bot.i18n import language, t

__all__ = [
    "TELEGRAM_LIMIT",
    "render_alert",
    "render_broadcast",
    "render_event_line",
    "render_update",
    "t",
]

TELEGRAM_LIMIT = 4096
MAX_LINKED_SOURCES = 3
MAX_NAME = 80  # characters of a place or source name shown
MAX_URL = 1024
MAX_OBJECTS = 2
#: Objects said only when nothing more specific is known.
VAGUE_OBJECTS = frozenset({"infrastructure"})
SEP = " · "

MARKS: dict[Severity, str] = {
    Severity.CRITICAL: "🔴",
    Severity.HIGH: "🟠",
    Severity.MEDIUM: "🟡",
    Severity.LOW: "⚪",
}
_KYIV_ZONES = frozenset({DEFAULT_TZ, "Europe/Kiev"})
_UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu"})


def render_alert(event: Event, lang: str, tz: ZoneInfo) -> str:
    """The full alert for a new event (also the text an update edits the alert to)."""
    lang = language(lang)
    lines = [
        f"{MARKS[event.severity]} {place_line(event.places, lang)}",
        what_line(event, lang),
    ]
    figures = figures_line(event, lang)
    if figures:
        lines.append(figures)
    lines.append(_join(time_label(event.event_time, lang, tz), sources_part(event.sources, lang)))
    return _fit(lines)


def render_update(change: EventChange, lang: str, tz: ZoneInfo) -> str:
    """The short reply to an alert saying what changed ("⬆️ Toll rises: 19 killed, …")."""
    del tz  # the reply points to the alert, which shows the time
    lang = language(lang)
    event, before = change.event, change.previous
    if event is None:
        return ""
    changed = set(change.what_changed)
    lines: list[str] = []
    for total, children, key, children_key in (
        ("killed", "children_killed", "update.killed", "update.children_killed"),
        ("injured", "children_injured", "update.injured", "update.children_injured"),
    ):
        value: int | None = getattr(event, total)
        more: bool = getattr(event, f"{total}_more")
        kids: int | None = getattr(event, children)
        kids_before: int | None = getattr(before, children) if before else None
        if total in changed and value:
            lines.append(
                t(
                    lang,
                    key,
                    num=_num(value, more),
                    n=_form(value, more),
                    children=_count(lang, "alert.incl_children", kids, False) if kids else "",
                    was=_was(lang, before, total),
                )
            )
        elif "children" in changed and kids and kids > (kids_before or 0):
            lines.append(t(lang, children_key, num=kids, n=kids, was=_was(lang, before, children)))
    if "weapon" in changed and event.weapon is not Weapon.UNKNOWN:
        lines.append(t(lang, "update.weapon", weapon=t(lang, f"weapon.{event.weapon.value}")))
    return _fit(lines)


def render_event_line(event: Event, lang: str, tz: ZoneInfo) -> str:
    """A compact block for /latest: mark and place; date, time and figures; sources."""
    lang = language(lang)
    local = event.event_time.astimezone(tz)
    head = f"{MARKS[event.severity]} <b>{place_line(event.places, lang)}</b>"
    middle = _join(local.strftime("%d.%m %H:%M"), what_line(event, lang), figures_line(event, lang))
    return _fit([head, middle, sources_part(event.sources, lang)])


def render_broadcast(text: str, lang: str) -> str:
    """An admin's message, clearly marked so it is never mistaken for an alert."""
    header = t(language(lang), "broadcast.header")
    budget = TELEGRAM_LIMIT - len(header) - 2
    return f"{header}\n\n{_esc_within(text.strip(), budget)}"


# --- the parts of an alert ---------------------------------------------------------------


def place_line(places: Sequence[Place], lang: str) -> str:
    """ "Settlement · Region", "Region" alone, the country name, or "Place not stated" (escaped).
    Further places of a multi-place strike are counted ("+2 places")."""
    if not places:
        return t(lang, "alert.place_unknown")
    main = next((p for p in places if p.settlement_code), None) or next(
        (p for p in places if p.region_code), places[0]
    )
    region = _clip(main.localised("region", lang))
    if main.settlement_code:
        name = _clip(main.localised("name", lang))
        text = _join(_esc(name), _esc(region)) if name else _esc(region)
    elif main.region_code:
        text = _esc(region or main.region_code)
    else:
        text = _esc(_country(main.country, lang))
    if not text:
        text = _esc(_country(main.country, lang))
    ancestors = {main.country, main.region_code}
    others = {p.code for p in places if p.code != main.code and p.code not in ancestors}
    if others:
        text += " " + _count(lang, "alert.more_places", len(others), False)
    return text


def what_line(event: Event, lang: str) -> str:
    """ "Ballistic missile hit a residential area"; "Strike" when nothing is known.

    Only what the reports name is said: a vague "civilian object" is left out ("Shelling", not
    "Shelling hit a civilian object"), and "civilian infrastructure" only stands alone."""
    weapon = event.weapon.value
    named = [o for o in dict.fromkeys(event.objects) if _named_object(lang, o)]
    specific = [o for o in named if o not in VAGUE_OBJECTS]
    objects = (specific or named)[:MAX_OBJECTS]
    if not objects:
        return t(lang, f"strike.{weapon}")
    glue = t(lang, "alert.and")
    accusative = glue.join(_object(lang, "obj", o) for o in objects)
    dative = glue.join(_object(lang, "objd", o) for o in objects)
    return t(lang, f"hit.{weapon}", objects=accusative, objects_dative=dative)


def _named_object(lang: str, key: str) -> bool:
    """An object the catalog names ("residential"), not a catch-all ("civilian", "other")."""
    return bool(key.strip()) and key != "other" and t(lang, f"obj.{key}") != f"obj.{key}"


def figures_line(event: Event, lang: str) -> str:
    """ "14 killed, incl. 6 children · 50+ injured"; "" when no figure is stated."""
    parts: list[str] = []
    if event.killed:
        part = _count(lang, "alert.killed", event.killed, event.killed_more)
        if event.children_killed:
            part += _count(lang, "alert.incl_children", event.children_killed, False)
        parts.append(part)
    elif event.children_killed:
        parts.append(_count(lang, "alert.children_killed", event.children_killed, False))
    if event.injured:
        part = _count(lang, "alert.injured", event.injured, event.injured_more)
        if event.children_injured:
            part += _count(lang, "alert.incl_children", event.children_injured, False)
        parts.append(part)
    elif event.children_injured:
        parts.append(_count(lang, "alert.children_injured", event.children_injured, False))
    if not parts and (event.killed == 0 or event.injured == 0):
        return t(lang, "alert.no_casualties")
    return SEP.join(parts)


def time_label(moment: datetime, lang: str, tz: ZoneInfo) -> str:
    """ "19:02 Kyiv time"; other zones name their city and UTC offset."""
    local = moment.astimezone(tz)
    clock = local.strftime("%H:%M")
    key = getattr(tz, "key", "") or ""
    if key in _KYIV_ZONES:
        return t(lang, "time.kyiv", time=clock)
    if key in _UTC_ZONES:
        return t(lang, "time.utc", time=clock)
    zone = key.rsplit("/", 1)[-1].replace("_", " ") or str(tz)
    return t(lang, "time.zone", time=clock, zone=_esc(zone), offset=_offset(local.utcoffset()))


def sources_part(sources: Sequence[Source], lang: str) -> str:
    """Up to three source links and "+N sources" for the rest."""
    shown = sources[:MAX_LINKED_SOURCES]
    text = ", ".join(source_link(s) for s in shown)
    rest = len(sources) - len(shown)
    if rest > 0:
        text += " " + _count(lang, "alert.more_sources", rest, False)
    return text


def source_link(source: Source) -> str:
    """``<a href="URL">Name</a>`` for http(s) URLs, else the escaped name alone."""
    name = _clip(source.name.strip()) or _clip(_host(source.url)) or "?"
    url = source.url.strip()
    if _is_web(url) and len(url) <= MAX_URL:
        return f'<a href="{html.escape(url, quote=True)}">{_esc(name)}</a>'
    return _esc(name)


# --- helpers -------------------------------------------------------------------------------


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # e.g. "http://[" — an unbalanced IPv6 bracket
        return ""


def _is_web(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _country(code: str, lang: str) -> str:
    name = t(lang, f"country.{code}")
    return code if name == f"country.{code}" else name


def _object(lang: str, prefix: str, key: str) -> str:
    name = t(lang, f"{prefix}.{key}")
    if name == f"{prefix}.{key}":
        name = t(lang, f"{prefix}.other")
    return name if name != f"{prefix}.other" else t(lang, "obj.other")


def _num(value: int, more: bool) -> str:
    return f"{value}+" if more else str(value)


def _form(value: int, more: bool) -> int:
    """The count that picks the plural form: "more than N" reads as many ("50+ поранених")."""
    return 0 if more else value


def _count(lang: str, key: str, value: int, more: bool) -> str:
    return t(lang, key, num=_num(value, more), n=_form(value, more))


def _was(lang: str, before: Event | None, field: str) -> str:
    """ " (was 14)" from the previous version of the event; "" when it had no figure."""
    value: int | None = getattr(before, field) if before else None
    if value is None:
        return ""
    more = bool(getattr(before, f"{field}_more", False))
    return t(lang, "update.was", num=_num(value, more))


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _clip(text: str, limit: int = MAX_NAME) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _esc_within(text: str, budget: int) -> str:
    """Escape ``text``, clipping the raw text first so the escaped form and "…" fit
    ``budget``: the longest such prefix (an entity is up to five characters for one)."""
    escaped = _esc(text)
    if len(escaped) <= budget:
        return escaped
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(_esc(text[:middle])) < budget:
            low = middle
        else:
            high = middle - 1
    return _esc(text[:low]) + "…"


def _join(*parts: str) -> str:
    return SEP.join(part for part in parts if part)


def _fit(lines: Sequence[str], limit: int = TELEGRAM_LIMIT) -> str:
    """Join whole lines; drop lines from the end (adding "…") until the text fits."""
    kept = [line for line in lines if line]
    text = "\n".join(kept)
    while len(text) > limit and kept:  # exactly ``limit`` characters is accepted
        kept.pop()
        text = "\n".join([*kept, "…"])
    return text
