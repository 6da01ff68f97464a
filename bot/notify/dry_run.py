"""``strikebot run --dry-run``: each new or updated event printed as the alert a user sees."""

from __future__ import annotations

from typing import TextIO
from zoneinfo import ZoneInfo

from bot.domain import ChangeKind, EventChange
from bot.notify.render import render_alert, render_update

KYIV = ZoneInfo("Europe/Kyiv")


def print_alert(change: EventChange, out: TextIO, lang: str = "en") -> None:
    event = change.event
    if event is None or change.kind not in (ChangeKind.NEW, ChangeKind.UPDATE):
        return
    text = render_alert(event, lang, KYIV)
    if change.kind is ChangeKind.UPDATE:
        text = render_update(change, lang, KYIV) + "\n" + text
    print(f"--- {change.kind.value} {event.id} v{event.version}\n{text}\n", file=out)
    out.flush()
