""" "Why this alert?": a short explanation a person reads, in the chat's language. Pure.

    Why this alert?
    Your subscription: Dnipropetrovsk oblast
    Places struck: Kryvyi Rih (Dnipropetrovsk oblast), Nikopol (Dnipropetrovsk oblast)
    What the reports say: ballistic missile; people killed; a residential area hit
    Sources:
    • Ukrinform, 19:10 — “Missile strike on …”
    • Suspilne, 21:40 — “…”
    Killed: 14 (Ukrinform, 19:10) → 18 (Suspilne, 21:40)

The reports are the articles clustered into the event (:class:`Trace`, oldest first); when
they are gone (retention) the event's own sources stand in. The classifier's tags are never
shown raw: each known tag has a localised phrase, unknown ones are left out. Outside text
(headlines, outlet and place names) is clipped, then escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import ALL_PLACES, Event, Place, Source
from bot.i18n import language, t
from bot.notify.render import TELEGRAM_LIMIT, source_link

MAX_SOURCES = 8
MAX_HEADLINE = 140
MAX_PLACES = 10
#: Classifier tags with a phrase of their own (``why.tag.*``), in the order they are told.
TOLD_TAGS = (
    "cue:strike",
    "cue:weapon",
    "cue:explosion",
    "cue:damage",
    "cue:crater",
    "impact:killed",
    "impact:injured",
    "impact:casualties",
    "impact:toll-update",
)


@dataclass(frozen=True, slots=True)
class Trace:
    """One report of the event, as the Why view tells it."""

    source: str
    url: str
    published: datetime
    title: str = ""
    killed: int | None = None
    injured: int | None = None
    killed_more: bool = False
    injured_more: bool = False


def render_why(
    event: Event,
    lang: str,
    tz: ZoneInfo,
    matched: Sequence[str] = (),
    reports: Sequence[Trace] = (),
    names: dict[str, str] | None = None,
) -> str:
    """The explanation; ``matched`` are the chat's subscription codes that cover the event and
    ``names`` their display names."""
    lang = language(lang)
    names = names or {}
    lines = [t(lang, "why.title")]
    if matched:
        shown = [t(lang, "sub.everything") if c == ALL_PLACES else names.get(c, c) for c in matched]
        key = "why.subscription"
        lines.append(t(lang, key, n=len(shown), places=_esc(", ".join(shown))))
    places = [_place(p, lang) for p in event.places[:MAX_PLACES]]
    if places:
        lines.append(t(lang, "why.places", n=len(places), places=_esc(", ".join(places))))
    said = _said(event, lang)
    if said:
        lines.append(t(lang, "why.said", cues="; ".join(said)))
    lines += _sources(event, lang, tz, reports)
    lines += _history(lang, tz, reports)
    return _fit(lines)


def _said(event: Event, lang: str) -> list[str]:
    out: list[str] = []
    if event.weapon.value != "unknown":
        out.append(t(lang, f"weapon.{event.weapon.value}"))
    tags = set(event.reasons)
    out += [t(lang, f"why.tag.{tag}") for tag in TOLD_TAGS if tag in tags]
    objects = [o for o in dict.fromkeys(event.objects) if t(lang, f"obj.{o}") != f"obj.{o}"]
    out += [t(lang, "why.hit", what=_object_after_po(lang, o)) for o in objects[:3]]
    return list(dict.fromkeys(out))


def _object_after_po(lang: str, key: str) -> str:
    """The object in the case ``why.hit`` needs: dative where the language has one ("удар по
    лікарні"), else the plain form ("a hospital hit")."""
    dative = t(lang, f"objd.{key}")
    return dative if dative != f"objd.{key}" else t(lang, f"obj.{key}")


def _sources(event: Event, lang: str, tz: ZoneInfo, reports: Sequence[Trace]) -> list[str]:
    lines = [t(lang, "why.sources")]
    if reports:
        for report in reports[:MAX_SOURCES]:
            link = source_link(Source(report.source, report.url))
            line = f"• {link}, {_when(report.published, tz)}"
            if report.title.strip():
                line += f" — “{_esc(_clip(report.title, MAX_HEADLINE))}”"
            lines.append(line)
        rest = len(reports) - MAX_SOURCES
    else:
        lines += [f"• {source_link(s)}" for s in event.sources[:MAX_SOURCES]]
        rest = len(event.sources) - MAX_SOURCES
    if rest > 0:
        lines.append(t(lang, "why.more_sources", num=rest, n=rest))
    return lines if len(lines) > 1 else []


def _history(lang: str, tz: ZoneInfo, reports: Sequence[Trace]) -> list[str]:
    """ "Killed: 14 (Ukrinform, 19:10) → 18 (Suspilne, 21:40)" when a figure changed."""
    lines: list[str] = []
    for field, key in (("killed", "why.killed"), ("injured", "why.injured")):
        steps: list[str] = []
        last: tuple[int, bool] | None = None
        for report in reports:
            value: int | None = getattr(report, field)
            more: bool = getattr(report, f"{field}_more")
            if value is None or (value, more) == last:
                continue
            last = (value, more)
            figure = f"{value}+" if more else str(value)
            steps.append(
                f"{figure} ({_esc(_clip(report.source, 40))}, {_when(report.published, tz)})"
            )
        if len(steps) > 1:
            lines.append(t(lang, key, steps=" → ".join(steps)))
    return lines


def _place(place: Place, lang: str) -> str:
    name, region = place.localised("name", lang), place.localised("region", lang)
    if place.settlement_code and name:
        return f"{name} ({region})" if region and region != name else name
    if region:
        return region
    country = t(lang, f"country.{place.country}")
    return place.country if country == f"country.{place.country}" else country


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d.%m %H:%M")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _fit(lines: list[str]) -> str:
    kept = [line for line in lines if line]
    text = "\n".join(kept)
    while len(text) >= TELEGRAM_LIMIT and kept:
        kept.pop()
        text = "\n".join([*kept, "…"])
    return text
