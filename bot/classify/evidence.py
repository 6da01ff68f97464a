"""Per-document evidence: how strongly the text reports a strike, and a civilian impact.

Each cue family has a weight in [0, 1]; a family's strongest cue counts fully and every further
family adds a little, so "missile" + "struck" + "explosion" is surer than "missile" alone.
An object (a school, a substation) counts as hit only in a sentence that also reports a strike,
an explosion, damage or fire, and not when it is only near the impact or only aimed at.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bot.classify.text import Sentences
from bot.classify.tokens import CONTINUED, Token

STRIKE_CAP = 1.2  # the most strike evidence a text can reach
STRIKE_WEIGHTS: dict[str, float] = {
    "strike": 1.0,
    "weapon": 0.9,
    "damage": 0.7,
    "strike_weak": 0.5,
    "explosion": 0.55,
    "self_explode": 0.3,
    "crater": 0.3,
}
OBJECT_WEIGHTS: dict[str, float] = {
    "residential": 1.0,
    "medical": 1.0,
    "education": 1.0,
    "religious": 1.0,
    "cultural": 1.0,
    "civilian": 1.0,
    "commercial": 0.95,
    "energy": 0.9,
    "water": 0.9,
    "transport": 0.8,
    "building": 0.8,
    "industrial": 0.6,
    "bridge": 0.0,
}
#: Objects whose damage makes a text civilian harm even on the "other side" of the front line.
STRONG_OBJECTS = frozenset(
    {"residential", "medical", "education", "religious", "cultural", "civilian", "commercial"}
)
#: Objects reported in Report.objects (the rest only feed the score).
LISTED_OBJECTS = frozenset(OBJECT_WEIGHTS) - {"building", "bridge"}
#: A sentence that only aims, plans or warns of a strike (or finds a dud): the
#: objects it names were not hit.
_UNREALISED = frozenset({"attempt", "neg:expect"})
_EVENT_FAMILIES = ("strike", "weapon", "damage", "strike_weak", "explosion", "self_explode", "fire")


@functools.cache
def _family(tag: str) -> str | None:
    if tag.startswith("weapon:"):
        return "weapon"
    if tag in STRIKE_WEIGHTS or tag == "fire":
        return tag
    return None


def combine(weights: list[float], extra: float, cap: float) -> float:
    """Strongest weight plus ``extra`` for each further one, at most ``cap``."""
    if not weights:
        return 0.0
    ordered = sorted(weights, reverse=True)
    return min(cap, ordered[0] + extra * sum(1 for w in ordered[1:] if w > 0))


@dataclass
class Evidence:
    strike: float = 0.0
    strike_families: set[str] = field(default_factory=set)
    objects: dict[str, float] = field(default_factory=dict)  # object type → weight, as hit
    strike_sentences: set[int] = field(default_factory=set)
    impact_sentences: set[int] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    sentence_tags: list[set[str]] = field(default_factory=list)


NEAR_CHARS = 25  # "near"/"біля" shields an object named this soon after it


@functools.cache
def _profile(tags: tuple[str, ...]) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """(strike families, whether one of them marks a strike sentence, object kinds) of a cue."""
    families = tuple(f for f in map(_family, tags) if f is not None)
    eventful = any(f not in ("fire", "self_explode") for f in families)
    objects = tuple(t[4:] for t in tags if t.startswith("obj:") and _family(t) is None)
    return families, eventful, objects


def gather(tokens: list[Token], sentences: Sentences) -> Evidence:
    """Collect strike families and hit objects from the cue tokens (in text order)."""
    ev = Evidence(sentence_tags=[set() for _ in range(len(sentences))])
    near_until = -1
    per_sentence_objects: list[list[tuple[str, int]]] = [[] for _ in range(len(sentences))]
    starts = sentences.starts
    s, next_start = 0, starts[1] if len(starts) > 1 else 1 << 62
    for i, tok in enumerate(tokens):
        if not tok.tags or tok.tags == CONTINUED:
            continue
        while tok.start >= next_start:
            s += 1
            next_start = starts[s + 1] if s + 1 < len(starts) else 1 << 62
        ev.sentence_tags[s].update(tok.tags)
        ev.tags.update(tok.tags)
        if "near" in tok.tags:
            near_until = tok.end + NEAR_CHARS
        families, eventful, objects = _profile(tok.tags)
        if families:
            ev.strike_families.update(families)
            if eventful:
                ev.strike_sentences.add(s)
        if objects and tok.start > near_until:
            per_sentence_objects[s].extend((kind, i) for kind in objects)
    for s, found in enumerate(per_sentence_objects):
        tags = ev.sentence_tags[s]
        eventful = any(_family(t) is not None for t in tags)
        if not found or not eventful:
            continue
        if "obj:bridge" in tags:  # a bridge is dual-use: its railway or road is not civilian
            found = [(kind, i) for kind, i in found if kind != "transport"]
        if tags & _UNREALISED and not tags & {"damage", "fire", "explosion"}:
            continue
        ev.impact_sentences.add(s)
        for kind, _ in found:
            ev.objects[kind] = max(ev.objects.get(kind, 0.0), OBJECT_WEIGHTS.get(kind, 0.5))
    strike_weights = [STRIKE_WEIGHTS[f] for f in ev.strike_families if f in STRIKE_WEIGHTS]
    # Damage alone implies a strike only for homes, schools, shops… ("Damaged school in X"):
    # a damaged pipeline or substation with no strike named is as likely an accident.
    if ev.strike_families & set(STRIKE_WEIGHTS) == {"damage"} and not (
        set(ev.objects) & (STRONG_OBJECTS | {"building"})
    ):
        strike_weights = [0.3]
    ev.strike = combine(strike_weights, 0.1, STRIKE_CAP)
    return ev


_CLAUSE_BREAK = re.compile(r"[.;:!?|—–,]")
_PEOPLE_TAGS = frozenset({"kill", "kill1", "injure", "injure1", "casualty"})


def focus_clauses(cues: list[Token], norm: str) -> list[tuple[int, int]]:
    """Spans of clauses (between commas, dashes, sentence ends) naming a strike and its impact.

    Clauses that tell harm to people or to homes, hospitals, schools, shops… come first: in a
    roundup ("a hit on the refinery in X, … in Y a missile destroyed a shopping centre") a
    clause that names only a plant, a substation or a bridge is the focus only when no clause
    tells civilian harm."""
    civilian: list[tuple[int, int]] = []
    other: list[tuple[int, int]] = []
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(norm)]
    breaks.append(len(norm))
    start = 0
    strike = impact = harm = False
    b = 0
    for tok in [*cues, Token("", len(norm) + 1, len(norm) + 1)]:
        while b < len(breaks) and breaks[b] < tok.start:
            if strike and impact:
                (civilian if harm else other).append((start, breaks[b]))
            start, strike, impact, harm = breaks[b] + 1, False, False, False
            b += 1
        for tag in tok.tags:
            family = _family(tag)
            if family is not None and family not in ("fire", "self_explode"):
                strike = True
            elif tag.startswith("obj:") or tag in _PEOPLE_TAGS:
                impact = True
                harm = harm or tag in _PEOPLE_TAGS or tag[4:] in STRONG_OBJECTS
    return civilian or other
