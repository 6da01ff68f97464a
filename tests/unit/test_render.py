"""What a subscriber reads: the alert, the update line, /latest, "why", broadcasts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain import ChangeKind, Event, EventChange, Place, Severity, Source, Weapon
from bot.i18n import catalog, language, plural_form, t, t_html
from bot.notify.render import (
    TELEGRAM_LIMIT,
    render_alert,
    render_broadcast,
    render_event_line,
    render_update,
)
from bot.notify.why import render_why
from tests.builders import KRYVYI_RIH

KYIV = ZoneInfo("Europe/Kyiv")
DNIPRO_OBLAST = Place(
    "UA", "UA-12", region_en="Dnipropetrovsk oblast", region_uk="Дніпропетровська область"
)
WHEN = datetime(2025, 4, 4, 16, 2, tzinfo=UTC)  # 19:02 in Kyiv (summer time)
SOURCES = (
    Source("Ukrinform", "https://www.ukrinform.net/a"),
    Source("Suspilne", "https://suspilne.media/b"),
    Source("Hromadske", "https://hromadske.ua/c"),
    Source("RBC", "https://rbc.ua/d"),
    Source("NV", "https://nv.ua/e"),
    Source("Dnipro TV", "https://dnipro.tv/f"),
)
EVENT = Event(
    id="e1",
    version=1,
    places=(KRYVYI_RIH,),
    event_time=WHEN,
    first_seen=WHEN,
    last_seen=WHEN,
    weapon=Weapon.BALLISTIC_MISSILE,
    killed=14,
    injured=50,
    children_killed=6,
    injured_more=True,
    objects=("residential",),
    severity=Severity.CRITICAL,
    sources=SOURCES[:5],
    reasons=("killed", "ballistic missile"),
)


def test_alert_in_english_matches_the_ux_layout() -> None:
    lines = render_alert(EVENT, "en", KYIV).split("\n")
    assert lines[:3] == [
        "🔴 Kryvyi Rih · Dnipropetrovsk oblast",
        "Ballistic missile hit a residential area",
        "14 killed, incl. 6 children · 50+ injured",
    ]
    assert lines[3].startswith("19:02 Kyiv time · ")
    assert '<a href="https://www.ukrinform.net/a">Ukrinform</a>' in lines[3]
    assert lines[3].count("<a ") == 3
    assert lines[3].endswith(" +2 sources")


def test_alert_in_ukrainian_matches_the_ux_layout() -> None:
    event = replace(EVENT, sources=SOURCES)
    lines = render_alert(event, "uk-UA", KYIV).split("\n")
    assert lines[:3] == [
        "🔴 Кривий Ріг · Дніпропетровська область",
        "Балістична ракета влучила в житловий квартал",
        "14 загиблих, серед них 6 дітей · 50+ поранених",
    ]
    assert lines[3].startswith("19:02 за Києвом · ")
    assert lines[3].endswith(" +3 джерела")


def test_unknown_weapon_no_figures_region_only() -> None:
    event = replace(
        EVENT,
        places=(DNIPRO_OBLAST,),
        weapon=Weapon.UNKNOWN,
        objects=(),
        killed=None,
        injured=None,
        children_killed=None,
        severity=Severity.LOW,
        sources=SOURCES[:1],
    )
    text = render_alert(event, "en", KYIV)
    assert text.split("\n") == [
        "⚪ Dnipropetrovsk oblast",
        "Strike",
        '19:02 Kyiv time · <a href="https://www.ukrinform.net/a">Ukrinform</a>',
    ]
    assert render_alert(event, "uk", KYIV).split("\n")[:2] == [
        "⚪ Дніпропетровська область",
        "Удар",
    ]


def test_country_only_place_shows_the_country_name() -> None:
    event = replace(EVENT, places=(Place("UA"),))
    assert render_alert(event, "uk", KYIV).startswith("🔴 Україна\n")


def test_other_time_zones_are_labelled() -> None:
    line = render_alert(EVENT, "en", ZoneInfo("America/New_York")).split("\n")[3]
    assert line.startswith("12:02 New York time (UTC−4)")
    assert render_alert(EVENT, "en", ZoneInfo("UTC")).split("\n")[3].startswith("16:02 UTC")


@pytest.mark.parametrize(
    ("killed", "injured", "expected"),
    [
        (1, 1, "1 загиблий · 1 поранений"),
        (2, 3, "2 загиблі · 3 поранені"),
        (5, 11, "5 загиблих · 11 поранених"),
        (21, 22, "21 загиблий · 22 поранені"),
        (12, 14, "12 загиблих · 14 поранених"),
        (111, 104, "111 загиблих · 104 поранені"),
    ],
)
def test_ukrainian_plurals(killed: int, injured: int, expected: str) -> None:
    event = replace(EVENT, killed=killed, injured=injured, injured_more=False, children_killed=None)
    assert render_alert(event, "uk", KYIV).split("\n")[2] == expected


def test_ukrainian_plurals_of_children_and_sources() -> None:
    assert t("uk", "alert.incl_children", num=1, n=1) == ", серед них 1 дитина"
    assert t("uk", "alert.incl_children", num=3, n=3) == ", серед них 3 дитини"
    assert t("uk", "alert.incl_children", num=6, n=6) == ", серед них 6 дітей"
    assert [t("uk", "alert.more_sources", num=n, n=n) for n in (1, 2, 5, 21)] == [
        "+1 джерело",
        "+2 джерела",
        "+5 джерел",
        "+21 джерело",
    ]
    assert [plural_form("uk", n) for n in (0, 1, 4, 11, 14, 22, 25)] == [
        "many",
        "one",
        "few",
        "many",
        "many",
        "few",
        "many",
    ]


def test_english_singular() -> None:
    event = replace(EVENT, killed=None, children_killed=1, injured=None, sources=SOURCES)
    lines = render_alert(event, "en", KYIV).split("\n")
    assert lines[2] == "1 child killed"
    assert lines[3].endswith("+3 sources")


def test_outside_text_is_escaped_and_only_web_links_are_made() -> None:
    nasty = Place("UA", "UA-12", "UA-12:1", name_en="<script>alert(1)</script>", region_en="A & B")
    event = replace(
        EVENT,
        places=(nasty,),
        title="<script>alert(1)</script>",
        sources=(
            Source("<b>Bold</b>", 'https://x.example/?q="><script>'),
            Source("Evil", "javascript:alert(1)"),
        ),
        reasons=("<img src=x>",),
    )
    for text in (
        render_alert(event, "en", KYIV),
        render_event_line(event, "en", KYIV),
        render_why(event, "en", KYIV),
    ):
        assert "<script>" not in text and "<b>Bold" not in text and "<img" not in text
        assert "javascript:" not in text
        assert "&lt;script&gt;" in text or "&lt;b&gt;" in text
    alert = render_alert(event, "en", KYIV)
    assert (
        '<a href="https://x.example/?q=&quot;&gt;&lt;script&gt;">&lt;b&gt;Bold&lt;/b&gt;</a>'
        in alert
    )
    assert "Evil" in alert and "A &amp; B" in alert


def test_messages_stay_under_telegram_limit() -> None:
    many = tuple(Source("N" * 500, "https://e.example/" + "p" * 900) for _ in range(200))
    event = replace(EVENT, sources=many, reasons=tuple("r" * 300 + str(i) for i in range(50)))
    for text in (
        render_alert(event, "uk", KYIV),
        render_why(event, "uk", KYIV),
        render_event_line(event, "en", KYIV),
        render_broadcast("<&>" * 5000, "en"),
    ):
        assert len(text) < TELEGRAM_LIMIT
        assert text.count("<a ") == text.count("</a>")
        assert "&lt" not in text[-4:] and not text.endswith("&")


def update(before: Event, after: Event, *changed: str) -> EventChange:
    return EventChange(ChangeKind.UPDATE, after, before, changed)


def test_update_line_says_what_rose() -> None:
    after = replace(EVENT, killed=19, children_killed=9, version=2)
    change = update(EVENT, after, "killed", "children")
    assert render_update(change, "en", KYIV) == "⬆️ Toll rises: 19 killed, incl. 9 children (was 14)"
    assert render_update(change, "uk", KYIV) == (
        "⬆️ Кількість загиблих зросла до 19, серед них 9 дітей (було 14)"
    )


def test_update_lines_for_injured_children_and_weapon() -> None:
    before = replace(EVENT, weapon=Weapon.UNKNOWN, injured=30, injured_more=False)
    after = replace(EVENT, children_killed=7)
    text = render_update(update(before, after, "injured", "children", "weapon"), "en", KYIV)
    assert text.split("\n") == [
        "⬆️ Children among the killed: 7 (was 6)",
        "⬆️ Injured rise: 50+ injured (was 30)",
        "ℹ️ Weapon identified: ballistic missile",
    ]


def test_event_line_for_latest() -> None:
    text = render_event_line(EVENT, "en", KYIV)
    assert text.startswith("🔴 <b>Kryvyi Rih · Dnipropetrovsk oblast</b>\n04.04 19:02 · ")
    assert "14 killed, incl. 6 children" in text and "+2 sources" in text


def test_why_without_stored_reports_lists_the_event_sources() -> None:
    text = render_why(replace(EVENT, sources=SOURCES), "uk", KYIV)
    assert text.startswith("<b>Чому це сповіщення?</b>")
    assert "killed" not in text and "cue:" not in text  # no raw tags, no English
    assert text.count("<a ") == len(SOURCES)


def test_the_summary_line_names_what_was_hit_or_says_less() -> None:
    shelling = replace(EVENT, weapon=Weapon.ARTILLERY, objects=("civilian",))
    assert render_alert(shelling, "en", KYIV).split("\n")[1] == "Shelling"
    assert render_alert(shelling, "uk", KYIV).split("\n")[1] == "Артилерійський обстріл"
    both = replace(shelling, objects=("residential", "civilian", "infrastructure"))
    assert render_alert(both, "en", KYIV).split("\n")[1] == "Shelling hit a residential area"
    vague = replace(shelling, objects=("infrastructure",))
    assert "civilian infrastructure" in render_alert(vague, "en", KYIV)


def test_broadcast_is_marked_and_escaped() -> None:
    text = render_broadcast("Maintenance <b>tonight</b> & tomorrow", "en")
    assert text.startswith("📢 <b>Message from the bot's admins</b>\n\n")
    assert text.endswith("Maintenance &lt;b&gt;tonight&lt;/b&gt; &amp; tomorrow")
    assert render_broadcast("x", "uk").startswith("📢 <b>Повідомлення від адміністраторів бота</b>")


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    en, uk = catalog("en"), catalog("uk")
    missing = (set(en) - set(uk)) - {k for k in en if k.startswith("objd.")}
    assert not missing
    for key, entry in uk.items():
        if key.startswith("objd.") or key.startswith("hit."):
            continue
        reference = en[key]
        ref_text = reference if isinstance(reference, str) else " ".join(reference.values())
        texts = [entry] if isinstance(entry, str) else list(entry.values())
        for text in texts:
            for name in ("{num}", "{place}", "{query}", "{count}", "{value}", "{was}"):
                assert (name in text) == (name in ref_text), (key, name)


def test_lookup_falls_back_to_english_and_escapes_on_request() -> None:
    assert language("de") == "en" and language("uk_UA") == "uk" and language(None) == "en"
    assert t("de", "start.choose") == "Choose your region:"
    assert t("uk", "no.such.key") == "no.such.key"
    assert t_html("en", "sub.done", place="<Kyiv>").startswith("✅ Subscribed to &lt;Kyiv&gt;.")
    for lang in ("en", "uk"):
        help_text = t(lang, "help")
        for command in (
            "/subscribe",
            "/unsubscribe",
            "/mysubs",
            "/latest",
            "/settings",
            "/stop",
            "/help",
        ):
            assert command in help_text


def test_alert_in_russian_uses_russian_place_names() -> None:
    event = replace(EVENT, sources=SOURCES)
    lines = render_alert(event, "ru-RU", KYIV).split("\n")
    assert lines[:3] == [
        "🔴 Кривой Рог · Днепропетровская область",
        "Баллистическая ракета попала в жилой квартал",
        "14 погибших, среди них 6 детей · 50+ раненых",
    ]
    assert lines[3].startswith("19:02 по Киеву · ")
    assert lines[3].endswith(" +3 источника")


def test_russian_place_names_fall_back_to_ukrainian_then_english() -> None:
    no_ru = replace(KRYVYI_RIH, name_ru="", region_ru="")
    event = replace(EVENT, places=(no_ru,))
    assert render_alert(event, "ru", KYIV).startswith("🔴 Кривий Ріг · Дніпропетровська область\n")
    english_only = Place("UA", "UA-12", "UA-12:1", "Kryvyi Rih", region_en="Dnipropetrovsk oblast")
    event = replace(EVENT, places=(english_only,))
    assert render_alert(event, "ru", KYIV).startswith("🔴 Kryvyi Rih · Dnipropetrovsk oblast\n")
    assert render_alert(replace(EVENT, places=(DNIPRO_OBLAST,)), "ru", KYIV).startswith(
        "🔴 Дніпропетровська область\n"
    )


def test_russian_update_and_unknown_target_line() -> None:
    event = replace(EVENT, weapon=Weapon.UNKNOWN, objects=("medical",))
    assert render_alert(event, "ru", KYIV).split("\n")[1] == "Удар по больнице"
    after = replace(EVENT, version=2, killed=19, children_killed=9)
    line = render_update(update(EVENT, after, "killed", "children"), "ru", KYIV)
    assert line == "⬆️ Число погибших выросло до 19, среди них 9 детей (было 14)"


def test_dry_run_prints_plain_text() -> None:
    from bot.notify.dry_run import plain_text

    message = render_alert(
        replace(EVENT, sources=(Source("A & B", "https://e.example/?a=1&b=2"),)), "en", KYIV
    )
    text = plain_text(message)
    assert "A & B <https://e.example/?a=1&b=2>" in text
    assert "<a" not in text and "&amp;" not in text
    assert plain_text("<b>x</b> &lt;y&gt;") == "x <y>"
