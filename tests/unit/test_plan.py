"""Who gets what (pure planning), fair interleaving and quiet hours."""

from __future__ import annotations

from dataclasses import replace

from bot.domain import ChangeKind, EventChange, Severity
from bot.notify.plan import Recipient, interleave, is_quiet, plan_broadcast, plan_event
from tests.builders import KHARKIV, make_event


def recipients(*items: tuple[int, tuple[str, ...]], **kw: object) -> list[Recipient]:
    return [Recipient(chat_id, frozenset(codes), **kw) for chat_id, codes in items]  # type: ignore[arg-type]


def test_a_region_covers_its_settlements_and_the_country_covers_its_regions() -> None:
    event = make_event()  # Kryvyi Rih, UA-12
    change = EventChange(ChangeKind.NEW, event)
    people = recipients(
        (1, ("UA-12",)), (2, ("UA-12:1000001",)), (3, ("UA",)), (4, ("*",)),
        (5, ("UA-63",)), (6, ("UA-12:999",)), (7, ("PL",)),
    )  # fmt: skip
    planned = plan_event(change, people, already_alerted=set())
    assert [p.chat_id for p in planned] == [1, 2, 3, 4]
    assert {p.kind for p in planned} == {"new"}
    assert len({p.dedupe_key for p in planned}) == 4


def test_minimum_severity_and_inactive_chats() -> None:
    event = make_event(places=(KHARKIV,), severity=Severity.MEDIUM)
    people = [
        Recipient(1, frozenset({"UA-63"}), min_severity=int(Severity.HIGH)),
        Recipient(2, frozenset({"UA-63"}), min_severity=int(Severity.MEDIUM)),
        Recipient(3, frozenset({"UA-63"}), active=False),
    ]
    planned = plan_event(EventChange(ChangeKind.NEW, event), people, set())
    assert [p.chat_id for p in planned] == [2]


def test_update_goes_to_those_alerted_and_a_first_alert_to_the_rest() -> None:
    event = replace(make_event(), version=2)
    people = [
        Recipient(1, frozenset({"UA-12"}), updates="edit"),
        Recipient(2, frozenset({"UA-12"}), updates="off"),
        Recipient(3, frozenset({"UA-12"})),  # subscribed after the first alert
    ]
    planned = plan_event(EventChange(ChangeKind.UPDATE, event), people, already_alerted={1, 2})
    assert [(p.chat_id, p.kind) for p in planned] == [(1, "update"), (3, "new")]
    assert planned[0].dedupe_key.endswith(":2:1")


def test_no_update_row_for_a_chat_whose_first_alert_still_waits() -> None:
    event = replace(make_event(), version=2)
    people = [Recipient(1, frozenset({"UA-12"})), Recipient(2, frozenset({"UA-12"}))]
    change = EventChange(ChangeKind.UPDATE, event)
    planned = plan_event(change, people, already_alerted={1, 2}, waiting={2})
    assert [(p.chat_id, p.kind) for p in planned] == [(1, "update")]  # 2's alert shows v2


def test_duplicates_and_ignored_reports_send_nothing() -> None:
    people = recipients((1, ("*",)))
    assert plan_event(EventChange(ChangeKind.DUPLICATE, make_event()), people, set()) == []
    assert plan_event(EventChange(ChangeKind.IGNORED, None), people, set()) == []


def test_regional_broadcast_reaches_followers_of_the_region_its_places_and_the_country() -> None:
    people = recipients(
        (1, ("UA-12",)), (2, ("UA-12:1000001",)), (3, ("UA",)), (4, ("*",)), (5, ("UA-63",)),
        (6, ()),
    )  # fmt: skip
    assert [p.chat_id for p in plan_broadcast(7, "UA-12", people)] == [1, 2, 3, 4]
    assert [p.chat_id for p in plan_broadcast(8, "*", people)] == [1, 2, 3, 4, 5, 6]


