"""``strikebot run --dry-run``: each new or updated event printed as the alert a user sees, as
plain text (a terminal shows no HTML: tags are dropped, entities decoded, a link reads
"Name <URL>")."""

from __future__ import annotations

import html
import re
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.domain import DEFAULT_TZ, ChangeKind, EventChange
from bot.notify.render import render_alert, render_update

KYIV = ZoneInfo(DEFAULT_TZ)
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def plain_text(message: str) -> str:
    """A Telegram-HTML message as plain text."""
    out: list[str] = []
    pos = 0
    for link in _LINK.finditer(message):
        out.append(_untag(message[pos : link.start()]))
        out.append(f"{_untag(link.group(2))} <{html.unescape(link.group(1))}>")
        pos = link.end()
    out.append(_untag(message[pos:]))
    return "".join(out)


def _untag(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def print_alert(change: EventChange, out: TextIO, lang: str = "en") -> None:
    event = change.event
    if event is None or change.kind not in (ChangeKind.NEW, ChangeKind.UPDATE):
        return
    text = render_alert(event, lang, KYIV)
    if change.kind is ChangeKind.UPDATE:
        text = render_update(change, lang, KYIV) + "\n" + text
    print(f"--- {change.kind.value} {event.id} v{event.version}\n{plain_text(text)}\n", file=out)
    out.flush()
