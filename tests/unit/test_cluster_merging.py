"""What an event shows after reports join it: the highest toll with its "+", and each outlet
named once in the sources line. Names and links here are made up for the test."""

from __future__ import annotations

from datetime import timedelta

from bot.cluster.cluster import ClusterConfig, severity_of
from bot.cluster.fingerprint import merge_tokens, overlap, report_tokens, words
from bot.cluster.merge import max_figure, union_sources
from bot.domain import ChangeKind, EventChange, Report, Severity, Source
from tests.unit.test_cluster import T0, Store, strike


def test_the_same_toll_with_and_without_more_than_keeps_the_plus() -> None:
    # "12 killed" and "more than 12 killed" together still read "12+", whichever came first
    assert max_figure(12, False, 12, True) == (12, True)
    assert max_figure(12, True, 12, False) == (12, True)
    assert max_figure(12, False, 12, False) == (12, False)
    # a higher figure wins with its own reading
    assert max_figure(12, True, 14, False) == (14, False)
    assert max_figure(14, False, 12, True) == (14, False)


def test_the_source_list_names_each_outlet_once_and_keeps_every_new_one() -> None:
    kept = (Source("Kyiv Desk", "https://desk.example/1"),)
    added = [
        Source("KYIV DESK", "https://desk.example/2"),  # same outlet, other case: once
        Source("Radio Lviv", ""),  # an outlet without a link is still named
        Source("", "https://wire.example/7"),  # a link without a name still counts
        Source("", ""),  # nothing to show: left out, the rest still merge
        Source("Other Name", "https://wire.example/7"),  # the same article again
        Source("radio lviv", "https://lviv.example/3"),
        Source("Night Wire", "https://night.example/1"),
        Source("Night Wire Two", "https://night.example/1"),
        Source("NIGHT WIRE", "https://night.example/9"),
    ]
    assert union_sources(kept, added) == (
        Source("Kyiv Desk", "https://desk.example/1"),
        Source("Radio Lviv", ""),
        Source("", "https://wire.example/7"),
        Source("Night Wire", "https://night.example/1"),
    )


def _joined(first: Report, second: Report) -> tuple[EventChange, EventChange]:
    store = Store()
    title = "Strike on Kryvyi Rih overnight, emergency services at the scene"
    one = store.feed(first, title=title, outlet="First")
    two = store.feed(second, title=title, outlet="Second", published=T0 + timedelta(hours=1))
    return one, two


def test_a_new_event_is_as_severe_as_its_injured_and_shows_its_plus() -> None:
    assert _joined(strike(injured=3), strike())[0].event.severity == Severity.MEDIUM  # type: ignore[union-attr]
    children = _joined(strike(children_injured=2), strike())[0].event
    assert children is not None and children.severity == Severity.MEDIUM
    assert children.children_injured == 2
    plus = _joined(strike(killed=5, killed_more=True, objects=("medical",)), strike())[0].event
    assert plus is not None and plus.killed_more and plus.objects == ("medical",)


def test_a_joining_report_raises_severity_and_keeps_what_both_said() -> None:
    first, second = _joined(
        strike(killed=2, killed_more=True, objects=("residential",), reasons=("cue-a",)),
        strike(killed=2, injured=40, children_injured=3, objects=("energy",), reasons=("cue-b",)),
    )
    event = second.event
    assert second.kind == ChangeKind.UPDATE and event is not None
    assert event.severity == Severity.CRITICAL  # 2 killed + 40 injured is a mass-casualty strike
    assert (event.killed, event.killed_more, event.injured) == (2, True, 40)
    assert event.children_injured == 3
    assert event.objects == ("residential", "energy")
    assert event.reasons == ("cue-a", "cue-b")
    assert event.last_seen == T0 + timedelta(hours=1)
    assert first.event is not None and event.first_seen == first.event.first_seen
    # "more than 2 killed" arriving second also keeps the plus
    _, later = _joined(strike(killed=2), strike(killed=2, killed_more=True))
    assert later.event is not None and later.event.killed_more


