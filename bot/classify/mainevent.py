"""The main event of an item: where, when, and how it was read (helpers of the classifier).

The headline and lead (:class:`~bot.classify.structure.Structure`) come first: a place they
name in a sentence about the strike, and a time they give, outweigh the body's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.classify import places, timecues
from bot.classify.evidence import Evidence
from bot.classify.places import PlaceMatchLike
from bot.classify.structure import Structure
from bot.classify.tokens import Token
from bot.domain import Place

_PAST_CONTEXTS = frozenset({"neg:court", "neg:old", "neg:aftermath"})


def where(
    matches: Sequence[PlaceMatchLike],
    doc: str,
    norm: str,
    ev: Evidence,
    shape: Structure,
    focus: list[tuple[int, int]],
) -> tuple[Place, ...]:
    """The strike's place: where the headline and lead put it when they name a place in a
    sentence about the strike or its harm; else from the whole text. A region named in the
    head is narrowed to a settlement inside it that the body names."""
    sentences = shape.sentences
    chosen = _secondary_in_strike_sentences(
        places.choose_places(
            matches, doc, norm, sentences, ev.strike_sentences, ev.impact_sentences, focus
        ),
        matches,
        ev,
        shape,
    )
    if shape.head >= len(sentences) or not chosen:
        return chosen
    head_end = sentences.starts[shape.head]
    eventful = {s for s in ev.strike_sentences | ev.impact_sentences if s < shape.head}
    in_head = [m for m in matches if m.start < head_end and sentences.index(m.start) in eventful]
    if not in_head:
        return chosen
    head = places.choose_places(
        in_head, doc, norm, sentences, ev.strike_sentences, ev.impact_sentences, focus
    )
    if not head or head[0] == chosen[0]:
        return chosen
    top = head[0]
    if top.settlement_code is None and _inside(chosen[0], top):
        return chosen
    return (top, *(p for p in chosen if p != top))


def _secondary_in_strike_sentences(
    chosen: tuple[Place, ...], matches: Sequence[PlaceMatchLike], ev: Evidence, shape: Structure
) -> tuple[Place, ...]:
    """Keep further places (each alerts its own subscribers) only when named in the head's
    strike or harm sentences, or in a body sentence with both: "said in Kyiv that the attack
    showed…" does not make a strike on Sumy a strike on Kyiv."""
    if len(chosen) < 2:
        return chosen
    sentences = shape.sentences
    both = ev.strike_sentences & ev.impact_sentences
    about = {s for s in ev.strike_sentences | ev.impact_sentences if s < shape.head} | both
    named = {m.place.code for m in matches if sentences.index(m.start) in about}
    return (chosen[0], *(p for p in chosen[1:] if p.code in named))


def _inside(inner: Place, outer: Place) -> bool:
    if outer.region_code:
        return inner.region_code == outer.region_code and inner.settlement_code is not None
    return inner.country == outer.country and inner.code != outer.code


def when(
    tokens: list[Token],
    cues: list[Token],
    ev: Evidence,
    base: datetime,
    published: bool,
    chosen: tuple[Place, ...],
    shape: Structure,
    norm: str,
) -> tuple[datetime | None, bool]:
    """The strike's time and whether it is old, read from the headline and lead first: a date in
    the body that is well before publication tells of something else, not that the main event
    is old. Parts of the day are read in the place's local time."""
    if not ev.tags & timecues.TIME_TAGS:
        return None, False
    zone = timecues.zone_of(chosen[0].country if chosen else None)
    head_end = shape.sentences.starts[shape.head] if shape.head < len(shape.sentences) else 1 << 62
    head = [t for t in tokens if t.start < head_end]
    head_cues = [t for t in cues if t.start < head_end]
    head_tags = set().union(*ev.sentence_tags[: shape.head])
    when = timecues.event_time(head, head_tags, base, zone, norm, head_cues)
    # Without a publication time a bare "April 23" says nothing about age.
    dated = published or (when is not None and timecues.has_year(head))
    old = "neg:old" in head_tags or (dated and timecues.is_old(when, base))
    if old and "neg:old" not in head_tags:
        # An old date in the head beside a fresh "on Thursday" / "overnight": the date is the
        # context ("since Hamas attacked on October 7"), the weekday is the strike's.
        fresh = timecues.event_time(head, head_tags - {"month"}, base, zone, norm, head_cues)
        if fresh is not None:
            when, old = fresh, False
    # "sentenced … for the shelling in 2022": a trial or memorial of a past year's strike
    about_past = [
        t for t in head if ev.sentence_tags[shape.sentences.index(t.start)] & _PAST_CONTEXTS
    ]
    old = old or (published and timecues.past_year(about_past, base))
    if when is None:
        when = timecues.event_time(tokens, ev.tags, base, zone, norm, cues)
        if when is not None and timecues.is_old(when, base):
            when = None  # an earlier event the body recalls
    return when, old


def reading(ev: Evidence, shape: Structure) -> list[str]:
    """Where the strike was read ("read:headline+lead" or "read:body") and what was skipped."""
    in_head = any(s < shape.head for s in ev.strike_sentences)
    out = ["read:headline+lead" if in_head else "read:body"]
    if shape.background:
        out.append(f"skipped:background×{len(shape.background)}")
    if shape.furniture:
        out.append(f"skipped:furniture×{len(shape.furniture)}")
    return out


def headline(shape: Structure) -> int | None:
    """The first sentence with text (the headline, or the lead's first sentence)."""
    starts = shape.sentences.starts
    for i in range(shape.head):
        end = starts[i + 1] if i + 1 < len(starts) else len(shape.main)
        if shape.main[starts[i] : end].strip():
            return i
    return None


def restated(shape: Structure, gazetteer: places.GazetteerLike) -> frozenset[int]:
    """The recall sentences that may restate the main event: all of them, unless one names a
    place outside every region the rest of the text (not background) names."""
    sentences = shape.sentences
    regions: set[str] = set()
    recalled: list[Place] = []
    for m in gazetteer.find_places(shape.source):
        if m.kind == "country":
            continue
        s = sentences.index(m.start)
        if s in shape.recall:
            recalled.append(m.place)
        elif s not in shape.background and m.place.region_code:
            regions.add(m.place.region_code)
    if any(p.region_code not in regions for p in recalled):
        return frozenset()  # another city: another event
    return shape.recall
