"""Clustering as a subscriber experiences it: one alert per strike, a few updates, no sums."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.cluster.cluster import ClusterConfig, cluster, report_tokens, severity_of
from bot.domain import ChangeKind, Event, EventChange, Place, Report, Severity, Source, Weapon
from tests.builders import KRYVYI_RIH

DNIPRO = Place("UA", "UA-12", "UA-12:709930", "Dnipro", "Дніпро", region_en="Dnipropetrovsk oblast")
DNIPRO_OBLAST = Place("UA", "UA-12", region_en="Dnipropetrovsk oblast")
KHARKIV = Place("UA", "UA-63", "UA-63:706483", "Kharkiv", "Харків", region_en="Kharkiv oblast")
UKRAINE = Place("UA")

T0 = datetime(2025, 4, 4, 15, 0, tzinfo=UTC)
CONFIG = ClusterConfig()


class Store:
    """The smallest stand-in for the event store: keeps the latest version of each event."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}
        self.counter = 0

    def feed(
        self,
        report: Report,
        *,
        title: str,
        text: str = "",
        outlet: str = "Outlet",
        url: str = "",
        published: datetime = T0,
        config: ClusterConfig = CONFIG,
    ) -> EventChange:
        self.counter += 1
        change = cluster(
            report,
            report_tokens(title, text),
            Source(outlet, url or f"https://{outlet.lower()}.example/{self.counter}"),
            published,
            title,
            list(self.events.values()),
            config,
            f"ev{self.counter}",
        )
        if change.event is not None:
            self.events[change.event.id] = change.event
        return change


def strike(
    places: Sequence[Place] = (KRYVYI_RIH,),
    weapon: Weapon = Weapon.UNKNOWN,
    **fields: object,
) -> Report:
    return replace(Report(True, 0.9, tuple(places), weapon=weapon), **fields)  # type: ignore[arg-type]


def kinds(changes: Sequence[EventChange]) -> list[ChangeKind]:
    return [change.kind for change in changes]


def test_rising_toll_gives_one_alert_then_updates_with_the_maximum_never_a_sum() -> None:
    store = Store()
    title = "Missile strike on Kryvyi Rih: {} dead, rescuers still at work"
    changes = [
        store.feed(
            strike(killed=n, weapon=Weapon.MISSILE),
            title=title.format(n),
            outlet=f"Outlet{i}",
            published=T0 + timedelta(hours=3 * i),
        )
        for i, n in enumerate((12, 14, 16, 19))
    ]
    assert kinds(changes) == [ChangeKind.NEW] + [ChangeKind.UPDATE] * 3
    assert len(store.events) == 1
    event = changes[-1].event
    assert event is not None
    assert event.killed == 19  # 12 + 14 + 16 + 19 would be 61
    assert event.version == 4
    assert [c.what_changed for c in changes[1:]] == [("killed",)] * 3
    assert len(event.sources) == 4
    assert changes[2].previous is not None and changes[2].previous.killed == 14


def test_a_lower_figure_from_a_slower_outlet_does_not_lower_the_toll() -> None:
    store = Store()
    store.feed(strike(killed=14, injured=50, injured_more=True), title="Kryvyi Rih strike")
    late = store.feed(
        strike(killed=12, injured=40),
        title="Kryvyi Rih strike",
        outlet="Late",
        published=T0 + timedelta(hours=1),
    )
    assert late.kind is ChangeKind.DUPLICATE
    assert late.event is not None
    assert (late.event.killed, late.event.injured, late.event.injured_more) == (14, 50, True)


