"""Property tests of parse → classify → render on arbitrary text and feed documents.

* ``parse_feed`` raises nothing but :class:`FeedParseError`, whatever the bytes;
* ``Classifier.classify`` never raises and keeps its score in [0, 1];
* every message the renderers produce is Telegram HTML that Telegram accepts (the fake's
  strict checker), not empty, and within 4096 characters — for arbitrary Events: markup
  characters, quotes, emoji, right-to-left marks, very long names, non-http URLs.
"""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.classify import Classifier
from bot.cluster.cluster import ClusterConfig, cluster
from bot.cluster.fingerprint import report_tokens
from bot.domain import (
    ChangeKind,
    Event,
    EventChange,
    Place,
    Report,
    Severity,
    Source,
    Weapon,
)
from bot.errors import FeedParseError
from bot.geo import Gazetteer
from bot.ingest.parse import MAX_TITLE_CHARS, ParsedFeed, parse_feed
from bot.notify.render import (
    render_alert,
    render_broadcast,
    render_event_line,
    render_update,
)
from bot.notify.why import render_why
from tests.fakes.feed_server import atom, rss
from tests.fakes.telegram_html import parse_html

LIMIT = 4096
NOW = datetime(2026, 4, 4, 16, 0, tzinfo=UTC)
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- text ------------------------------------------------------------------------------------
NASTY = [
    "<", ">", "&", "&amp;", "&lt;b&gt;", "&#0;", "&#x110000;", "&bogus;", '"', "'", "<b>",
    "</a>", "<a href='x'>", "<script>alert(1)</script>", "<!--", "]]>", "😀", "🇺🇦", "👨‍👩‍👧",
    "\u202e", "\u200b", "\x00", "\r\n", "\t", "Кривий Ріг", "Харків", "Одеса", "Київ",
    "Kryvyi Rih", "Kharkiv", "UA-12", "*",
]  # fmt: skip
WORDS = [
    "killed", "injured", "wounded", "dead", "missile", "ballistic", "drone", "Shahed", "strike",
    "attack", "shelling", "glide bomb", "residential", "hospital", "school", "children", "child",
    "at least", "more than", "up to", "no", "not", "denied", "yesterday", "last year",
    "anniversary", "загинули", "загинуло", "поранено", "поранені", "дітей", "ракетний", "удар",
    "обстріл", "дрон", "щонайменше", "понад", "вчора", "погибли", "ранены", "удар по", "Харкову",
    "Кривому Розі", "Одесі", "Дніпрі", "Запоріжжя", "Kyiv", "Odesa", "Dnipro", "Zaporizhzhia",
    "Sumy", "Kherson", "Lviv", "oblast", "region", "two", "fourteen", "десятеро", "п'ятеро",
    "0", "1", "14", "50", "1000000", "99999999999999999999", "-3", "3.5", "1,200", "½", "%",
    "—", "…", ".", ",", "!", "?", "(", ")", "\n",
]  # fmt: skip
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
words = st.one_of(st.sampled_from(WORDS), st.sampled_from(NASTY), any_text)
prose = st.lists(words, max_size=50).map(" ".join)
long_text = st.builds(
    lambda piece, n: piece * n, st.sampled_from([*NASTY, "x", "Київ"]), st.integers(100, 6000)
)
field_text = st.one_of(any_text, st.sampled_from(NASTY), prose, long_text)
urls = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "https://example.org/a?b=1&c=<2>\"'",
            "http://example.org/" + "x" * 3000,
            "javascript:alert(1)",
            "data:text/html,<b>hi</b>",
            "ftp://example.org/file",
            "tg://resolve?domain=x",
            "//no-scheme.example/path",
            "https://",
            "http://[::1",
            "https://пример.укр/новини",
        ]
    ),
    field_text,
)
aware_times = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


# --- domain objects --------------------------------------------------------------------------
@st.composite
def places(draw: st.DrawFn) -> Place:
    country = draw(st.sampled_from(["UA", "PL", "RU", "XX", "", "<b>"]))
    region = draw(st.one_of(st.none(), st.sampled_from(["UA-12", "UA-63", "UA-99"]), any_text))
    settlement = draw(st.one_of(st.none(), st.just(f"{region}:1000001"), any_text))
    names = {
        f"{kind}_{lang}": draw(field_text)
        for kind in ("name", "region")
        for lang in ("en", "uk", "ru")
    }
    return Place(country=country, region_code=region, settlement_code=settlement, **names)


