"""One alert per real strike across outlets, languages, weapons and hours.

Every report here is written for this test (no outside text). The stand-in store is the one of
test_cluster.py: it keeps the newest version of each event and offers all of them as candidates.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.cluster.cluster import ClusterConfig
from bot.cluster.fingerprint import report_tokens
from bot.cluster.matching import MatchConfig, Subject, compare, index_codes, search_codes
from bot.domain import ChangeKind, Event, Place, Report, Weapon
from tests.unit.test_cluster import DNIPRO, DNIPRO_OBLAST, KHARKIV, T0, UKRAINE, Store, strike

ODESA = Place("UA", "UA-51", "UA-51:698740", "Odesa", "Одеса", region_en="Odesa oblast")
ODESA_OBLAST = Place("UA", "UA-51", region_en="Odesa oblast")
NIGHT = T0.replace(hour=1)  # T0 is 15:00 UTC


def test_one_strike_in_three_languages_sharing_no_word_is_one_alert() -> None:
    store = Store()
    uk = store.feed(
        strike((ODESA,), Weapon.DRONE, killed=2, event_time=NIGHT),
        title="Нічна атака на Одесу: двоє загиблих",
        outlet="UkOutlet",
        published=NIGHT + timedelta(hours=2),
    )
    en = store.feed(
        strike((ODESA,), Weapon.DRONE, killed=3),
        title="Port city mourns three after overnight raid",
        outlet="EnOutlet",
        published=NIGHT + timedelta(hours=6),
    )
    ru = store.feed(
        strike((ODESA_OBLAST,), killed=3),
        title="В Одесской области трое погибших",
        outlet="RuOutlet",
        published=NIGHT + timedelta(hours=8),
    )
    assert [uk.kind, en.kind, ru.kind] == [ChangeKind.NEW, ChangeKind.UPDATE, ChangeKind.DUPLICATE]
    assert len(store.events) == 1
    assert ru.event is not None and ru.event.killed == 3 and len(ru.event.sources) == 3


def test_a_combined_attack_reported_by_weapon_families_in_turn_is_one_event() -> None:
    store = Store()
    titles = ("Missiles hit Dnipro", "Shahed drones over Dnipro", "Cruise missiles and drones")
    weapons = (Weapon.MISSILE, Weapon.DRONE, Weapon.CRUISE_MISSILE)
    changes = [
        store.feed(
            strike((DNIPRO,), weapon, injured=5),
            title=title,
            outlet=f"O{i}",
            published=T0 + timedelta(hours=i),
        )
        for i, (title, weapon) in enumerate(zip(titles, weapons, strict=True))
    ]
    assert [c.kind for c in changes] == [ChangeKind.NEW, ChangeKind.DUPLICATE, ChangeKind.DUPLICATE]
    event = changes[-1].event
    assert event is not None and event.weapon is Weapon.CRUISE_MISSILE
    assert set(event.weapons) == {"missile", "drone", "cruise missile"}


def test_report_naming_both_weapons_meets_reports_of_either() -> None:
    store = Store()
    store.feed(strike((DNIPRO_OBLAST,), Weapon.DRONE), title="Drones over the oblast")
    both = store.feed(
        strike((DNIPRO_OBLAST,), Weapon.MISSILE, weapons=(Weapon.MISSILE, Weapon.DRONE), injured=1),
        title="Missile and drone attack",
    )
    assert both.kind is ChangeKind.UPDATE and len(store.events) == 1
    assert any("same family" in line for line in both.comparisons[0].evidence)


def test_shelling_against_missile_is_only_a_weak_contradiction() -> None:
    store = Store()
    store.feed(strike((KHARKIV,), Weapon.ARTILLERY, injured=2), title="Shelling in Kharkiv")
    missile = store.feed(strike((KHARKIV,), Weapon.MISSILE, injured=2), title="Rocket strike")
    assert missile.kind is ChangeKind.DUPLICATE


def test_a_glide_bomb_at_noon_and_a_night_drone_attack_are_two_strikes() -> None:
    store = Store()
    store.feed(
        strike((KHARKIV,), Weapon.DRONE, injured=4, event_time=NIGHT),
        title="Drones hit Kharkiv at night",
        published=NIGHT + timedelta(hours=1),
    )
    noon = store.feed(
        strike((KHARKIV,), Weapon.GLIDE_BOMB, injured=4, event_time=T0.replace(hour=12)),
        title="Glide bomb hits Kharkiv",
        published=T0.replace(hour=13),
    )
    assert noon.kind is ChangeKind.NEW
    assert noon.comparisons and not noon.comparisons[0].joined
    assert any("two strikes" in line for line in noon.comparisons[0].evidence)


def test_consecutive_nights_stay_two_events_and_the_morning_toll_joins_the_first() -> None:
    store = Store()
    first = store.feed(
        strike((DNIPRO,), Weapon.DRONE, killed=1, event_time=NIGHT),
        title="Дрони атакували Дніпро вночі",
        published=NIGHT + timedelta(hours=1),
    )
    morning = store.feed(
        strike((DNIPRO,), killed=3),
        title="Toll in Dnipro rises to three",
        outlet="Morning",
        published=NIGHT + timedelta(hours=8),
    )
    second = store.feed(
        strike((DNIPRO,), Weapon.DRONE, injured=2, event_time=NIGHT + timedelta(days=1)),
        title="Дрони знову атакували Дніпро вночі",
        outlet="Next",
        published=NIGHT + timedelta(days=1, hours=1),
    )
    assert [first.kind, morning.kind, second.kind] == [
        ChangeKind.NEW,
        ChangeKind.UPDATE,
        ChangeKind.NEW,
    ]
    assert morning.event is not None and first.event is not None
    assert morning.event.id == first.event.id and morning.event.killed == 3
    assert second.event is not None and second.event.id != first.event.id


def test_updates_rise_notify_lower_or_equal_or_other_weapon_fold_silently() -> None:
    store = Store()
    store.feed(strike((ODESA,), Weapon.MISSILE, killed=4, injured=10), title="Odesa strike")
    lower = store.feed(strike((ODESA,), killed=2, injured=10), title="Two dead in Odesa")
    same = store.feed(strike((ODESA,), killed=4), title="Four dead in Odesa")
    other = store.feed(strike((ODESA,), Weapon.DRONE, killed=4), title="Drone attack, Odesa")
    rise = store.feed(strike((ODESA,), killed=6), title="Six dead in Odesa")
    assert [c.kind for c in (lower, same, other, rise)] == [
        ChangeKind.DUPLICATE,
        ChangeKind.DUPLICATE,
        ChangeKind.DUPLICATE,
        ChangeKind.UPDATE,
    ]
    assert rise.what_changed == ("killed",) and rise.event is not None
    assert rise.event.version == 2 and rise.event.killed == 6


def _pair(first: tuple[Place, ...], second: tuple[Place, ...], title: str) -> list[ChangeKind]:
    store = Store()
    return [
        store.feed(strike(places, Weapon.MISSILE, injured=1), title=title, outlet=f"O{i}").kind
        for i, places in enumerate((first, second))
    ]


def test_place_levels_match_in_either_arrival_order() -> None:
    title = "Missile strike wrecks the central market and a bus depot"
    pairs = [
        ((), (UKRAINE,)),
        ((DNIPRO,), (DNIPRO_OBLAST,)),
        ((DNIPRO,), (UKRAINE,)),
        ((), (DNIPRO,)),
    ]
    for a, b in pairs:
        assert _pair(a, b, title) == _pair(b, a, title) == [ChangeKind.NEW, ChangeKind.DUPLICATE]
    # different regions never meet, whatever the order
    assert _pair((DNIPRO,), (ODESA,), title) == _pair((ODESA,), (DNIPRO,), title)
    assert _pair((DNIPRO,), (ODESA,), title) == [ChangeKind.NEW, ChangeKind.NEW]


def test_the_place_index_finds_coarse_events_from_fine_reports_and_back() -> None:
    for event_places, report_places in [
        ((), (DNIPRO,)),
        ((UKRAINE,), (DNIPRO,)),
        ((DNIPRO,), (UKRAINE,)),
        ((DNIPRO_OBLAST,), (DNIPRO,)),
        ((DNIPRO,), (DNIPRO_OBLAST,)),
    ]:
        assert index_codes(event_places) & search_codes(report_places)
        assert index_codes(report_places) & search_codes(event_places) or not event_places
    assert not index_codes((ODESA,)) & search_codes((DNIPRO,))  # another region: not fetched


def test_explain_lists_every_candidate_with_its_evidence() -> None:
    store = Store()
    store.feed(strike((DNIPRO,), Weapon.DRONE), title="Drones over Dnipro")
    store.feed(strike((KHARKIV,), Weapon.DRONE), title="Drones over Kharkiv")
    change = store.feed(strike((DNIPRO,), Weapon.DRONE, injured=1), title="Drone hits Dnipro")
    by_event = {c.event_id: c for c in change.comparisons}
    assert by_event["ev1"].joined and by_event["ev1"].score is not None
    assert by_event["ev2"].score is None and not by_event["ev2"].joined
    assert by_event["ev2"].evidence == ("place: different settlements",)
    assert change.comparisons[0].event_id == "ev1"  # best first
    assert any(line.startswith("place: same settlement") for line in by_event["ev1"].evidence)


def test_the_score_is_the_same_either_way_round() -> None:
    config = MatchConfig()
    reports = [
        (strike((DNIPRO,), Weapon.DRONE, event_time=NIGHT), "Drones at night", NIGHT),
        (strike((DNIPRO_OBLAST,), Weapon.MISSILE), "Missiles on the oblast", T0),
        (strike((UKRAINE,)), "Attack on the country", T0 + timedelta(hours=5)),
        (strike(()), "Attack somewhere", T0 - timedelta(hours=9)),
    ]

    def as_event(index: int) -> Event:
        report, title, published = reports[index]
        change = Store().feed(report, title=title, published=published)
        assert change.event is not None
        return change.event

    for i, (report_i, title_i, published_i) in enumerate(reports):
        for j, (report_j, title_j, published_j) in enumerate(reports):
            if i == j:
                continue
            one = compare(
                Subject.of(report_i, report_tokens(title_i, ""), published_i, config),
                as_event(j),
                config,
            )
            other = compare(
                Subject.of(report_j, report_tokens(title_j, ""), published_j, config),
                as_event(i),
                config,
            )
            assert one.score == other.score, (i, j, one.evidence, other.evidence)


def test_join_score_is_configurable() -> None:
    strict = ClusterConfig(join_score=10.0)
    store = Store()
    store.feed(strike((DNIPRO,)), title="Strike on Dnipro", config=strict)
    again = store.feed(strike((DNIPRO,)), title="Strike on Dnipro", config=strict)
    assert again.kind is ChangeKind.NEW


def _explained(first: Report, second: Report, published: datetime = T0) -> tuple[str, ...]:
    store = Store()
    store.feed(first, title="Strike hits the city")
    change = store.feed(second, title="Strike hits the city", published=published)
    (only,) = change.comparisons
    assert only.joined is (change.kind is not ChangeKind.NEW)
    return (f"{only.score}", *only.evidence)


def test_why_this_alert_reads_out_each_term_of_the_match() -> None:
    """The lines "Why this alert?" and `replay --explain` show, in their exact words."""
    warsaw = Place("PL", "PL-14", "PL-14:756135", "Warsaw")
    kharkiv_oblast = Place("UA", "UA-63", region_en="Kharkiv oblast")
    city = (DNIPRO,)
    assert _explained(strike(city), strike((warsaw,))) == ("None", "place: different countries")
    assert _explained(strike((DNIPRO_OBLAST,)), strike((kharkiv_oblast,))) == (
        "None",
        "place: different regions",
    )
    interval = "time: interval, 0.0 h apart +0.50"
    assert _explained(strike((UKRAINE,)), strike(city)) == (
        "-0.5",
        "place: only the country in common -1.0",
        interval,
    )
    assert _explained(strike(()), strike(city)) == (
        "-0.5",
        "place: one side names no place -1.0",
        interval,
    )
    same = "place: same settlement UA-12:709930 +3.0"
    hours = [T0 - timedelta(hours=h) for h in (6, 2, 1)]
    assert _explained(strike(city, event_time=hours[0]), strike(city, event_time=hours[2])) == (
        "4.0",
        same,
        "time: both dated, 0.0 h apart +1.00",
    )
    assert _explained(strike(city, event_time=hours[1]), strike(city, event_time=hours[2])) == (
        "3.8333",
        same,
        "time: both stated, 1.0 h apart +0.83",
    )
    assert _explained(strike(city), strike(city), T0 + timedelta(hours=30)) == (
        "-2.5",
        same,
        "time: interval, 18.0 h apart -5.50",
    )
    assert _explained(strike(city, Weapon.DRONE), strike(city, Weapon.MISSILE)) == (
        "3.5",
        same,
        interval,
        "weapon: missile vs drone, combined attacks carry both +0.00",
    )
    assert _explained(strike(city, Weapon.BALLISTIC_MISSILE), strike(city, Weapon.MISSILE)) == (
        "4.0",
        same,
        interval,
        "weapon: same family (missile) +0.50",
    )