def test_a_second_outlets_identical_report_is_a_duplicate_but_its_source_is_kept() -> None:
    store = Store()
    report = strike(killed=3, weapon=Weapon.DRONE, objects=("residential",))
    first = store.feed(report, title="Drone hits apartment block in Kryvyi Rih", outlet="Alpha")
    second = store.feed(
        report,
        title="Drone hits apartment block in Kryvyi Rih",
        outlet="Beta",
        published=T0 + timedelta(minutes=10),
    )
    assert kinds([first, second]) == [ChangeKind.NEW, ChangeKind.DUPLICATE]
    assert second.event is not None and first.event is not None
    assert second.event.id == first.event.id
    assert second.event.version == 1
    assert [s.name for s in second.event.sources] == ["Alpha", "Beta"]


def test_the_same_outlet_twice_is_listed_once() -> None:
    store = Store()
    store.feed(strike(killed=1), title="Strike on Kryvyi Rih", outlet="Alpha")
    again = store.feed(strike(killed=1), title="Strike on Kryvyi Rih", outlet="ALPHA")
    assert again.event is not None
    assert len(again.event.sources) == 1


def test_morning_drone_attack_and_evening_glide_bomb_on_one_city_are_two_alerts() -> None:
    store = Store()
    morning = store.feed(
        strike((KHARKIV,), Weapon.DRONE, injured=4, event_time=T0.replace(hour=5)),
        title="Drones attack Kharkiv at dawn",
        published=T0.replace(hour=6),
    )
    evening = store.feed(
        strike((KHARKIV,), Weapon.GLIDE_BOMB, injured=7, event_time=T0.replace(hour=17)),
        title="Glide bomb hits Kharkiv",
        published=T0.replace(hour=18),
    )
    assert kinds([morning, evening]) == [ChangeKind.NEW, ChangeKind.NEW]
    assert len(store.events) == 2


def test_two_strikes_of_unknown_weapon_far_apart_in_stated_time_stay_separate() -> None:
    store = Store()
    store.feed(
        strike((KHARKIV,), injured=2, event_time=T0.replace(hour=4)),
        title="Kharkiv hit",
        published=T0.replace(hour=5),
    )
    later = store.feed(
        strike((KHARKIV,), injured=3, event_time=T0.replace(hour=16)),
        title="Kharkiv hit",
        published=T0.replace(hour=16, minute=30),
    )
    assert later.kind is ChangeKind.NEW


def test_weapon_families_and_unknown_weapons() -> None:
    store = Store()
    store.feed(strike(weapon=Weapon.MISSILE, killed=2), title="Missile hits Kryvyi Rih")
    ballistic = store.feed(
        strike(weapon=Weapon.BALLISTIC_MISSILE, killed=2),
        title="Iskander hit Kryvyi Rih",
        outlet="B",
    )
    unknown = store.feed(strike(killed=2), title="Explosions in Kryvyi Rih", outlet="C")
    assert kinds([ballistic, unknown]) == [ChangeKind.DUPLICATE, ChangeKind.DUPLICATE]
    assert unknown.event is not None
    assert unknown.event.weapon is Weapon.BALLISTIC_MISSILE  # the most specific stays
    # A combined attack: another outlet names only the drones. Same strike, folded silently.
    drone = store.feed(strike(weapon=Weapon.DRONE, killed=2), title="Drone hits Kryvyi Rih")
    assert drone.kind is ChangeKind.DUPLICATE
    assert drone.event is not None and drone.event.weapon is Weapon.BALLISTIC_MISSILE
    assert drone.event.weapons == ("missile", "ballistic missile", "drone")


def test_weapon_becoming_known_is_an_update() -> None:
    store = Store()
    store.feed(strike(killed=2), title="Explosions in Kryvyi Rih, two dead")
    known = store.feed(
        strike(weapon=Weapon.CRUISE_MISSILE, killed=2), title="Kh-101 hit Kryvyi Rih"
    )
    assert known.kind is ChangeKind.UPDATE
    assert known.what_changed == ("weapon",)