def test_interleave_keeps_priority_and_takes_regions_in_turn() -> None:
    rows = [(0, "A"), (0, "A"), (0, "A"), (0, "B"), (1, "A"), (0, "C")]
    out = interleave(rows, lambda r: r[0], lambda r: r[1])
    assert out == [(0, "A"), (0, "B"), (0, "C"), (0, "A"), (0, "A"), (1, "A")]


def test_quiet_hours_across_midnight() -> None:
    assert is_quiet(23 * 60 + 30, 23 * 60, 7 * 60)
    assert is_quiet(6 * 60, 23 * 60, 7 * 60)
    assert not is_quiet(12 * 60, 23 * 60, 7 * 60)
    assert is_quiet(13 * 60, 12 * 60, 14 * 60)
    assert not is_quiet(12 * 60, None, None)


def test_planned_rows_carry_what_the_sender_needs() -> None:
    event = replace(make_event("ev_fields"), version=3)
    [new] = plan_event(EventChange(ChangeKind.NEW, event), recipients((5, ("UA",))), set())
    assert (new.dedupe_key, new.kind, new.priority) == ("e:ev_fields:3:5", "new", 0)
    assert (new.event_id, new.version, new.region, new.broadcast_id) == (
        "ev_fields",
        3,
        "UA-12",
        None,
    )
    [update] = plan_event(EventChange(ChangeKind.UPDATE, event), recipients((5, ("UA",))), {5})
    assert (update.kind, update.priority, update.version) == ("update", 1, 3)


def test_the_fairness_region_is_the_first_places_region_else_its_country() -> None:
    from bot.domain import Place

    country_only = make_event("ev_c", places=(Place("SY"), KHARKIV))
    nowhere = make_event("ev_n", places=())
    [row] = plan_event(EventChange(ChangeKind.NEW, country_only), recipients((1, ("*",))), set())
    assert row.region == "SY"
    [row] = plan_event(EventChange(ChangeKind.NEW, nowhere), recipients((1, ("*",))), set())
    assert row.region == ""


def test_broadcast_rows_skip_chats_without_stopping_and_carry_their_fields() -> None:
    people = [
        Recipient(1, frozenset({"UA-12"}), active=False),
        Recipient(2, frozenset({"PL"})),
        Recipient(3, frozenset({"UA-12"})),
    ]
    [row] = plan_broadcast(9, "UA-12", people)
    assert (row.chat_id, row.dedupe_key, row.kind, row.priority) == (3, "b:9:3", "broadcast", 2)
    assert (row.event_id, row.version, row.region, row.broadcast_id) == (None, 0, "UA-12", 9)
    assert [r.chat_id for r in plan_broadcast(10, "*", people)] == [2, 3]


def test_a_broadcast_to_a_place_reaches_its_country() -> None:
    people = recipients((1, ("UA",)), (2, ("UA-12",)), (3, ("PL",)))
    assert [p.chat_id for p in plan_broadcast(11, "UA-12:kr-1", people)] == [1]


def test_interleave_puts_every_higher_priority_row_first_whatever_its_region() -> None:
    rows = [(1, "A"), (0, "B"), (2, "C"), (0, "A")]
    assert interleave(rows, lambda r: r[0], lambda r: r[1]) == [
        (0, "B"),
        (0, "A"),
        (1, "A"),
        (2, "C"),
    ]


def test_quiet_hours_boundaries() -> None:
    assert is_quiet(23 * 60, 23 * 60, 7 * 60)  # starts at its first minute
    assert not is_quiet(7 * 60, 23 * 60, 7 * 60)  # ends at its last
    assert not is_quiet(23 * 60 - 1, 23 * 60, 7 * 60)
    assert is_quiet(12 * 60, 12 * 60, 14 * 60) and not is_quiet(14 * 60, 12 * 60, 14 * 60)
    assert not is_quiet(5, 5, 5)  # an empty window
    assert not is_quiet(60, None, 120) and not is_quiet(60, 30, None)
