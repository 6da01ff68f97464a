"""render.py, line by line: the exact text of each part in each language, so a changed word,
figure, plural or fallback is caught (tables checked by reading them once)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain import ChangeKind, Event, EventChange, Place, Severity, Source, Weapon
from bot.notify.render import (
    TELEGRAM_LIMIT,
    figures_line,
    place_line,
    render_alert,
    render_broadcast,
    render_event_line,
    render_update,
    source_link,
    time_label,
    what_line,
)
from tests.builders import KHARKIV, KRYVYI_RIH

WHEN = datetime(2025, 4, 4, 16, 2, tzinfo=UTC)  # 19:02 in Kyiv
BASE = Event(
    id="e1", version=1, places=(KRYVYI_RIH,), event_time=WHEN, first_seen=WHEN, last_seen=WHEN,
    weapon=Weapon.DRONE, killed=None, injured=None, severity=Severity.MEDIUM, sources=(),
    reasons=(),
)  # fmt: skip
FIGURES = {
    "fig_children_injured": {"injured": 7, "children_injured": 2},
    "fig_only_children_inj": {"children_injured": 3},
    "fig_only_children_killed": {"children_killed": 2},
    "fig_killed0": {"killed": 0},
    "fig_inj0": {"injured": 0},
    "fig_none": {},
    "fig_21_more": {"injured": 21, "injured_more": True},
    "fig_21": {"injured": 21},
    "fig_killed_more": {"killed": 10, "killed_more": True, "children_killed": 1},
    "fig_both": {"killed": 3, "injured": 12, "injured_more": True, "children_killed": 1,
                 "children_injured": 5},
}  # fmt: skip
REGION = Place(
    "UA", "UA-12", region_en="Dnipropetrovsk oblast", region_uk="Дніпропетровська область",
    region_ru="Днепропетровская область",
)  # fmt: skip
PLACES: dict[str, tuple[Place, ...]] = {
    "none": (),
    "region": (REGION,),
    "country": (Place("UA"),),
    "noname": (Place("UA", "UA-12", "UA-12:77", region_en="Dnipropetrovsk oblast"),),
    "onlyru": (Place("UA", "UA-12", "UA-12:78", name_ru="Где-то", region_ru="Область"),),
    "onlyuk": (Place("UA", "UA-12", "UA-12:79", name_uk="Десь", region_uk="Область УК"),),
    "multi": (REGION, KRYVYI_RIH, KHARKIV, Place("UA")),
    "anc": (KRYVYI_RIH, REGION, Place("UA")),
    "sy": (Place("SY"),),
    "xx": (Place("XX"),),
    "regcodeonly": (Place("UA", "UA-99"),),
    "nameless": (Place("UA", "UA-12", "UA-12:5"),),
}
BEFORE = replace(BASE, killed=14, injured=50, injured_more=True, children_killed=6)
UPDATES = {
    "killed": ({"killed": 19, "injured": 50, "injured_more": True, "children_killed": 9},
               ("killed", "children")),
    "injured": ({"killed": 14, "injured": 70, "children_injured": 8, "children_killed": 6},
                ("injured",)),
    "children": ({"killed": 14, "injured": 50, "injured_more": True, "children_killed": 8,
                  "children_injured": 3}, ("children",)),
    "weapon": ({"killed": 14, "weapon": Weapon.CRUISE_MISSILE}, ("weapon",)),
    "weapon_unknown": ({"killed": 14, "weapon": Weapon.UNKNOWN}, ("weapon",)),
    "killedmore": ({"killed": 20, "killed_more": True, "injured": 50, "injured_more": True},
                   ("killed",)),
}  # fmt: skip
FIG = [
    ("uk", "fig_21_more", "21+ поранених"),  # "more than 21" reads as many
    ("uk", "fig_21", "21 поранений"),
    ("en", "fig_children_injured", "7 injured, incl. 2 children"),
    ("en", "fig_only_children_inj", "3 children injured"),
    ("en", "fig_only_children_killed", "2 children killed"),
    ("en", "fig_killed0", "No casualties reported"),
    ("en", "fig_inj0", "No casualties reported"),
    ("en", "fig_none", ""),
    ("en", "fig_killed_more", "10+ killed, incl. 1 child"),
    ("en", "fig_both", "3 killed, incl. 1 child · 12+ injured, incl. 5 children"),
    ("uk", "fig_children_injured", "7 поранених, серед них 2 дитини"),
    ("uk", "fig_only_children_inj", "поранені 3 дитини"),
    ("uk", "fig_only_children_killed", "загинули 2 дитини"),
    ("uk", "fig_killed0", "Без повідомлень про загиблих чи поранених"),
    ("uk", "fig_inj0", "Без повідомлень про загиблих чи поранених"),
    ("uk", "fig_none", ""),
    ("uk", "fig_killed_more", "10+ загиблих, серед них 1 дитина"),
    ("uk", "fig_both", "3 загиблі, серед них 1 дитина · 12+ поранених, серед них 5 дітей"),
    ("ru", "fig_children_injured", "7 раненых, среди них 2 ребёнка"),
    ("ru", "fig_only_children_inj", "ранены 3 ребёнка"),
    ("ru", "fig_only_children_killed", "погибли 2 ребёнка"),
    ("ru", "fig_killed0", "Сообщений о погибших или раненых нет"),
    ("ru", "fig_inj0", "Сообщений о погибших или раненых нет"),
    ("ru", "fig_none", ""),
    ("ru", "fig_killed_more", "10+ погибших, среди них 1 ребёнок"),
    ("ru", "fig_both", "3 погибших, среди них 1 ребёнок · 12+ раненых, среди них 5 детей"),
]
PLACE = [
    ("en", "nameless", "Ukraine"),
    ("uk", "nameless", "Україна"),
    ("en", "none", "Place not stated"),
    ("en", "region", "Dnipropetrovsk oblast"),
    ("en", "country", "Ukraine"),
    ("en", "noname", "Dnipropetrovsk oblast"),
    ("en", "onlyru", "Где-то · Область"),
    ("en", "onlyuk", "Десь · Область УК"),
    ("en", "multi", "Kryvyi Rih · Dnipropetrovsk oblast +1 place"),
    ("en", "anc", "Kryvyi Rih · Dnipropetrovsk oblast"),
    ("en", "sy", "SY"),
    ("en", "xx", "XX"),
    ("en", "regcodeonly", "UA-99"),
    ("uk", "none", "Місце не вказано"),
    ("uk", "region", "Дніпропетровська область"),
    ("uk", "country", "Україна"),
    ("uk", "noname", "Dnipropetrovsk oblast"),
    ("uk", "onlyru", "Где-то · Область"),
    ("uk", "onlyuk", "Десь · Область УК"),
    ("uk", "multi", "Кривий Ріг · Дніпропетровська область +1 місце"),
    ("uk", "anc", "Кривий Ріг · Дніпропетровська область"),
    ("uk", "sy", "SY"),
    ("uk", "xx", "XX"),
    ("uk", "regcodeonly", "UA-99"),
    ("ru", "none", "Место не указано"),
    ("ru", "region", "Днепропетровская область"),
    ("ru", "country", "Украина"),
    ("ru", "noname", "Dnipropetrovsk oblast"),
    ("ru", "onlyru", "Где-то · Область"),
    ("ru", "onlyuk", "Десь · Область УК"),
    ("ru", "multi", "Кривой Рог · Днепропетровская область +1 место"),
    ("ru", "anc", "Кривой Рог · Днепропетровская область"),
    ("ru", "sy", "SY"),
    ("ru", "xx", "XX"),
    ("ru", "regcodeonly", "UA-99"),
]
TIME = [
    ("Africa/Abidjan", "16:02 Abidjan time (UTC+0)"),
    ("EST", "11:02 EST time (UTC−5)"),
    ("America/Argentina/Buenos_Aires", "13:02 Buenos Aires time (UTC−3)"),
    ("Europe/Kyiv", "19:02 Kyiv time"),
    ("UTC", "16:02 UTC"),
    ("America/New_York", "12:02 New York time (UTC−4)"),
    ("Asia/Kolkata", "21:32 Kolkata time (UTC+5:30)"),
    ("Asia/Kathmandu", "21:47 Kathmandu time (UTC+5:45)"),
    ("Europe/London", "17:02 London time (UTC+1)"),
    ("America/St_Johns", "13:32 St Johns time (UTC−2:30)"),
]
UPDATE = [
    ("en", "killed", "⬆️ Toll rises: 19 killed, incl. 9 children (was 14)"),
    ("uk", "killed", "⬆️ Кількість загиблих зросла до 19, серед них 9 дітей (було 14)"),
    ("ru", "killed", "⬆️ Число погибших выросло до 19, среди них 9 детей (было 14)"),
    ("en", "injured", "⬆️ Injured rise: 70 injured, incl. 8 children (was 50+)"),
    ("uk", "injured", "⬆️ Кількість поранених зросла до 70, серед них 8 дітей (було 50+)"),
    ("ru", "injured", "⬆️ Число раненых выросло до 70, среди них 8 детей (было 50+)"),
    ("en", "children", "⬆️ Children among the killed: 8 (was 6)\n⬆️ Children among the injured: 3"),
    (
        "uk",
        "children",
        "⬆️ Кількість загиблих дітей зросла до 8 (було 6)\n⬆️ Кількість поранених дітей зросла до 3",
    ),
    (
        "ru",
        "children",
        "⬆️ Число погибших детей выросло до 8 (было 6)\n⬆️ Число раненых детей выросло до 3",
    ),
    ("en", "weapon", "ℹ️ Weapon identified: cruise missile"),
    ("uk", "weapon", "ℹ️ Уточнено засіб ураження: крилата ракета"),
    ("ru", "weapon", "ℹ️ Уточнено средство поражения: крылатая ракета"),
    ("en", "weapon_unknown", ""),
    ("uk", "weapon_unknown", ""),
    ("ru", "weapon_unknown", ""),
    ("en", "killedmore", "⬆️ Toll rises: 20+ killed (was 14)"),
    ("uk", "killedmore", "⬆️ Кількість загиблих зросла до 20+ (було 14)"),
    ("ru", "killedmore", "⬆️ Число погибших выросло до 20+ (было 14)"),
]


@pytest.mark.parametrize(("lang", "case", "expected"), FIG)
def test_figures_line(lang: str, case: str, expected: str) -> None:
    assert figures_line(replace(BASE, **FIGURES[case]), lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "case", "expected"), PLACE)
def test_place_line(lang: str, case: str, expected: str) -> None:
    assert place_line(PLACES[case], lang) == expected


def test_long_names_are_clipped_to_80_characters_with_an_ellipsis() -> None:
    long = Place("UA", "UA-12", "UA-12:80", name_en="N" * 100, region_en="R " * 60)
    name, region = place_line((long,), "en").split(" · ")
    assert name == "N" * 79 + "…"
    assert region == ("R " * 40).rstrip() + "…"
    exact = Place("UA", "UA-12", "UA-12:81", name_en="N" * 80, region_en="R")
    assert place_line((exact,), "en") == "N" * 80 + " · R"
    spaced = Place("UA", "UA-12", "UA-12:82", name_en="N" * 78 + " " + "M" * 9, region_en="R")
    assert place_line((spaced,), "en") == "N" * 78 + "… · R"


@pytest.mark.parametrize(("zone", "expected"), TIME)
def test_time_label(zone: str, expected: str) -> None:
    assert time_label(WHEN, "en", ZoneInfo(zone)) == expected


@pytest.mark.parametrize(("lang", "case", "expected"), UPDATE)
def test_update_lines(lang: str, case: str, expected: str) -> None:
    fields, what = UPDATES[case]
    change = EventChange(
        ChangeKind.UPDATE,
        replace(BASE, **fields),
        previous=BEFORE,
        what_changed=what,  # type: ignore[arg-type]
    )
    assert render_update(change, lang, ZoneInfo("UTC")) == expected


def test_an_update_without_a_previous_version_says_no_was() -> None:
    change = EventChange(
        ChangeKind.UPDATE, replace(BASE, killed=3), previous=None, what_changed=("killed",)
    )
    assert render_update(change, "en", ZoneInfo("UTC")) == "⬆️ Toll rises: 3 killed"
    gone = EventChange(ChangeKind.UPDATE, None, previous=BEFORE, what_changed=("killed",))
    assert render_update(gone, "en", ZoneInfo("UTC")) == ""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (Source("", "https://www.example.org/x"),
         '<a href="https://www.example.org/x">www.example.org</a>'),
        (Source("", "ftp://files.example.org/x"), "files.example.org"),
        (Source("Name", "HTTP://Example.org/a?b=1&c=<2>"),
         '<a href="HTTP://Example.org/a?b=1&amp;c=&lt;2&gt;">Name</a>'),
        (Source("N" * 90, "https://e.org/" + "p" * 1100), "N" * 79 + "…"),
        (Source("", ""), "?"),
        (Source("  ", "http://["), "?"),
        (Source("A & B", "javascript:alert(1)"), "A &amp; B"),
        (Source("x", "https:///nohost"), "x"),
        (Source("Quote \"q\" 'a'", "https://e.org/\"x\""),
         "<a href=\"https://e.org/&quot;x&quot;\">Quote \"q\" 'a'</a>"),
    ],
)  # fmt: skip
def test_source_link(source: Source, expected: str) -> None:
    assert source_link(source) == expected


def test_event_line_for_latest() -> None:
    many = tuple(Source(f"S{i}", f"https://s{i}.example/") for i in range(5))
    assert render_event_line(
        replace(BASE, killed=2, sources=many), "en", ZoneInfo("Europe/Kyiv")
    ) == (
        "🟡 <b>Kryvyi Rih · Dnipropetrovsk oblast</b>\n04.04 19:02 · Drone attack · 2 killed\n"
        '<a href="https://s0.example/">S0</a>, <a href="https://s1.example/">S1</a>, '
        '<a href="https://s2.example/">S2</a> +2 sources'
    )


def test_broadcast_is_escaped_and_fits_even_when_every_character_is_an_entity() -> None:
    assert render_broadcast("  Fish & chips <tonight>  ", "en") == (
        "📢 <b>Message from the bot's admins</b>\n\nFish &amp; chips &lt;tonight&gt;"
    )
    header = "📢 <b>Повідомлення від адміністраторів бота</b>\n\n"
    text = render_broadcast("&" * 5000, "uk")
    assert text.startswith(header) and text.endswith("&amp;…")
    assert len(text) <= TELEGRAM_LIMIT and text.count("&amp;") > 800  # not cut to nothing
    plain = render_broadcast("a" * 5000, "en")
    assert len(plain) == TELEGRAM_LIMIT and plain.endswith("a…")
    fits = "b" * (TELEGRAM_LIMIT - len("📢 <b>Message from the bot's admins</b>") - 2)
    assert render_broadcast(fits, "en").endswith("b" * 10)


def test_an_alert_with_huge_parts_stays_under_the_limit() -> None:
    huge = tuple(Source("N" * 80, "https://e.org/" + "p" * 1000) for _ in range(3))
    long = Place("UA", "UA-12", "UA-12:80", name_en="N" * 100, region_en="R" * 100)
    text = render_alert(replace(BASE, sources=huge, places=(long,)), "en", ZoneInfo("UTC"))
    assert len(text) < TELEGRAM_LIMIT and text.count("<a href") == 3


@pytest.mark.parametrize(
    ("lang", "expected", "unknown"),
    [
        ("en", "Drone hit a residential area", "Drone attack"),
        ("uk", "Дрон влучив у житловий квартал", "Атака дронів"),
        ("ru", "Дрон попал в жилой квартал", "Атака дронов"),
    ],
)  # fmt: skip
def test_what_line_names_known_objects_without_filler(
    lang: str, expected: str, unknown: str
) -> None:
    objects = ("residential", "zzz_unknown", "school")
    assert what_line(replace(BASE, objects=objects), lang) == expected
    assert what_line(replace(BASE, objects=("zzz_unknown",)), lang) == unknown


def test_in_ukrainian_time_latest_and_counts() -> None:
    assert time_label(WHEN, "uk", ZoneInfo("America/New_York")) == "12:02 за часом New York (UTC−4)"
    many = tuple(Source(f"S{i}", f"https://s{i}.example/") for i in range(21))
    assert render_event_line(
        replace(BASE, killed=2, sources=many[:4]), "uk", ZoneInfo("Europe/Kyiv")
    ) == (
        "🟡 <b>Кривий Ріг · Дніпропетровська область</b>\n04.04 19:02 · Атака дронів · 2 загиблі\n"
        '<a href="https://s0.example/">S0</a>, <a href="https://s1.example/">S1</a>, '
        '<a href="https://s2.example/">S2</a> +1 джерело'
    )


def test_a_url_of_exactly_the_limit_is_still_a_link() -> None:
    url = "https://e.org/" + "p" * (1024 - len("https://e.org/"))
    assert source_link(Source("Long", url)).startswith('<a href="https://e.org/ppp')
    assert source_link(Source("Longer", url + "p")) == "Longer"


def test_children_lines_in_an_update_only_for_the_figure_that_rose() -> None:
    before = replace(BASE, killed=14, children_killed=6, children_injured=None)
    after = replace(before, version=2, children_injured=3)
    change = EventChange(ChangeKind.UPDATE, after, previous=before, what_changed=("children",))
    assert render_update(change, "en", ZoneInfo("UTC")) == "⬆️ Children among the injured: 3"
    first = replace(BASE, children_killed=1)
    change = EventChange(ChangeKind.UPDATE, first, previous=None, what_changed=("children",))
    assert render_update(change, "en", ZoneInfo("UTC")) == "⬆️ Children among the killed: 1"


def test_a_text_of_exactly_the_limit_is_kept_whole() -> None:
    from bot.notify.render import _fit

    lines = ["a" * 2047, "b" * 2048]  # 2,047 + newline + 2,048 = 4,096
    assert _fit(lines) == "\n".join(lines)
    assert _fit([*lines[:1], "b" * 2049]) == "a" * 2047 + "\n…"
