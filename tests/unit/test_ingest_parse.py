"""parse.py: bytes → items, dates that are right, text that is plain, hostile XML refused."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from bot.errors import FeedParseError
from bot.ingest.parse import parse_date, parse_feed, plain_text
from tests.fakes.feed_server import atom, rss

FETCHED = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)


def one(item: dict[str, object]) -> datetime:
    parsed = parse_feed(rss([{"title": "t", "link": "https://e.com/a", **item}]), FETCHED)
    assert len(parsed.items) == 1
    return parsed.items[0].published


def test_rfc822_with_numeric_offset() -> None:
    assert one({"pubDate": "Tue, 25 Nov 2025 10:00:00 +0200"}) == datetime(
        2025, 11, 25, 8, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("raw", "utc_hour"),
    [
        ("Tue, 25 Nov 2025 10:00:00 EET", 8),  # feedparser alone would say 10:00 UTC
        ("Tue, 25 Nov 2025 10:00:00 EEST", 7),
        ("Tue, 25 Nov 2025 10:00:00 MSK", 7),
        ("Tue, 25 Nov 2025 10:00:00 GMT", 10),
    ],
)
def test_named_zones_are_not_utc(raw: str, utc_hour: int) -> None:
    assert one({"pubDate": raw}) == datetime(2025, 11, 25, utc_hour, 0, tzinfo=UTC)


def test_day_first_date_is_read_day_first() -> None:
    # 05.11 is the 5th of November, not the 11th of May
    assert one({"pubDate": "05.11.2025 09:30"}) == datetime(2025, 11, 5, 9, 30, tzinfo=UTC)


def test_ukrainian_month_name() -> None:
    when = one({"pubDate": "вівторок, 25 листопада 2025 о 10:15 EET"})
    assert when == datetime(2025, 11, 25, 8, 15, tzinfo=UTC)


def test_dc_date_only_and_atom_updated_only_are_used() -> None:
    assert one({"dc_date": "2025-11-25T09:00:00+00:00"}) == datetime(2025, 11, 25, 9, tzinfo=UTC)
    doc = atom([{"id": "urn:1", "title": "t", "updated": "2025-11-25T11:00:00Z"}])
    assert parse_feed(doc, FETCHED).items[0].published == datetime(2025, 11, 25, 11, tzinfo=UTC)


def test_no_date_or_garbage_date_falls_back_to_fetch_time_and_says_so() -> None:
    for item in ({}, {"pubDate": "not a date at all"}):
        parsed = parse_feed(rss([{"title": "t", **item}]), FETCHED).items[0]
        assert parsed.published == FETCHED
        assert parsed.dated is False


def test_future_date_is_clamped_to_fetch_time() -> None:
    parsed = parse_feed(rss([{"title": "t", "pubDate": "Fri, 01 Jan 2100 00:00:00 GMT"}]), FETCHED)
    assert parsed.items[0].published == FETCHED
    assert parsed.items[0].dated is True


def test_parse_date_rejects_nonsense() -> None:
    assert parse_date("") is None
    assert parse_date("yesterday-ish") is None


def test_summary_becomes_plain_text() -> None:
    html = (
        "<p>Strike on <b>Kharkiv</b>&nbsp;&amp; region</p>\n\n"
        "<script>x()</script><p>Two&#x20;hurt</p>"
    )
    item = parse_feed(rss([{"title": "<b>Bold</b> &amp; title", "description": html}]), FETCHED)
    assert item.items[0].text == "Strike on Kharkiv & region\nTwo hurt"  # paragraphs kept
    assert item.items[0].title == "Bold & title"


def test_plain_text_keeps_paragraphs_of_plain_and_html_text() -> None:
    assert plain_text("Lead line.\n\n  Body   line.\nSame para.", paragraphs=True) == (
        "Lead line.\nBody line. Same para."
    )
    html = "<p>Lead\nline.</p><p>Body<br/>next</p>"
    assert plain_text(html, paragraphs=True) == "Lead line.\nBody\nnext"
    assert plain_text(html) == "Lead line. Body next"


def test_plain_text_cuts_very_long_text() -> None:
    assert len(plain_text("word " * 5000, limit=100)) == 100


def test_atom_entry_fields() -> None:
    doc = atom(
        [
            {
                "id": "tag:e.com,2025:1",
                "title": "Atom title",
                "link": "https://e.com/a?x=1&y=2",
                "summary": "<p>hello</p>",
                "published": "2025-11-25T10:00:00+02:00",
            }
        ]
    )
    item = parse_feed(doc, FETCHED).items[0]
    assert (item.guid, item.link, item.title, item.text) == (
        "tag:e.com,2025:1",
        "https://e.com/a?x=1&y=2",
        "Atom title",
        "hello",
    )
    assert item.published == datetime(2025, 11, 25, 8, tzinfo=UTC)


def test_items_without_title_link_or_date_are_kept() -> None:
    parsed = parse_feed(rss([{"description": "only text"}, {"title": "only title"}]), FETCHED)
    assert [(i.title, i.link, i.text, i.guid) for i in parsed.items] == [
        ("", "", "only text", ""),
        ("only title", "", "", ""),
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b"   \n ", "empty body"),
        (b"<html><head><title>Hi</title></head><body><p>Welcome</p></body></html>", "not an RSS"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not an RSS"),
        (b"<rss><channel><title>broken", "malformed feed"),
    ],
)
def test_not_a_feed_is_a_parse_error(body: bytes, reason: str) -> None:
    with pytest.raises(FeedParseError, match=reason):
        parse_feed(body, FETCHED)


def test_truncated_feed_keeps_the_items_it_has() -> None:
    body = rss([{"title": "first", "link": "https://e.com/1"}, {"title": "second"}])
    parsed = parse_feed(body[: body.index(b"second")], FETCHED)
    assert parsed.items[0].title == "first"


def test_bytes_are_never_taken_for_a_file_name(tmp_path: object) -> None:
    # feedparser opens a bytes argument as a *file* when it is a path; we must not.
    with pytest.raises(FeedParseError):
        parse_feed(b"/etc/passwd", FETCHED)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rss version="2.0"><channel><title>&e;</title><item><title>&e;</title></item></channel></rss>"""

QUADRATIC = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY big "'
    + b"x" * 50_000
    + b'">]>\n<rss version="2.0"><channel><item><title>'
    + b"&big;" * 20_000
    + b"</title></item></channel></rss>"
)

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>leak &secret;</title></item></channel></rss>"""


@pytest.mark.parametrize("body", [BOMB, QUADRATIC, XXE], ids=["billion-laughs", "quadratic", "xxe"])
def test_entity_declarations_are_refused_before_parsing(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="entity declarations are not allowed"):
        parse_feed(body, FETCHED)


def test_entity_bomb_in_utf16_is_refused_too() -> None:
    with pytest.raises(FeedParseError, match="entity"):
        parse_feed(
            XXE.decode().replace('"1.0"?', '"1.0" encoding="utf-16"?').encode("utf-16"), FETCHED
        )


def test_plain_doctype_without_entities_is_fine() -> None:
    body = rss([{"title": "ok"}]).replace(
        b"<rss ",
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x">\n<rss ',
        1,
    )
    assert parse_feed(body, FETCHED).items[0].title == "ok"


def test_refusing_a_bomb_keeps_memory_flat() -> None:
    tracemalloc.start()
    try:
        for body in (BOMB, QUADRATIC, XXE):
            with pytest.raises(FeedParseError):
                parse_feed(body, FETCHED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(QUADRATIC) + 1_000_000  # expanded, QUADRATIC alone would be 1 GB
