"""The negative contexts of the scored model (:mod:`bot.classify.classifier`): which fire on a
text, and how much each takes off ``z``. Pure."""

from __future__ import annotations

from bot.classify import mainevent as main
from bot.classify import numbers
from bot.classify.evidence import STRONG_OBJECTS, Evidence
from bot.classify.structure import Structure
from bot.domain import Place

HARM_TAGS = frozenset({"kill", "kill1", "injure", "injure1", "toll", "casualty"})
#: Share of a negative cue's weight when only body sentences (not the headline or lead) hold it.
BODY_SHARE = 0.25
PENALTIES: dict[str, float] = {
    "neg:nonstrike": 5.0,
    "neg:ied": 4.0,
    "neg:disaster": 4.0,
    "neg:accident": 2.5,
    "neg:court": 3.0,
    "neg:guide": 3.0,  # "your home was damaged? how to get compensation": advice, not news
    "neg:old": 3.5,
    "neg:investigation": 3.0,
    "neg:exercise": 3.0,
    "neg:ground": 2.5,
    "neg:politics": 2.0,
    "neg:aftermath": 1.5,
    "neg:stats": 2.0,
    "neg:expect": 1.5,
    "neg:remnant": 1.5,
    "neg:launch": 1.0,
    "military-target": 2.5,
    "other-side": 3.0,
    "ru-claim": 1.5,
    "intercept-only": 2.0,
    "old": 3.5,
}
#: Negatives that only weigh fully when they share a sentence with the strike or its impact.
_SCOPED = frozenset(
    {"neg:politics", "neg:aftermath", "neg:stats", "neg:expect", "neg:launch", "neg:ground"}
)
_OUT_OF_SCOPE = 0.3  # share of a scoped penalty whose cue is outside the strike sentences
_OTHER_SIDE_REGIONS = frozenset({"UA-43", "UA-40"})  # Crimea, Sevastopol
_NEGATIVE_CUES = frozenset(t for t in PENALTIES if t.startswith("neg:")) - {"neg:old"}
_TOPIC_CUES = frozenset({"neg:court", "neg:old", "neg:aftermath", "neg:politics", "neg:stats"})
TOPIC_PENALTY = 2.0
_CIVIL_OBJECTS = STRONG_OBJECTS | {"energy", "water", "transport"}
_PLAIN_STRIKE = frozenset({"strike", "strike_weak"})


def negatives(
    ev: Evidence,
    people: numbers.Casualties,
    chosen: tuple[Place, ...],
    old: bool,
    shape: Structure,
) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    focus = ev.strike_sentences | ev.impact_sentences
    head_tags: set[str] = set().union(*ev.sentence_tags[: shape.head])
    # The headline and lead state a strike and its harm plainly: a negative cue only the body
    # holds (an investigation of this strike, a reaction) does not undo it.
    plain = (
        any(s < shape.head for s in ev.strike_sentences)
        and bool(head_tags & HARM_TAGS or any(s < shape.head for s in ev.impact_sentences))
        and any(t in _PLAIN_STRIKE or t.startswith("weapon:") for t in head_tags)
    )
    for tag in sorted(ev.tags & _NEGATIVE_CUES):
        weight = PENALTIES[tag]
        scoped = tag in _SCOPED and len(ev.sentence_tags) > 1
        if scoped and not any(tag in ev.sentence_tags[s] for s in focus):
            weight *= _OUT_OF_SCOPE
        if plain and tag not in head_tags:  # a body sentence about the main event
            weight *= BODY_SHARE
        out.append((tag, round(weight, 3)))
    # The headline is about something else the strike led to (a trial, a memorial, sanctions,
    # a donation drive) and the lead reports no harm: the item is about that, not the strike.
    first = main.headline(shape)
    topic = sorted(ev.sentence_tags[first] & _TOPIC_CUES) if first is not None else []
    head_harm = bool(head_tags & HARM_TAGS) or any(s < shape.head for s in ev.impact_sentences)
    if topic and not head_harm:
        out.append((f"topic:{topic[0][4:]}", TOPIC_PENALTY))
    civilian_harm = people.civilian or bool(set(ev.objects) & STRONG_OBJECTS)
    if (people.military or "military" in ev.tags) and not civilian_harm:
        out.append(("military-target", PENALTIES["military-target"]))
    if "ru_claim" in ev.tags and not civilian_harm:
        out.append(("ru-claim", PENALTIES["ru-claim"]))
    other_side = (
        "ua_actor" in ev.tags
        or "occupied" in ev.tags
        or any(p.country == "RU" or p.region_code in _OTHER_SIDE_REGIONS for p in chosen[:1])
    )
    # People killed or hurt with no word that they were soldiers: on the other side of the
    # front that is harm to people (Belgorod), unlike a hit refinery or substation.
    hurt = [c.value for c in (people.killed, people.injured) if c is not None]
    people_hurt = any(v > 0 for v in hurt) and not people.military
    if other_side and not (civilian_harm or (people_hurt and "military" not in ev.tags)):
        out.append(("other-side", PENALTIES["other-side"]))
    # Shot down, and only a warehouse's or an office's windows broken: no civilian impact.
    if "intercept" in ev.tags and not (people.civilian or set(ev.objects) & _CIVIL_OBJECTS):
        out.append(("intercept-only", PENALTIES["intercept-only"]))
    if old:
        out.append(("old", PENALTIES["old"]))
    return out
