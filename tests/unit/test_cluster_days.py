"""Time as the classifier reads it: a day named without a part of it is the whole day, and two
reports a day apart with no stated time are two strikes.

Every report here is written for this test (no outside text); the store is test_cluster.py's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.classify.lexicon import load_lexicon
from bot.classify.text import normalise
from bot.classify.timecues import day_only, event_time
from bot.classify.tokens import tokenize
from bot.domain import ChangeKind, Place, Weapon
from tests.unit.test_cluster import KHARKIV, Store, strike

KYIV = ZoneInfo("Europe/Kyiv")
# 14 June 2025 in Kharkiv (UTC+3 in summer)
NIGHT = datetime(2025, 6, 14, 0, 30, tzinfo=KYIV).astimezone(UTC)  # a part of the day: a point
DAY = datetime(2025, 6, 14, 12, 0, tzinfo=KYIV).astimezone(UTC)  # "on Saturday": the whole day


def test_a_report_naming_only_the_day_joins_the_night_strike_of_that_day() -> None:
    store = Store()
    night = store.feed(
        strike((KHARKIV,), Weapon.DRONE, injured=3, event_time=NIGHT),
        title="Drones hit a block of flats in Kharkiv overnight",
        published=NIGHT + timedelta(hours=1),
    )
    day = store.feed(
        strike((KHARKIV,), Weapon.DRONE, injured=9, event_time=DAY),
        title="Saturday's raid on Kharkiv: nine hurt",
        published=DAY + timedelta(hours=5),
    )
    assert [night.kind, day.kind] == [ChangeKind.NEW, ChangeKind.UPDATE]
    assert len(store.events) == 1
    assert day.event is not None and day.event.event_time == NIGHT


def test_an_event_known_only_by_its_day_takes_the_hour_a_later_report_names() -> None:
    store = Store()
    store.feed(
        strike((KHARKIV,), Weapon.DRONE, injured=3, event_time=DAY),
        title="Kharkiv hit on Saturday",
        published=DAY + timedelta(hours=6),
    )
    later = store.feed(
        strike((KHARKIV,), Weapon.DRONE, injured=3, event_time=NIGHT),
        title="The night raid on Kharkiv in detail",
        published=DAY + timedelta(hours=8),
    )
    assert later.kind is ChangeKind.DUPLICATE
    assert later.event is not None and later.event.event_time == NIGHT


def test_one_city_struck_on_two_days_without_stated_times_is_two_alerts() -> None:
    store = Store()
    first = store.feed(
        strike((KHARKIV,), Weapon.ARTILLERY, injured=2),
        title="Shells land in central Kharkiv, homes damaged",
        published=NIGHT + timedelta(hours=9),
    )
    next_morning = store.feed(
        strike((KHARKIV,), Weapon.ARTILLERY, injured=4),
        title="Kharkiv shelling: four hurt, homes damaged",
        published=NIGHT + timedelta(hours=17),
    )
    next_day = store.feed(
        strike((KHARKIV,), Weapon.ARTILLERY, injured=2),
        title="Shells land in central Kharkiv again, homes damaged",
        published=NIGHT + timedelta(hours=9 + 36),
    )
    assert [first.kind, next_morning.kind, next_day.kind] == [
        ChangeKind.NEW,
        ChangeKind.UPDATE,
        ChangeKind.NEW,
    ]


def test_a_day_is_told_from_a_part_of_the_day_on_the_places_clock() -> None:
    assert day_only(DAY, "UA")
    assert not day_only(NIGHT, "UA")
    assert not day_only(datetime(2025, 6, 14, 12, 0, tzinfo=UTC), "UA")  # 15:00 in Kharkiv
    assert day_only(datetime(2025, 6, 14, 12, 0, tzinfo=UTC), None)  # no place: UTC


def test_a_date_in_the_text_is_noon_on_the_places_clock() -> None:
    norm = normalise("A missile hit the school on June 12.")
    hits = load_lexicon("en").scan(norm)
    tags = {t for h in hits for t in h.tags}
    published = datetime(2025, 6, 14, 15, 0, tzinfo=UTC)
    when = event_time(tokenize(norm, hits), tags, published, KYIV, norm)
    assert when == datetime(2025, 6, 12, 12, 0, tzinfo=KYIV)
    assert when is not None and day_only(when, "UA")


def test_a_day_named_two_days_back_is_within_the_window_until_that_day_ends() -> None:
    store = Store()
    change = store.feed(
        strike((KHARKIV,), Weapon.MISSILE, killed=1, event_time=DAY),  # 51 h before publishing
        title="A missile hit Kharkiv on Saturday",
        published=DAY + timedelta(hours=51),
    )
    assert change.kind is ChangeKind.NEW
    too_old = store.feed(
        strike((KHARKIV,), Weapon.MISSILE, killed=1, event_time=DAY),
        title="A missile hit Kharkiv on Saturday",
        published=DAY + timedelta(hours=61),
    )
    assert too_old.kind is ChangeKind.IGNORED


def test_the_name_of_the_place_is_not_counted_again_as_shared_wording() -> None:
    oblast = Place("UA", "UA-63", region_en="Kharkiv oblast", region_uk="Харківська область")
    store = Store()
    first = store.feed(
        strike((oblast,), Weapon.ARTILLERY, injured=1),
        title="Kharkiv oblast: school damaged",
        published=NIGHT + timedelta(hours=9),
    )
    later = store.feed(
        strike((oblast,), Weapon.ARTILLERY, injured=1),
        title="Kharkiv oblast: power lines cut",
        published=NIGHT + timedelta(hours=29),
    )
    assert [first.kind, later.kind] == [ChangeKind.NEW, ChangeKind.NEW]
