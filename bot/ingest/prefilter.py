"""Byte-level item filter in front of feedparser (pure): parse less, decide the same.

feedparser is ~90 % of a cold poll's CPU. Two ways to hand it fewer items:

* **Old items on a feed's first poll** (:func:`split_items` + :func:`confident_date`): an item
  whose every date element reads *confidently* older than the cut-off is dropped before
  feedparser sees it. Confident means RFC 822 (``Tue, 02 Dec 2026 10:00:00 +0200``, zone GMT,
  UT, UTC, Z or a numeric offset) or RFC 3339 with an explicit zone; any other date (a named
  zone like EET, a Ukrainian month, no zone at all) keeps the item. Such an item could never
  alert (``identity.triage`` only passes items within ``max_age``), but its seen-set keys must
  still be recorded, so its GUID and link are read from the bytes too (:func:`identity_of`;
  an item with anything unusual there is kept). If that reading ever differed from
  feedparser's, the item — confidently old — would only be recorded again later, never
  alerted. It runs on a feed's first poll, the one that carries the whole backlog.
* **Unchanged items on later polls**: an item block whose bytes hash to one the previous poll
  of the same feed already parsed is skipped (its keys were recorded then). New or edited
  items, wherever they are in the document, are parsed.

Both are all-or-nothing per document: if the item tags are not a flat, balanced sequence
outside CDATA and comments, nothing is filtered. The dates of items not parsed are returned so
the poll scheduler still sees the feed's whole publication history.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

_ITEM_TAG = re.compile(rb"<(/?)((?:[A-Za-z_][\w.-]*:)?(?:item|entry))(?=[\s>/])")
_DATE = re.compile(
    rb"<((?:[A-Za-z_][\w.-]*:)?(?:pubDate|date|published|updated|created|issued|modified))"
    rb"(?:\s[^>]*)?>(.*?)</\1\s*>",
    re.DOTALL,
)
_GUID = re.compile(rb"<(guid|id)(\s[^>]*)?>(.*?)</\1\s*>", re.DOTALL)
_TITLE = re.compile(rb"<title(?:\s[^>]*)?>(.*?)</title\s*>", re.DOTALL)
_LINK = re.compile(rb"<link(?=[\s>/])([^>]*?)(/?)>(?:(.*?)</link\s*>)?", re.DOTALL)
_ATTR = re.compile(rb"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CDATA_WRAP = re.compile(rb"^\s*<!\[CDATA\[(.*?)\]\]>\s*$", re.DOTALL)
_RFC822 = re.compile(
    rb"^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?"
    rb"\s+(GMT|UTC?|Z|[+-]\d{4})$"
)
_RFC3339 = re.compile(
    rb"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    rb"(Z|z|[+-]\d{2}:?\d{2})$"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
         b"dec")
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class OldItem:
    """An item left out as old: what its seen-set keys are made of, as feedparser reads it."""

    guid: str
    link: str
    published: datetime
    digest: bytes = b""
    title: str = ""  # the GUID's key covers it (a reused GUID with a new title is a new story)


@dataclass(frozen=True, slots=True)
class Filtered:
    body: bytes  # the document without the items left out
    digests: tuple[bytes, ...]  # of the items kept, in document order
    unchanged: tuple[bytes, ...]  # digests of the items left out as unchanged
    dates: tuple[datetime, ...]  # dates of the items left out as unchanged (when known)
    old: tuple[OldItem, ...]  # the items left out as old
    skipped: int  # items left out as unchanged


def item_spans(body: bytes) -> list[tuple[int, int]] | None:
    """(start, end) of every item/entry element, or None when the tags are not flat and
    balanced outside CDATA and comments (then nothing may be filtered)."""
    opaque = _opaque_spans(body)
    starts = [start for start, _ in opaque]
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    open_name = b""
    for match in _ITEM_TAG.finditer(body):
        at = match.start()
        index = bisect.bisect_right(starts, at) - 1
        if index >= 0 and at < opaque[index][1]:
            return None  # an item tag inside CDATA or a comment: do not guess
        closing, name = match.group(1), match.group(2)
        if not closing:
            if open_at is not None:
                return None  # nested
            end_of_tag = body.find(b">", match.end())
            if end_of_tag < 0 or body[end_of_tag - 1 : end_of_tag] == b"/":
                return None  # self-closing or cut off
            open_at, open_name = at, name
        else:
            if open_at is None or name != open_name:
                return None
            close = body.find(b">", match.end())
            if close < 0:
                return None
            spans.append((open_at, close + 1))
            open_at = None
    return None if open_at is not None else spans


def _opaque_spans(body: bytes) -> list[tuple[int, int]]:
    """(start, end) of CDATA sections and comments, in order (an unclosed one runs to the end).
    ``bytes.find`` rather than a regular expression: far faster on CDATA-heavy feeds; the next
    opener of each kind is remembered, so the whole scan stays linear."""
    spans: list[tuple[int, int]] = []
    position = 0
    cdata, comment = body.find(b"<![CDATA["), body.find(b"<!--")
    while cdata >= 0 or comment >= 0:
        if comment < 0 or 0 <= cdata < comment:
            start, end = cdata, body.find(b"]]>", cdata + 9)
        else:
            start, end = comment, body.find(b"-->", comment + 4)
        if end < 0:
            spans.append((start, len(body)))
            return spans
        spans.append((start, end + 3))
        position = end + 3
        if 0 <= cdata < position:
            cdata = body.find(b"<![CDATA[", position)
        if 0 <= comment < position:
            comment = body.find(b"<!--", position)
    return spans


def confident_date(raw: bytes) -> datetime | None:
    """An RFC 822 / RFC 3339 date with an explicit zone, in UTC; None for anything else."""
    wrapped = _CDATA_WRAP.match(raw)
    text = (wrapped.group(1) if wrapped else raw).strip()
    try:
        if match := _RFC822.match(text):
            day, month, year, hour, minute, second, zone = match.groups()
            month_no = _MONTHS.get(month.lower())
            if month_no is None:
                return None
            when = datetime(
                int(year), month_no, int(day), int(hour), int(minute), int(second or 0),
                tzinfo=_zone(zone),
            )  # fmt: skip
            return when.astimezone(UTC)
        if match := _RFC3339.match(text):
            year, month, day, hour, minute, second, zone = match.groups()
            when = datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                tzinfo=_zone(zone.replace(b":", b"")),
            )  # fmt: skip
            return when.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return None


def _zone(zone: bytes) -> timezone:
    if zone.upper() in (b"GMT", b"UT", b"UTC", b"Z"):
        return UTC
    sign = -1 if zone[:1] == b"-" else 1
    hours, minutes = int(zone[1:3]), int(zone[3:5])
    if hours > 18 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def item_newest_date(block: bytes) -> datetime | None:
    """The newest date of an item if *every* date element in it is confident, else None."""
    dates = [confident_date(match.group(2)) for match in _DATE.finditer(block)]
    if not dates or any(date is None for date in dates):
        return None
    return max(date for date in dates if date is not None)


def identity_of(block: bytes, published: datetime) -> OldItem | None:
    """The GUID and link feedparser would read from a plain item, or None when unsure (two
    links or ids, markup inside them, neither present): such an item is not left out."""
    guids = _GUID.findall(block)
    links = _LINK.findall(block)
    if len(guids) > 1 or len(links) > 1 or not (guids or links):
        return None
    guid: str | None = _plain(guids[0][2]) if guids else ""
    link: str | None = ""
    if links:
        attrs, _closed, text = links[0]
        values = {m[1].lower(): m[2] or m[3] or b"" for m in _ATTR.finditer(attrs)}
        if b"href" in values:  # Atom
            if values.get(b"rel", b"alternate") != b"alternate":
                return None
            link = _plain(values[b"href"])
        else:
            link = _plain(text or b"")
    elif guids and b'ispermalink="false"' not in guids[0][1].lower().replace(b"'", b'"'):
        link = guid  # feedparser: a permalink GUID is the link when there is none
    if guid is None or link is None or not (guid or link):
        return None
    titles = _TITLE.findall(block)
    title: str | None = _plain(titles[0]) if len(titles) == 1 else ("" if not titles else None)
    if title is None:
        return None
    return OldItem(guid, link, published, title=title)


def _plain(raw: bytes) -> str | None:
    wrapped = _CDATA_WRAP.match(raw)
    value = wrapped.group(1) if wrapped else raw
    if b"<" in value:
        return None
    try:
        return html.unescape(value.decode("utf-8")).strip()
    except UnicodeDecodeError:
        return None


def digest(block: bytes) -> bytes:
    return hashlib.blake2b(block, digest_size=8).digest()


def filter_items(
    body: bytes,
    *,
    older_than: datetime | None = None,
    unchanged: Mapping[bytes, datetime | None] | None = None,
) -> Filtered | None:
    """Leave out items older than ``older_than`` and items whose digest is in ``unchanged``
    (mapped to their date, if known). None when the document cannot be split safely."""
    spans = item_spans(body)
    if spans is None:
        return None
    parts: list[bytes] = []
    kept: list[bytes] = []
    same: list[bytes] = []
    dates: list[datetime] = []
    old: list[OldItem] = []
    skipped = 0
    position = 0
    for start, end in spans:
        block = body[start:end]
        key = digest(block)
        if unchanged is not None and key in unchanged:
            skipped += 1
            same.append(key)
            if (known := unchanged[key]) is not None:
                dates.append(known)
        elif (
            older_than is not None
            and (newest := item_newest_date(block)) is not None
            and newest < older_than
            and (gone := identity_of(block, newest)) is not None
        ):
            old.append(dataclasses.replace(gone, digest=key))
        else:
            kept.append(key)
            continue
        parts.append(body[position:start])
        position = end
    parts.append(body[position:])
    return Filtered(b"".join(parts), tuple(kept), tuple(same), tuple(dates), tuple(old), skipped)
