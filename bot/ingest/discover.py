"""Feed autodiscovery: a URL that is a web page, not a feed, and the feeds the page advertises.

Pure (bytes in, links out). A page advertises its feeds as every feed reader expects::

    <link rel="alternate" type="application/rss+xml" title="News" href="/rss.xml">

(``application/atom+xml`` likewise). Regular expressions, not an HTML parser: only ``<link>``
tags in the page's first :data:`SCAN_BYTES` are read, attributes in any order and quoting.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from bot.errors import FeedParseError

SCAN_BYTES = 512_000
MAX_FEEDS = 10
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
_LINK = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


class WebPageError(FeedParseError):
    """The URL is a web page; ``feeds`` are the (title, url) pairs it advertises."""

    def __init__(self, feeds: list[tuple[str, str]]) -> None:
        detail = (
            "it advertises no RSS/Atom feed"
            if not feeds
            else (f"it advertises {len(feeds)} feed(s): " + ", ".join(url for _t, url in feeds))
        )
        super().__init__(f"this is a web page, not a feed; {detail}")
        self.feeds = feeds


def is_web_page(body: bytes, content_type: str = "") -> bool:
    """An HTML document (by its type or its first tag), not an RSS/Atom one."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml") or bool(_HTML_START.match(body[:4096]))


def advertised_feeds(body: bytes, base_url: str) -> list[tuple[str, str]]:
    """(title, absolute URL) of each RSS/Atom feed a page links to, in page order, each once."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for tag in _LINK.findall(body[:SCAN_BYTES]):
        attrs = {
            m.group(1).lower().decode("ascii", "replace"): (
                m.group(2) or m.group(3) or m.group(4) or b""
            ).decode("utf-8", "replace")
            for m in _ATTR.finditer(tag)
        }
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").split(";", 1)[0].strip().lower()
        href = html.unescape(attrs.get("href", "")).strip()
        if "alternate" not in rels or kind not in FEED_TYPES or not href:
            continue
        url = urljoin(base_url, href)
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        found.append((" ".join(html.unescape(attrs.get("title", "")).split())[:100], url))
        if len(found) == MAX_FEEDS:
            break
    return found