def test_anniversary_and_old_event_reports_are_ignored_never_new() -> None:
    store = Store()
    anniversary = store.feed(strike(killed=20, is_old=True), title="A year since the strike")
    weeks_later = store.feed(
        strike(killed=1, event_time=T0 - timedelta(days=20)),
        title="Woman injured in March strike died in hospital",
    )
    assert kinds([anniversary, weeks_later]) == [ChangeKind.IGNORED, ChangeKind.IGNORED]
    assert anniversary.event is None and weeks_later.event is None
    assert store.events == {}


def test_non_strike_reports_are_ignored() -> None:
    change = Store().feed(replace(strike(), is_civilian_strike=False), title="Air defence at work")
    assert change.kind is ChangeKind.IGNORED
    assert change.event is None


def test_reports_outside_the_window_start_a_new_event() -> None:
    store = Store()
    store.feed(strike(killed=2), title="Strike on Kryvyi Rih")
    three_days = store.feed(
        strike(killed=2), title="Strike on Kryvyi Rih", published=T0 + timedelta(hours=72)
    )
    assert three_days.kind is ChangeKind.NEW


def test_different_settlements_in_one_region_stay_apart() -> None:
    store = Store()
    store.feed(strike((KRYVYI_RIH,), killed=2), title="Strike on Kryvyi Rih")
    dnipro = store.feed(strike((DNIPRO,), killed=2), title="Strike on Dnipro")
    assert dnipro.kind is ChangeKind.NEW


def test_a_region_only_report_joins_a_settlement_event_in_that_region() -> None:
    store = Store()
    store.feed(
        strike((KRYVYI_RIH,), Weapon.BALLISTIC_MISSILE, killed=14),
        title="Ballistic missile strike on Kryvyi Rih",
    )
    region = store.feed(
        strike((DNIPRO_OBLAST,), killed=15),
        title="Dnipropetrovsk oblast: toll of the strike rises",
        outlet="Regional",
        published=T0 + timedelta(hours=2),
    )
    assert region.kind is ChangeKind.UPDATE
    assert region.event is not None
    assert {p.code for p in region.event.places} == {KRYVYI_RIH.code, "UA-12"}


def test_a_country_only_report_needs_strong_content_similarity() -> None:
    store = Store()
    store.feed(
        strike((KRYVYI_RIH,), killed=3),
        title="Missile destroys school gym in Kryvyi Rih",
        text="Rescuers pulled three bodies from the rubble of the school gymnasium",
    )
    vague = store.feed(strike((UKRAINE,), killed=1), title="Overnight shelling across the east")
    alike = store.feed(
        strike((UKRAINE,), killed=3),
        title="School gymnasium destroyed",
        text="Three bodies pulled from the rubble of the school gymnasium",
    )
    assert kinds([vague, alike]) == [ChangeKind.NEW, ChangeKind.DUPLICATE]


def test_best_matching_candidate_wins() -> None:
    store = Store()
    store.feed(strike((DNIPRO_OBLAST,), killed=1), title="Shelling in the oblast")
    city = store.feed(
        strike((KRYVYI_RIH,), killed=1),
        title="Strike on Kryvyi Rih",
        published=T0 + timedelta(hours=10),
    )
    follow = store.feed(
        strike((KRYVYI_RIH,), killed=2),
        title="Kryvyi Rih toll rises",
        published=T0 + timedelta(hours=11),
    )
    assert city.event is not None and follow.event is not None
    assert follow.event.id == city.event.id


def test_injured_rise_thresholds_fold_small_changes_silently() -> None:
    store = Store()
    store.feed(strike(injured=50), title="Strike on Kryvyi Rih")
    small = store.feed(strike(injured=51), title="Strike on Kryvyi Rih")
    big = store.feed(strike(injured=60), title="Strike on Kryvyi Rih")
    assert kinds([small, big]) == [ChangeKind.DUPLICATE, ChangeKind.UPDATE]
    assert small.event is not None and small.event.injured == 51  # folded, still saved


