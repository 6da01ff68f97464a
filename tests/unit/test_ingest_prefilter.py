"""prefilter.py: items feedparser need not see are left out, and only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.ingest.identity import item_keys
from bot.ingest.parse import parse_feed
from bot.ingest.prefilter import confident_date, digest, filter_items, item_spans
from tests.fakes.feed_server import atom, rss

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CUT = NOW - timedelta(hours=3)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"Mon, 02 Mar 2026 09:30:00 GMT", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        (b"02 Mar 2026 11:30:00 +0200", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        (b"Mon, 2 Mar 2026 04:30 -0500", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        (b"  Mon, 02 Mar 2026 09:30:00 UT ", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        (b"<![CDATA[Mon, 02 Mar 2026 09:30:00 +0000]]>", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        (b"2026-03-02T09:30:00Z", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        (b"2026-03-02T12:30:00.123+03:00", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        (b"2026-03-02T12:30:00+0300", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        # not confident: a named zone parse.py reads its own way, no zone, other languages
        (b"Mon, 02 Mar 2026 09:30:00 EET", None),
        (b"Mon, 02 Mar 2026 09:30:00 EST", None),
        (b"Mon, 02 Mar 2026 09:30:00", None),
        (b"2026-03-02T09:30:00", None),
        (b"2026-03-02", None),
        (b"02.03.2026 09:30", None),
        ("2 березня 2026, 09:30".encode(), None),
        (b"Mon, 31 Feb 2026 09:30:00 GMT", None),  # no such day
        (b"2026-03-02T09:30:00+25:00", None),
        (b"", None),
    ],
)
def test_only_dates_with_an_explicit_zone_are_confident(raw: bytes, expected: object) -> None:
    assert confident_date(raw) == expected


def item(slug: str, minutes_ago: float, **extra: str) -> dict[str, str]:
    when = (NOW - timedelta(minutes=minutes_ago)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    return {"title": f"story {slug}", "link": f"https://n.example/{slug}", "guid": slug,
            "pubDate": when, **extra}  # fmt: skip


def titles(body: bytes, **kwargs: Any) -> list[str]:
    """Titles of the items feedparser read (the items left out as old come last)."""
    parsed = parse_feed(body, NOW, **kwargs)
    return [i.title for i in parsed.items[: len(parsed.items) - parsed.dropped_old] if i.title]


def test_first_poll_leaves_out_confidently_old_items_and_nothing_else() -> None:
    body = rss(
        [
            item("fresh", 10),
            item("edge", 179),  # within max_age: kept
            item("old", 600),
            item("old but updated", 600, dc_date="2026-03-02T11:00:00Z"),  # newest date counts
            {**item("named zone", 600), "pubDate": "Mon, 02 Mar 2026 02:00:00 EET"},
            item("half sure", 600, dc_date="02.03.2026 11:50"),  # one date is not confident
            {**item("undated", 0), "pubDate": ""},
            item("ancient", 60 * 24 * 30),
        ]
    )
    kept = titles(body, older_than=CUT)
    assert kept == ["story fresh", "story edge", "story old but updated", "story named zone",
                    "story half sure", "story undated"]  # fmt: skip
    full = titles(body)
    assert [t for t in full if t not in ("story old", "story ancient")] == kept
    parsed = parse_feed(body, NOW, older_than=CUT)
    assert parsed.dropped_old == 2
    # the items left out still come back with their date and identity: recorded as seen
    assert {k for ks in item_keys(1, parsed.items, "s") for k in ks} == {
        k for ks in item_keys(1, parse_feed(body, NOW).items, "s") for k in ks
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"guid": ("https://n.example/p", True)},  # a permalink GUID and no link: it is the link
        {"guid": ("opaque-1", False), "link": "https://n.example/a?x=1&amp;y=2"},
        {"guid": "<![CDATA[cdata-guid]]>"},
        {"link": "  https://n.example/spaced  "},
    ],
)
def test_an_old_item_keeps_the_identity_feedparser_gives_it(extra: dict[str, Any]) -> None:
    spec = {"title": "old story", "pubDate": "Mon, 02 Mar 2026 01:00:00 GMT", **extra}
    if "link" not in extra:
        spec.pop("link", None)
    body = rss([spec]).replace(b"&lt;![CDATA[cdata-guid]]&gt;", b"<![CDATA[cdata-guid]]>")
    body = body.replace(b"&amp;amp;", b"&amp;")
    full = parse_feed(body, NOW).items
    cut = parse_feed(body, NOW, older_than=CUT)
    assert cut.dropped_old == 1
    assert [(i.guid, i.link) for i in cut.items] == [(i.guid, i.link) for i in full]


def test_an_old_item_whose_identity_is_unclear_is_parsed() -> None:
    two_links = rss([{**item("x", 600), "extra": "<link>https://n.example/other</link>"}])
    assert parse_feed(two_links, NOW, older_than=CUT).dropped_old == 0
    no_identity = rss([{"title": "t", "pubDate": "Mon, 02 Mar 2026 01:00:00 GMT"}])
    assert parse_feed(no_identity, NOW, older_than=CUT).dropped_old == 0
    atom_related = atom([{"id": "a", "published": "2026-02-01T00:00:00Z"}]).replace(
        b"</entry>", b'<link rel="related" href="https://n.example/r"/></entry>'
    )
    assert parse_feed(atom_related, NOW, older_than=CUT).dropped_old == 0


def test_atom_entries_are_filtered_too() -> None:
    body = atom(
        [
            {"id": "a1", "title": "new", "published": "2026-03-02T11:50:00Z"},
            {"id": "a2", "title": "old", "published": "2026-02-20T11:50:00+02:00"},
        ]
    )
    assert titles(body, older_than=CUT) == ["new"]


@pytest.mark.parametrize(
    "body",
    [
        b"<rss><channel><item><title>a</title><item>nested</item></item></channel></rss>",
        b"<rss><channel><item><description><![CDATA[</item>]]></description></item></channel>"
        b"</rss>",
        b"<rss><channel><!-- <item> --><item><title>a</title></item></channel></rss>",
        b"<rss><channel><item/><item><title>a</title></item></channel></rss>",
        b"<rss><channel><item><title>a</title></channel></rss>",
        b"<rss><channel><item><title>a</title></entry></channel></rss>",
    ],
)
def test_a_document_that_cannot_be_split_safely_is_not_filtered(body: bytes) -> None:
    assert item_spans(body) is None
    assert filter_items(body, older_than=NOW) is None


def test_prefixed_item_tags_are_split() -> None:
    body = b"<rdf:RDF><rss:item>a</rss:item><rss:item>b</rss:item></rdf:RDF>"
    assert item_spans(body) == [(9, 31), (31, 53)]


def test_later_polls_skip_unchanged_items_but_parse_new_and_edited_ones() -> None:
    first = parse_feed(rss([item("a", 30), item("b", 60)]), NOW)
    assert first.digests is not None and len(first.digests) == 2
    edited_b = {**item("b", 60), "description": "now with a toll"}
    second_body = rss([item("c", 1), item("a", 30), edited_b])
    second = parse_feed(second_body, NOW, unchanged=first.digests)
    assert [i.title for i in second.items] == ["story c", "story b"]  # "a" is unchanged
    assert second.skipped_unchanged == 1
    assert second.other_dates == (NOW - timedelta(minutes=30),)  # a's date, for the scheduler
    assert second.digests is not None and len(second.digests) == 3  # the next poll knows all


def test_a_new_item_anywhere_in_the_document_is_parsed() -> None:
    first = parse_feed(rss([item("a", 1), item("b", 2), item("c", 3)]), NOW)
    assert first.digests is not None
    second = parse_feed(
        rss([item("a", 1), item("b", 2), item("inserted", 2), item("c", 3)]), NOW,
        unchanged=first.digests,
    )  # fmt: skip
    assert [i.title for i in second.items] == ["story inserted"]


def test_digests_are_of_the_item_bytes() -> None:
    assert digest(b"<item>a</item>") != digest(b"<item>b</item>")
    assert len(digest(b"<item>a</item>")) == 8