def test_the_injured_and_children_rises_that_make_an_update() -> None:
    # five more injured is news even on a large toll; so is a tenth more on a small one
    assert _joined(strike(injured=60), strike(injured=65))[1].what_changed == ("injured",)
    assert _joined(strike(injured=10), strike(injured=11))[1].what_changed == ("injured",)
    assert _joined(strike(injured=60), strike(injured=64))[1].kind == ChangeKind.DUPLICATE
    assert _joined(strike(), strike(children_injured=1))[1].what_changed == ("children",)


def test_a_repeat_report_names_the_event_it_joined() -> None:
    _, again = _joined(strike(killed=3), strike(killed=3))
    assert again.kind == ChangeKind.DUPLICATE
    assert again.previous is not None and again.previous.id == "ev1"
    assert again.comparisons and again.comparisons[0].event_id == "ev1"


def test_fingerprints_keep_three_letter_words_and_stop_at_their_limit() -> None:
    # "oil" names what burned: three letters are enough to count
    assert words("Fire at the oil depot") == ["fire", "oil", "depot"]
    assert report_tokens("Alpha bravo charlie delta", "echo", limit=2) == {"alpha", "bravo"}
    assert report_tokens("Alpha bravo", "charlie", limit=3) == {"alpha", "bravo", "charli"}


def test_how_alike_two_reports_are() -> None:
    one, two = frozenset({"depot", "fire"}), frozenset({"depot", "smoke", "train"})
    assert overlap(one, two) == 0.5  # one of the shorter side's two words is shared
    assert overlap(frozenset(), two) == overlap(one, frozenset()) == 0.0
    assert overlap(frozenset(), frozenset()) == 0.0


def test_an_events_fingerprint_grows_up_to_its_cap_and_keeps_its_first_words() -> None:
    kept = frozenset({"depot"})
    assert merge_tokens(kept, ["train", "fire", "smoke"], cap=3) == {"depot", "fire", "smoke"}
    assert merge_tokens(kept, ["fire"], cap=1) == kept


def test_severity_follows_the_configured_mass_casualty_thresholds() -> None:
    assert severity_of(None, 1, None, None) == Severity.MEDIUM  # one injured is already MEDIUM
    assert severity_of(None, None, None, 1) == Severity.MEDIUM
    strict = ClusterConfig(
        mass_casualty_killed=5, mass_casualty_total=8, mass_casualty_children_killed=1
    )
    store = Store()
    title = "Strike on Kryvyi Rih overnight, emergency services at the scene"
    first = store.feed(strike(killed=1), title=title, config=strict)
    assert first.event is not None and first.event.severity == Severity.HIGH
    # a child among the dead, then more injured: CRITICAL under these thresholds
    second = store.feed(strike(killed=1, children_killed=1), title=title, config=strict)
    assert second.event is not None and second.event.severity == Severity.CRITICAL
    other = Store()
    other.feed(strike(killed=4), title=title, config=strict)
    joined = other.feed(strike(killed=4, injured=4), title=title, config=strict)
    assert joined.event is not None and joined.event.severity == Severity.CRITICAL
    five = Store().feed(strike(killed=5), title=title, config=strict)
    assert five.event is not None and five.event.severity == Severity.CRITICAL


def test_children_alone_set_the_severity_and_more_than_injured_keeps_its_plus() -> None:
    lost = _joined(strike(children_killed=3), strike())[0].event
    assert lost is not None and lost.severity == Severity.CRITICAL  # three children killed
    _, hurt = _joined(strike(), strike(children_injured=2))
    assert hurt.event is not None and hurt.event.severity == Severity.MEDIUM
    _, more = _joined(strike(injured=7), strike(injured=7, injured_more=True))
    assert more.event is not None and (more.event.injured, more.event.injured_more) == (7, True)


def test_an_earlier_report_arriving_late_moves_the_first_seen_time_back() -> None:
    store = Store()
    title = "Strike on Kryvyi Rih overnight, emergency services at the scene"
    store.feed(strike(killed=2), title=title, outlet="Late")
    early = store.feed(strike(killed=2), title=title, published=T0 - timedelta(hours=1))
    assert early.event is not None and early.event.first_seen == T0 - timedelta(hours=1)
    assert early.event.last_seen == T0