def test_children_count_rising_is_an_update() -> None:
    store = Store()
    store.feed(strike(killed=5, children_killed=1), title="Strike on Kryvyi Rih")
    change = store.feed(strike(killed=5, children_killed=2), title="Strike on Kryvyi Rih")
    assert change.kind is ChangeKind.UPDATE
    assert change.what_changed == ("children",)


def test_stated_time_is_adopted_by_an_event_that_had_none() -> None:
    store = Store()
    first = store.feed(strike(killed=1), title="Strike on Kryvyi Rih", published=T0)
    assert first.event is not None and first.event.event_time == T0
    stated = T0 - timedelta(hours=2)
    second = store.feed(
        strike(killed=1, event_time=stated),
        title="Strike on Kryvyi Rih",
        published=T0 + timedelta(hours=1),
    )
    assert second.event is not None
    assert second.event.event_time == stated


def test_new_event_fields() -> None:
    change = Store().feed(strike(killed=2, reasons=("killed", "missile")), title="<b>Headline</b>")
    event = change.event
    assert change.kind is ChangeKind.NEW and event is not None
    assert (event.id, event.version, event.severity) == ("ev1", 1, Severity.HIGH)
    assert event.title == "<b>Headline</b>"
    assert event.reasons == ("killed", "missile")
    assert event.first_seen == event.last_seen == T0


@pytest.mark.parametrize(
    ("killed", "injured", "children_killed", "expected"),
    [
        (None, None, None, Severity.LOW),
        (0, 0, None, Severity.LOW),
        (None, 3, None, Severity.MEDIUM),
        (1, None, None, Severity.HIGH),
        (10, None, None, Severity.CRITICAL),
        (5, 25, None, Severity.CRITICAL),
        (3, None, 3, Severity.CRITICAL),
    ],
)
def test_severity(
    killed: int | None, injured: int | None, children_killed: int | None, expected: Severity
) -> None:
    assert severity_of(killed, injured, children_killed, None, ("residential",)) is expected


def test_tokens_ignore_figures_case_and_inflection() -> None:
    a = report_tokens("Удар по Кременчуку: 12 загиблих", "")
    b = report_tokens("У Кременчуці 14 загиблих після удару", "")
    assert a & b  # the city stem meets across grammatical cases
    assert not any(token.isdigit() for token in a | b)
    assert report_tokens("Kam'yanske", "") == report_tokens("KAM’YANSKE", "")


def test_a_bare_toll_update_updates_a_known_strike_but_starts_none() -> None:
    store = Store()
    toll = strike(killed=20, is_civilian_strike=False, updates_toll=True)
    alone = store.feed(toll, title="У Кривому Розі загиблих вже 20")
    assert alone.kind is ChangeKind.IGNORED and store.events == {}

    first = store.feed(strike(killed=14, weapon=Weapon.MISSILE), title="Missile hits Kryvyi Rih")
    later = store.feed(
        toll, title="У Кривому Розі загиблих вже 20", published=T0 + timedelta(hours=2)
    )
    assert (first.kind, later.kind) == (ChangeKind.NEW, ChangeKind.UPDATE)
    assert later.event is not None and later.event.killed == 20


def test_children_figures_take_the_maximum_never_a_sum() -> None:
    store = Store()
    title = "Strike on Kryvyi Rih: children among the victims"
    store.feed(strike(killed=5, children_killed=2, children_injured=4), title=title)
    same = store.feed(
        strike(killed=5, children_killed=2, children_injured=4), title=title, outlet="Other"
    )
    lower = store.feed(strike(killed=5, children_killed=1, children_injured=3), title=title)
    assert same.kind is ChangeKind.DUPLICATE and lower.kind is ChangeKind.DUPLICATE
    assert lower.event is not None
    assert (lower.event.children_killed, lower.event.children_injured) == (2, 4)  # not 5 and 11
    higher = store.feed(strike(killed=5, children_killed=3), title=title)
    assert higher.event is not None and higher.event.children_killed == 3
    assert higher.event.children_injured == 4  # a report that does not say keeps the figure
