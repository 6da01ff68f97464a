"""Arrival order never changes how many alerts go out (hypothesis).

A generated day: up to four strikes, each in its own oblast at its own hour, each reported by
one to four outlets. A report names the city, the oblast, or both; it names the strike's weapon,
another weapon of a combined attack, or none; it states the strike time (within an hour) or
only has its publication time, up to six hours later. Titles share no word (other languages),
so place and time alone must carry the matches. Whatever order the reports arrive in, exactly
one alert per strike goes out.

And a pair: report A scored against an event made of report B equals B against an event of A,
for any places (none, country, oblast, city, another city, another country), weapons, times and
words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cluster.fingerprint import report_tokens
from bot.cluster.matching import MatchConfig, Subject, evaluate
from bot.domain import ChangeKind, Place, Report, Weapon
from tests.unit.test_cluster import T0, Store, strike

CITIES = [
    Place("UA", "UA-12", "UA-12:1", "Dnipro", region_en="Dnipropetrovsk oblast"),
    Place("UA", "UA-51", "UA-51:2", "Odesa", region_en="Odesa oblast"),
    Place("UA", "UA-63", "UA-63:3", "Kharkiv", region_en="Kharkiv oblast"),
    Place("UA", "UA-59", "UA-59:4", "Sumy", region_en="Sumy oblast"),
]
ATTACKS = [
    (Weapon.DRONE,),
    (Weapon.BALLISTIC_MISSILE, Weapon.DRONE),
    (Weapon.GLIDE_BOMB,),
    (Weapon.ARTILLERY, Weapon.MLRS),
]


@dataclass(frozen=True)
class Item:
    report: Report
    title: str
    published: datetime


@st.composite
def day(draw: st.DrawFn) -> tuple[int, list[Item]]:
    strikes = draw(st.integers(1, 4))
    items: list[Item] = []
    for n in range(strikes):
        city = CITIES[n]
        oblast = Place("UA", city.region_code, region_en=city.region_en)
        hour = draw(st.integers(0, 20))
        at = T0.replace(hour=0) + timedelta(hours=hour)
        attack = draw(st.sampled_from(ATTACKS))
        for r in range(draw(st.integers(1, 4))):
            places = draw(st.sampled_from([(city,), (oblast,), (city, oblast), (oblast, city)]))
            weapon = draw(st.sampled_from((*attack, Weapon.UNKNOWN)))
            delay = timedelta(minutes=draw(st.integers(20, 360)))
            stated = draw(st.booleans())
            shift = timedelta(minutes=draw(st.integers(-60, 60)))
            report = strike(
                places,
                weapon,
                killed=draw(st.integers(0, 9)),
                event_time=at + shift if stated else None,
            )
            title = f"q{'abcd'[n]}{'efgh'[r]}w"  # one word of its own: no content in common
            items.append(Item(report, title, at + delay))
    return strikes, items


@settings(max_examples=150, deadline=None)
@given(day(), st.randoms(use_true_random=False))
def test_shuffling_a_days_reports_never_changes_how_many_alerts_go_out(
    generated: tuple[int, list[Item]], rng: object
) -> None:
    strikes, items = generated
    orders = [sorted(items, key=lambda i: i.published), list(items)]
    shuffled = list(items)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    orders.append(shuffled)
    for order in orders:
        store = Store()
        alerts = sum(
            store.feed(i.report, title=i.title, outlet=i.title, published=i.published).kind
            is ChangeKind.NEW
            for i in order
        )
        assert alerts == strikes


PLACE_CHOICES = [
    (),
    (Place("UA"),),
    (Place("UA", "UA-12", region_en="Dnipropetrovsk oblast"),),
    (CITIES[0],),
    (CITIES[0], Place("UA", "UA-12", region_en="Dnipropetrovsk oblast")),
    (CITIES[1],),
    (Place("PL"),),
]
WORDS = ["market", "depot", "school", "bridge", "tower", "clinic"]


@st.composite
def one_report(draw: st.DrawFn) -> Item:
    published = T0 + timedelta(minutes=draw(st.integers(-1_800, 1_800)))
    stated = draw(st.booleans())
    before = timedelta(minutes=draw(st.integers(-120, 600)))  # also at or after publication
    report = strike(
        draw(st.sampled_from(PLACE_CHOICES)),
        draw(st.sampled_from(list(Weapon))),
        weapons=tuple(draw(st.lists(st.sampled_from(list(Weapon)), max_size=2))),
        event_time=published - before if stated else None,
    )
    title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)))
    return Item(report, title, published)


@settings(max_examples=300, deadline=None)
@given(one_report(), one_report())
def test_a_pair_scores_the_same_in_either_arrival_order(first: Item, second: Item) -> None:
    config = MatchConfig()

    def score(report: Item, event_of: Item) -> float | None:
        made = Store().feed(event_of.report, title=event_of.title, published=event_of.published)
        assert made.event is not None
        subject = Subject.of(
            report.report, report_tokens(report.title, ""), report.published, config
        )
        return evaluate(subject, made.event, config)

    assert score(first, second) == score(second, first)
