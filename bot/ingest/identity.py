"""Who is an item? Identity keys for the seen-set, and which items go further (pure).

Every item yields up to three keys; it is **new only when none of them was ever seen**:

``guid:<feed id>:<h>``
    when the GUID is a real one: not empty, not a bare integer (``<guid>12345</guid>`` is a
    row id that other feeds reuse), not shared by two items of the same document, and not
    just the item's link (the url key already says that, and half the keys is half the
    writes). When the item also has a url key, ``h`` covers the GUID *and the title*: a
    feed that reuses a GUID for a new story (new link, new title) must not hide it, while a
    story whose link moved keeps its GUID and title and stays known.
``url:<h>``
    when the link is usable: http(s), canonicalised (scheme and host lower-cased, default
    port, ``utm_*``/``fbclid``/``gclid``… and the fragment dropped), not a bare home page,
    and not shared by two items of the same document (feeds that link every item to the home
    page exist). The key ignores http vs https and is *global*: a second feed syndicating the
    same story is not new.
``hash:<h>``
    only when neither of the above exists: a hash of the source and the title (or the text
    when there is no title).

So a bumped GUID on the same URL (url key seen), a re-dated item (keys have no date), a
syndicated copy (url key), and an item that drops off a feed and comes back (keys kept for
``retention_days`` and refreshed while the item is still listed) are all "not new".
``h`` is a 128-bit SHA-256 prefix, so keys fit the 128-character columns.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.ingest.parse import ParsedItem

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
     "mc_eid", "_ga", "_gl", "ref_src", "ocid"}
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


_URL = re.compile(
    r"(https?)://(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?",
    re.IGNORECASE | re.DOTALL,
)


def canonical_url(url: str) -> str | None:
    """The URL with tracking noise removed, or None if it is not an http(s) URL.

    Parameters are dropped textually (never decoded and re-encoded), so two spellings that
    differ only by tracking parameters give the same string.
    """
    match = _URL.fullmatch(url.strip())
    if match is None:
        return None
    scheme, host, port, path, query = match.groups()
    scheme, host = scheme.lower(), host.lower().rstrip(".")
    if not host:
        return None
    if port:
        if not port.isdigit() or int(port) > 65535:
            return None
        port = "" if int(port) == _DEFAULT_PORTS[scheme] else str(int(port))
    if query:
        query = "&".join(
            pair for pair in query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0])
        )
    netloc = f"{host}:{port}" if port else host
    return f"{scheme}://{netloc}{path or '/'}{'?' + query if query else ''}"


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def is_real_guid(guid: str) -> bool:
    return bool(guid) and not guid.isdigit() and len(guid) <= 2048


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _title(title: str) -> str:
    return " ".join(title.casefold().split())


def _url_key(link: str) -> str | None:
    url = canonical_url(link)
    if url is None:
        return None
    rest = url.split(":", 1)[1]  # without the scheme: http and https are one
    if rest.count("/") == 3 and rest.endswith("/"):
        return None  # a home page identifies no item
    return "url:" + _h(rest)


def item_keys(feed_id: int, items: Sequence[ParsedItem], source: str) -> list[tuple[str, ...]]:
    """The identity keys of each item (the primary key first); ``()`` for an item with none."""
    guids = Counter(item.guid for item in items)
    url_keys = [_url_key(item.link) for item in items]
    urls = Counter(url_keys)
    result: list[tuple[str, ...]] = []
    for item, url_key in zip(items, url_keys, strict=True):
        keys: list[str] = []
        if url_key is not None and urls[url_key] == 1:
            keys.append(url_key)
        guid_is_link = url_key is not None and (
            item.guid == item.link
            or (item.guid.startswith("http") and _url_key(item.guid) == url_key)
        )
        if is_real_guid(item.guid) and guids[item.guid] == 1 and not guid_is_link:
            told = item.guid if not keys else f"{item.guid}\n{_title(item.title)}"
            keys.append(f"guid:{feed_id}:{_h(told)}")
        if not keys and (item.title or item.text):
            keys.append("hash:" + _h(f"{source}\n{item.title or item.text}"))
        result.append(tuple(keys))
    return result


@dataclass(frozen=True, slots=True)
class Triage:
    fresh: tuple[int, ...]  # indexes of items to store as articles
    record: frozenset[str]  # keys to add to the seen-set
    known: int  # items whose keys were already seen


def triage(
    items: Sequence[ParsedItem],
    keys: Sequence[tuple[str, ...]],
    seen: Collection[str],
    *,
    first_poll: bool,
    fetched_at: datetime,
    max_age: timedelta,
) -> Triage:
    """Decide which items go further.

    An item with any key in ``seen`` is known. A new item is *fresh* when it is dated within
    ``max_age`` of the fetch, or undated on a feed we polled before (it appeared since). On a
    feed's first poll undated items are backlog. Every key of every new item is recorded, and
    so are the keys a known item adds (a bumped GUID), so the next bump is known too.
    """
    record: set[str] = set()
    fresh: list[int] = []
    known = 0
    local: set[str] = set()
    oldest = fetched_at - max_age
    for index, (item, item_keys_) in enumerate(zip(items, keys, strict=True)):
        if not item_keys_:
            continue
        is_known = any(key in seen or key in local for key in item_keys_)
        record.update(key for key in item_keys_ if key not in seen)
        local.update(item_keys_)
        if is_known:
            known += 1
            continue
        recent = item.published >= oldest if item.dated else not first_poll
        if recent:
            fresh.append(index)
    return Triage(fresh=tuple(fresh), record=frozenset(record), known=known)