counts = st.one_of(st.none(), st.integers(0, 10**12))


@st.composite
def events(draw: st.DrawFn) -> Event:
    first_seen = draw(aware_times)
    return Event(
        id=draw(st.text(string.ascii_letters + string.digits + "_", min_size=1, max_size=30)),
        version=draw(st.integers(1, 10**6)),
        places=tuple(draw(st.lists(places(), max_size=6))),
        event_time=draw(aware_times),
        first_seen=first_seen,
        last_seen=first_seen + timedelta(seconds=draw(st.integers(0, 10**7))),
        weapon=draw(st.sampled_from(list(Weapon))),
        killed=draw(counts),
        injured=draw(counts),
        children_killed=draw(counts),
        children_injured=draw(counts),
        killed_more=draw(st.booleans()),
        injured_more=draw(st.booleans()),
        objects=tuple(
            draw(
                st.lists(
                    st.one_of(
                        st.sampled_from(
                            [
                                "residential",
                                "medical",
                                "education",
                                "energy",
                                "transport",
                                "industrial",
                                "other",
                                "religious",
                                "shop",
                            ]
                        ),
                        field_text,
                    ),
                    max_size=5,
                )
            )
        ),
        severity=draw(st.sampled_from(list(Severity))),
        sources=tuple(draw(st.lists(st.builds(Source, name=field_text, url=urls), max_size=30))),
        title=draw(field_text),
        reasons=tuple(draw(st.lists(field_text, max_size=30))),
    )


languages = st.sampled_from(["en", "uk", "ru", "de", "", "uk-UA", "<b>"])
zones = st.one_of(
    st.sampled_from(["Europe/Kyiv", "UTC", "America/St_Johns", "Asia/Kathmandu"]).map(ZoneInfo),
    st.timezone_keys().map(ZoneInfo),
)


def assert_telegram_accepts(message: str, *, may_be_empty: bool = False) -> None:
    """As Telegram's sendMessage with parse_mode=HTML would: parse, length, not empty."""
    assert len(message) <= LIMIT, len(message)
    text, _entities = parse_html(message)  # raises HtmlError where Telegram answers 400
    assert len(text) <= LIMIT
    if not may_be_empty:
        assert text.strip(), repr(message)


# --- render ----------------------------------------------------------------------------------
@PROPERTY
@given(event=events(), lang=languages, tz=zones)
def test_every_alert_and_event_line_is_valid_telegram_html(
    event: Event, lang: str, tz: ZoneInfo
) -> None:
    assert_telegram_accepts(render_alert(event, lang, tz))
    assert_telegram_accepts(render_event_line(event, lang, tz))
    assert_telegram_accepts(render_why(event, lang, tz))


@PROPERTY
@given(
    event=events(),
    previous=st.one_of(st.none(), events()),
    what=st.lists(
        st.one_of(st.sampled_from(["killed", "injured", "children", "weapon"]), any_text),
        max_size=5,
    ),
    lang=languages,
    tz=zones,
)
def test_every_update_is_valid_telegram_html(
    event: Event, previous: Event | None, what: list[str], lang: str, tz: ZoneInfo
) -> None:
    change = EventChange(ChangeKind.UPDATE, event, previous=previous, what_changed=tuple(what))
    assert_telegram_accepts(render_update(change, lang, tz), may_be_empty=True)


@PROPERTY
@given(text=st.one_of(field_text, st.text(min_size=4000, max_size=9000)), lang=languages)
def test_every_broadcast_is_valid_telegram_html(text: str, lang: str) -> None:
    assert_telegram_accepts(render_broadcast(text, lang))


