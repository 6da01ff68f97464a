"""identity.py: the same story is one story; a different story is never swallowed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.ingest.identity import canonical_url, is_real_guid, item_keys, triage
from bot.ingest.parse import ParsedItem

NOW = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(minutes=180)


def item(
    guid: str = "",
    link: str = "",
    title: str = "t",
    published: datetime = NOW,
    dated: bool = True,
) -> ParsedItem:
    return ParsedItem(guid=guid, link=link, title=title, text="", published=published, dated=dated)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://News.Example.COM:443/a/b?id=7#comments", "https://news.example.com/a/b?id=7"),
        ("http://e.com:80/x", "http://e.com/x"),
        ("http://e.com:8080/x", "http://e.com:8080/x"),
        (
            "https://e.com/a?utm_source=tg&id=1&fbclid=XYZ&utm_campaign=c&gclid=1",
            "https://e.com/a?id=1",
        ),
        ("https://e.com", "https://e.com/"),
        ("  https://e.com/a  ", "https://e.com/a"),
        ("ftp://e.com/a", None),
        ("javascript:alert(1)", None),
        ("/relative/path", None),
        ("http://e.com:99999/", None),
    ],
)
def test_canonical_url(raw: str, canonical: str | None) -> None:
    assert canonical_url(raw) == canonical


def keys_of(*items: ParsedItem, feed_id: int = 1, source: str = "Src") -> list[tuple[str, ...]]:
    return item_keys(feed_id, list(items), source)


def test_same_story_via_tracking_link_or_other_scheme_has_the_same_url_key() -> None:
    a = keys_of(item(link="https://e.com/story-1?utm_source=rss"))[0]
    b = keys_of(item(link="http://E.com/story-1#top"), feed_id=2)[0]
    assert a[0].startswith("url:")
    assert a[0] == b[0]


def test_different_stories_never_share_a_key() -> None:
    keys = keys_of(
        item(guid="g-1", link="https://e.com/1"),
        item(guid="g-2", link="https://e.com/2"),
        item(title="only a title"),
        item(title="another title"),
    )
    flat = [k for ks in keys for k in ks]
    assert len(flat) == len(set(flat)) == 6


def test_guid_keys_belong_to_one_feed_url_keys_to_all() -> None:
    first = keys_of(item(guid="abc-1", link="https://e.com/1"), feed_id=1)[0]
    second = keys_of(item(guid="abc-1", link="https://e.com/1"), feed_id=2)[0]
    assert {k for k in first if k.startswith("guid:")}.isdisjoint(second)
    assert {k for k in first if k.startswith("url:")} == {k for k in second if k.startswith("url:")}


def test_permalink_guid_adds_no_second_key() -> None:
    (keys,) = keys_of(item(guid="https://e.com/1", link="https://e.com/1?utm_source=x"))
    assert [k.split(":")[0] for k in keys] == ["url"]


def test_bare_integer_guid_is_not_an_identity() -> None:
    (keys,) = keys_of(item(guid="12345", link="https://e.com/1"))
    assert [k.split(":")[0] for k in keys] == ["url"]


def test_home_page_links_and_shared_links_do_not_identify_items() -> None:
    keys = keys_of(
        item(title="A", link="https://e.com/"),
        item(title="B", link="https://e.com/same"),
        item(title="C", link="https://e.com/same"),
    )
    assert all(k.startswith("hash:") for ks in keys for k in ks)
    assert len({ks[0] for ks in keys}) == 3


def test_shared_guid_is_ignored_but_url_still_counts() -> None:
    keys = keys_of(
        item(guid="same", link="https://e.com/1"), item(guid="same", link="https://e.com/2")
    )
    assert all(len(ks) == 1 and ks[0].startswith("url:") for ks in keys)


def test_item_with_nothing_has_no_key() -> None:
    assert keys_of(item(title=""))[0] == ()


def test_keys_fit_the_column() -> None:
    (keys,) = keys_of(item(guid="g" * 2000, link="https://e.com/" + "p" * 3000), feed_id=10**9)
    assert all(len(k) <= 128 for k in keys)


def decide(items: list[ParsedItem], seen: set[str], first_poll: bool = False) -> tuple[int, ...]:
    keys = item_keys(1, items, "Src")
    return triage(items, keys, seen, first_poll=first_poll, fetched_at=NOW, max_age=MAX_AGE).fresh


def test_bumped_guid_on_same_url_is_not_new_and_its_new_key_is_recorded() -> None:
    before = [item(guid="v1", link="https://e.com/1")]
    seen = set(keys_of(*before)[0])
    after = [item(guid="v2", link="https://e.com/1?utm_medium=x")]
    keys = item_keys(1, after, "Src")
    decided = triage(after, keys, seen, first_poll=False, fetched_at=NOW, max_age=MAX_AGE)
    assert decided.fresh == ()
    assert decided.known == 1
    assert any(k.startswith("guid:") for k in decided.record)


def test_redated_item_is_not_new() -> None:
    seen = set(
        keys_of(item(guid="g", link="https://e.com/1", published=NOW - timedelta(days=2)))[0]
    )
    assert decide([item(guid="g", link="https://e.com/1", published=NOW)], seen) == ()


def test_first_poll_lets_only_recent_dated_items_through() -> None:
    items = [
        item(guid="recent", published=NOW - timedelta(minutes=30)),
        item(guid="old", published=NOW - timedelta(days=3)),
        item(guid="undated", dated=False),
    ]
    assert decide(items, set(), first_poll=True) == (0,)


def test_later_polls_let_undated_new_items_through_but_not_old_ones() -> None:
    items = [
        item(guid="undated", dated=False),
        item(guid="old", published=NOW - timedelta(hours=4)),
    ]
    assert decide(items, set()) == (0,)


def test_duplicate_within_one_document_goes_through_once() -> None:
    items = [item(title="same headline"), item(title="same headline")]
    assert decide(items, set()) == (0,)


def test_a_reused_guid_with_a_new_link_and_a_new_title_is_a_new_story() -> None:
    seen = set(keys_of(item(guid="story", link="https://e.com/1", title="Dam repaired"))[0])
    reused = item(guid="story", link="https://e.com/2", title="Drone hits a school in Sumy")
    assert decide([reused], seen) == (0,)


def test_a_guid_whose_link_moved_but_title_stayed_is_known() -> None:
    seen = set(keys_of(item(guid="story", link="https://e.com/1", title="Dam  repaired"))[0])
    moved = item(guid="story", link="https://e.com/news/1", title="dam repaired")
    assert decide([moved], seen) == ()


def test_a_guid_only_item_with_an_edited_title_is_known() -> None:
    seen = set(keys_of(item(guid="story", title="Dam repaired"))[0])
    assert decide([item(guid="story", title="Dam repaired, mayor says")], seen) == ()


def test_an_edited_title_on_the_same_link_is_known() -> None:
    seen = set(keys_of(item(guid="story", link="https://e.com/1", title="Dam repaired"))[0])
    edited = item(guid="story", link="https://e.com/1?utm_source=x", title="Dam is repaired")
    assert decide([edited], seen) == ()


def test_keys_are_the_kind_then_a_128_bit_hash() -> None:
    (keys,) = keys_of(item(guid="g-9", link="https://e.com/9"), feed_id=7)
    url_key, guid_key = keys
    assert re.fullmatch(r"url:[0-9a-f]{32}", url_key)
    assert re.fullmatch(r"guid:7:[0-9a-f]{32}", guid_key)


def test_a_lone_surrogate_in_a_guid_still_gets_a_key() -> None:
    (keys,) = keys_of(item(guid="bad-\ud800-guid", link="https://e.com/s"))
    assert len(keys) == 2


def test_same_path_on_other_hosts_or_ports_is_another_story() -> None:
    keys = [
        keys_of(item(link=link))[0][0]
        for link in (
            "http://a.example:8080/news/1", "http://b.example:8080/news/1",
            "http://a.example:9090/news/1", "http://a.example/news/1",
        )
    ]  # fmt: skip
    assert len(set(keys)) == 4


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("http://E.com./a", "http://e.com/a"),
        ("http://news.x./a", "http://news.x/a"),
        ("http://e.com:65535/a", "http://e.com:65535/a"),
        ("http://e.com:65536/a", None),
        ("https://e.com/a?b=1&utm_medium=x&c=2", "https://e.com/a?b=1&c=2"),
        ("https://e.com/a?utm_source=x=y&id=1", "https://e.com/a?id=1"),
        ("https://e.com/a?fbclid=x=y&id=1", "https://e.com/a?id=1"),
    ],
)
def test_canonical_url_edges(raw: str, canonical: str | None) -> None:
    assert canonical_url(raw) == canonical


def test_a_guid_of_2048_characters_is_real_and_one_longer_is_not() -> None:
    assert is_real_guid("g" * 2048) and not is_real_guid("g" * 2049)


def test_an_http_guid_that_is_not_the_items_link_is_its_own_key() -> None:
    (keys,) = keys_of(item(guid="https://e.com/other", link="https://e.com/1"))
    assert [k.split(":")[0] for k in keys] == ["url", "guid"]


def test_triage_goes_on_after_keyless_and_known_items_and_counts_every_known_one() -> None:
    items = [
        item(title=""),  # no key at all
        item(guid="old-1", link="https://e.com/old1"),
        item(guid="old-2", link="https://e.com/old2"),
        item(guid="new", link="https://e.com/new"),
    ]
    seen = {k for ks in item_keys(1, items[1:3], "Src") for k in ks}
    keys = item_keys(1, items, "Src")
    decided = triage(items, keys, seen, first_poll=False, fetched_at=NOW, max_age=MAX_AGE)
    assert decided.fresh == (3,) and decided.known == 2


def test_an_item_exactly_max_age_old_is_still_fresh() -> None:
    assert decide([item(guid="edge", published=NOW - MAX_AGE)], set()) == (0,)