# --- parse -----------------------------------------------------------------------------------
item_fields = st.fixed_dictionaries(
    {},
    optional={
        "title": field_text,
        "link": urls,
        "guid": st.one_of(field_text, st.tuples(field_text, st.booleans())),
        "description": field_text,
        "pubDate": st.one_of(
            st.sampled_from(
                [
                    "Sat, 04 Apr 2026 15:00:00 +0300",
                    "04.04.2026 18:00",
                    "4 квітня 2026",
                    "Sun, 31 Dec 9999 23:59:59 GMT",
                    "0001-01-01",
                    "yesterday",
                    "2026-13-45",
                    "Tue, 10 Jun 2003 04:00:00 EEST",
                    "99999999999999999999",
                ]
            ),
            any_text,
        ),
        "extra": st.sampled_from(["", "<category>x</category>", "<x:y>", "<![CDATA[<b>]]>"]),
    },
)
documents = st.one_of(
    st.lists(item_fields, max_size=8).map(rss),
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "id": field_text,
                "title": field_text,
                "summary": field_text,
                "link": urls,
                "published": any_text,
                "updated": any_text,
            },
        ),
        max_size=6,
    ).map(atom),
)
JUNK = [
    b"", b"   ", b"\x00\x00", b"\xff\xfe<\x00r\x00s\x00s\x00", b"\xef\xbb\xbf",
    b"<!DOCTYPE rss [<!ENTITY a 'aaaa'>]>", b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="koi8-r"?>', b"<html><body>", b"</channel>", b"<![CDATA[",
    b"&lol;", b"\xc3\x28", b"<item>", b"<rss version='2.0'>",
]  # fmt: skip


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    body = draw(documents)
    cut = draw(st.integers(0, len(body)))
    junk = draw(st.sampled_from(JUNK))
    how = draw(st.sampled_from(["truncate", "prefix", "insert", "as is"]))
    if how == "truncate":
        return body[:cut]
    if how == "prefix":
        return junk + body
    if how == "insert":
        return body[:cut] + junk + body[cut:]
    return body


feed_bytes = st.one_of(documents, mangled(), st.binary(max_size=2000))


def parse_or_refuse(body: bytes) -> ParsedFeed | None:
    try:
        return parse_feed(body, NOW)
    except FeedParseError:
        return None  # the one error a feed may raise


@PROPERTY
@given(body=feed_bytes)
def test_parse_raises_only_feed_parse_error(body: bytes) -> None:
    parsed = parse_or_refuse(body)
    if parsed is None:
        return
    for item in parsed.items:
        assert item.published.tzinfo is not None and item.published <= NOW
        assert len(item.title) <= MAX_TITLE_CHARS


# --- classify, and the whole chain -----------------------------------------------------------
@pytest.fixture(scope="module")
def classifier(gazetteer: Gazetteer) -> Classifier:
    return Classifier(gazetteer)


@PROPERTY
@given(
    title=st.one_of(prose, field_text),
    text=st.one_of(prose, field_text),
    lang=st.sampled_from([None, "", "en", "uk", "ru", "de", "zz-ZZ"]),
    published=st.one_of(st.none(), aware_times),
)
def test_classify_never_raises(
    classifier: Classifier, title: str, text: str, lang: str | None, published: datetime | None
) -> None:
    report = classifier.classify(title, text, lang, published, NOW)
    assert isinstance(report, Report)
    assert 0.0 <= report.score <= 1.0


def event_from(report: Report, title: str, source: Source, now: datetime) -> Event:
    """What the real cluster stage makes of a first report (forced to count as a strike)."""
    strike = replace(report, is_civilian_strike=True, is_old=False, event_time=None)
    change = cluster(
        strike, report_tokens(title, ""), source, now, title, (), ClusterConfig(), "ev_property"
    )
    assert change.event is not None
    return change.event


strike_items = st.lists(
    st.fixed_dictionaries(
        {"title": prose, "description": prose},
        optional={"link": urls, "pubDate": st.just("Sat, 04 Apr 2026 15:00:00 +0300")},
    ),
    min_size=1,
    max_size=5,
)


@PROPERTY
@given(items=strike_items, feed_title=field_text, lang=languages, tz=zones)
def test_parse_classify_render_chain(
    classifier: Classifier, items: list[dict[str, Any]], feed_title: str, lang: str, tz: ZoneInfo
) -> None:
    parsed = parse_or_refuse(rss(items, title=feed_title))
    assume(parsed is not None)
    assert parsed is not None
    for item in parsed.items:
        report = classifier.classify(item.title, item.text, "en", item.published, NOW)
        event = event_from(report, item.title, Source(parsed.title, item.link), NOW)
        assert_telegram_accepts(render_alert(event, lang, tz))
        assert_telegram_accepts(render_event_line(event, lang, tz))
