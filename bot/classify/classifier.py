"""The scored model: strike evidence × civilian impact − negative contexts → score in [0, 1].

    z = BIAS + A·strike + B·impact + C·min(strike, impact) − Σ penalties
    score = 1 / (1 + e^(−z))

``strike`` and ``impact`` are in [0, ~1.3] (see :mod:`bot.classify.evidence`); the product-like
``min`` term makes the model conjunctive: a strike with no stated impact, or casualties with no
strike, stay below 0.5. Penalties (:data:`PENALTIES`) fire on negative contexts; every weight that
fired is listed in ``Report.reasons``.

Speed: because of that conjunction, a text with no strike cue at all (most news) or with no
impact cue (interceptions, launches) cannot reach any threshold above ~0.083, so such texts are
answered after the cue scan alone (``reasons`` "no-strike-cue" / "no-impact-cue", no place). A toll
update ("the toll from the attack on X rose to 18", :mod:`bot.classify.tolls`) lifts a bare
"attack" to a strike.
"""

from __future__ import annotations

import math
from datetime import datetime

from bot.classify import mainevent as main
from bot.classify import numbers, weapons
from bot.classify.evidence import (
    LISTED_OBJECTS,
    STRIKE_CAP,
    STRONG_OBJECTS,
    Evidence,
    combine,
    focus_clauses,
    gather,
)
from bot.classify.lexicon import LANGUAGES, Lexicon, choose_lexicon, load_lexicon
from bot.classify.places import GazetteerLike
from bot.classify.structure import Structure, read_structure
from bot.classify.text import Sentences, join_title, normalise
from bot.classify.tokens import sentence_spans, tagged_tokens, tokenize
from bot.domain import Place, Report, Weapon

BIAS, A, B, C = -5.0, 2.0, 2.0, 3.0
IMPACT_CAP = 1.3
#: Share of a negative cue's weight when only body sentences (not the headline or lead) hold it.
BODY_SHARE = 0.25
UPDATE_ATTACK = 0.8  # a bare "attack" reads as a strike when the text updates its toll
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
NO_STRIKE_CUE = Report(
    is_civilian_strike=False,
    score=round(1.0 / (1.0 + math.exp(-BIAS)), 4),
    reasons=("no-strike-cue",),
)
_NEGATIVE_CUES = frozenset(t for t in PENALTIES if t.startswith("neg:")) - {"neg:old"}
#: Cues without which the impact term is 0 (besides objects hit).
_IMPACT_TAGS = frozenset({"kill", "kill1", "injure", "injure1", "toll", "casualty"})
_TOPIC_CUES = frozenset({"neg:court", "neg:old", "neg:aftermath", "neg:politics", "neg:stats"})
TOPIC_PENALTY = 2.0
_CIVIL_OBJECTS = STRONG_OBJECTS | {"energy", "water", "transport"}
_HARM_TAGS = frozenset({"kill", "kill1", "injure", "injure1", "toll", "casualty"})
_PLAIN_STRIKE = frozenset({"strike", "strike_weak"})
_STRIKES = frozenset({"strike", "strike_weak", "weapon"})
_NEEDS_WORDS = frozenset(
    {
        "kill",
        "kill1",
        "injure",
        "injure1",
        "toll",
        "none_hurt",
        "none_killed",
        "none_injured",
        "child",
        "month",
    }
)


class Classifier:
    """Pure: reads one text and returns a :class:`~bot.domain.Report`."""

    def __init__(self, gazetteer: GazetteerLike, threshold: float = 0.5) -> None:
        self.gazetteer = gazetteer
        self.threshold = threshold
        self._lexicons: dict[str, Lexicon] = {lang: load_lexicon(lang) for lang in LANGUAGES}
        # With no strike cue, z ≤ BIAS + B·IMPACT_CAP; with no impact cue, z ≤ BIAS + A·STRIKE_CAP.
        # Below any threshold above both, such a text is answered at once: most news is not
        # about strikes, and most strike news that is not ours (interceptions) states no harm.
        bound = max(BIAS + B * IMPACT_CAP, BIAS + A * STRIKE_CAP)
        self._fast = threshold > _sigmoid(bound)

    def classify(
        self,
        title: str,
        text: str,
        lang: str | None,
        published: datetime | None,
        now: datetime,
    ) -> Report:
        title = (title or "").strip()
        doc = join_title(title, text or "")
        norm = normalise(doc)
        if len(norm) != len(doc):  # a few characters lower-case to two; keep offsets aligned
            norm = "".join(normalise(ch)[:1] or ch for ch in doc)
        lexicon, hits = choose_lexicon(self._lexicons, doc, norm, lang)
        if (
            hits is None
            and self._fast
            and not lexicon.has_event(norm)
            and not weapons.proper_mlrs(doc, norm)
        ):
            return NO_STRIKE_CUE
        if hits is None:
            hits = lexicon.scan(norm)
        sentences = Sentences.split(doc)
        ev = gather(hits, sentences)
        # A strike with no stated harm anywhere: no need to read on (blanking only removes).
        if self._fast and not ev.objects and ev.tags.isdisjoint(_IMPACT_TAGS):
            return _no_impact(ev, doc, norm)
        # Read the main event only: page furniture and background are blanked (same offsets).
        title_chars = len(title) if title and doc.startswith(title) else 0
        shape = read_structure(doc, norm, title_chars, sentences)
        if shape.main is not doc:
            doc, norm = shape.main, shape.main_norm
            everything = hits
            gone = shape.background | shape.furniture
            hits = [h for h in hits if sentences.index(h.start) not in gone]
            ev = gather(hits, sentences)
            if shape.recall and ev.tags & _HARM_TAGS and not ev.strike_families & _STRIKES:
                # A toll with the strike only in "Нагадаємо, …": the recall restates this event
                # unless it names a place the rest of the text does not.
                restated = main.restated(shape, self.gazetteer)
                if restated:
                    shape = shape.restore(restated)
                    doc, norm = shape.main, shape.main_norm
                    gone = shape.background | shape.furniture
                    hits = [h for h in everything if sentences.index(h.start) not in gone]
                    ev = gather(hits, sentences)
            if self._fast and not ev.objects and ev.tags.isdisjoint(_IMPACT_TAGS):
                return _no_impact(ev, doc, norm)
        cues = tagged_tokens(hits)
        # Figures and dates need every word of the sentences that hold them.
        tokens = cues
        if ev.tags & _NEEDS_WORDS:
            spans = sentence_spans(cues, sentences.starts, len(norm), _NEEDS_WORDS)
            tokens = tokenize(norm, hits, spans)
        people = numbers.extract(tokens, lexicon.numbers, norm, ev.tags)
        if people.update and "strike_weak" in ev.strike_families:
            ev.strike = max(ev.strike, UPDATE_ATTACK)  # "the toll from the attack on X rose to 18"
        for tok in cues:
            if tok.kind is not None or "casualty" in tok.tags:
                ev.impact_sentences.add(sentences.index(tok.start))
        matches = self.gazetteer.find_places(doc) if doc else []
        chosen = main.where(matches, doc, norm, ev, shape, focus_clauses(cues, norm))
        weapon_tags = weapons.weapon_tags(ev.tags)
        if weapons.proper_mlrs(doc, norm):
            weapon_tags.add("weapon:mlrs")
        weapon = weapons.choose_weapon(weapon_tags)
        if weapon_tags and weapon is not Weapon.UNKNOWN:
            ev.strike = max(ev.strike, 0.9)
        base = published or now
        when, old = main.when(tokens, cues, ev, base, published is not None, chosen, shape, norm)

        impact, impact_reasons = _impact(ev, people)
        reasons = [f"weapon:{weapon.value}"] if weapon is not Weapon.UNKNOWN else []
        if weapons.describe(weapons.named_weapons(weapon_tags)) == "missiles and drones":
            reasons.append("weapons:missiles and drones")
        reasons += sorted(f"cue:{f}" for f in ev.strike_families)
        reasons += impact_reasons
        z = BIAS + A * ev.strike + B * impact + C * min(ev.strike, impact)
        penalties = _penalties(ev, people, chosen, old, shape)
        for name, weight in penalties:
            z -= weight
            reasons.append(name)
        reasons += [f"place:{p.name_en or p.region_en or p.country}" for p in chosen[:1]]
        reasons += main.reading(ev, shape)
        score = _sigmoid(z)
        objects = [k for k in sorted(ev.objects) if k in LISTED_OBJECTS and ev.objects[k] > 0]
        if people.civilian:
            objects.append("civilian")
        return Report(
            is_civilian_strike=score >= self.threshold,
            score=round(score, 4),
            places=chosen,
            killed=people.killed.value if people.killed else None,
            injured=people.injured.value if people.injured else None,
            children_killed=people.children_killed,
            children_injured=people.children_injured,
            killed_more=bool(people.killed and people.killed.more),
            injured_more=bool(people.injured and people.injured.more),
            weapon=weapon,
            weapons=weapons.named_weapons(weapon_tags),
            objects=tuple(dict.fromkeys(objects)),
            event_time=when,
            is_old=old,
            reasons=tuple(dict.fromkeys(reasons)),
            updates_toll=_updates_toll(people, chosen, penalties),
        )


def _updates_toll(
    people: numbers.Casualties, chosen: tuple[Place, ...], penalties: list[tuple[str, float]]
) -> bool:
    """A rising death toll in a named place, with no penalty: no other cause (flood, accident,
    IED), no soldiers, no other side, nothing old."""
    rising = people.update and people.killed is not None and people.killed.value > 0
    return rising and bool(chosen) and not people.military and not penalties


def _no_impact(ev: Evidence, doc: str, norm: str) -> Report:
    """The verdict on a text that names a strike but no harm: below any usable threshold."""
    weapon_tags = weapons.weapon_tags(ev.tags)
    if weapons.proper_mlrs(doc, norm):
        weapon_tags.add("weapon:mlrs")
    weapon = weapons.choose_weapon(weapon_tags)
    reasons = [f"weapon:{weapon.value}"] if weapon is not Weapon.UNKNOWN else []
    reasons += sorted(f"cue:{f}" for f in ev.strike_families)
    reasons.append("no-impact-cue")
    score = _sigmoid(BIAS + A * min(ev.strike, STRIKE_CAP))
    return Report(
        is_civilian_strike=False, score=round(score, 4), weapon=weapon, reasons=tuple(reasons)
    )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _impact(ev: Evidence, people: numbers.Casualties) -> tuple[float, list[str]]:
    weights: list[float] = []
    reasons: list[str] = []
    if people.civilian:
        if people.killed and people.killed.value:
            reasons.append("impact:killed")
        if people.injured and people.injured.value:
            reasons.append("impact:injured")
        weights.append(1.0)
        if people.update:
            reasons.append("impact:toll-update")
    elif "casualty" in ev.tags:
        weights.append(0.5 if "military" in ev.tags else 0.9)
        reasons.append("impact:casualties")
    for kind, weight in sorted(ev.objects.items()):
        if weight > 0:
            weights.append(weight)
            reasons.append(f"object:{kind}")
    return combine(weights, 0.15, IMPACT_CAP), reasons


def _penalties(
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
        and bool(head_tags & _HARM_TAGS or any(s < shape.head for s in ev.impact_sentences))
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
    head_harm = bool(head_tags & _HARM_TAGS) or any(s < shape.head for s in ev.impact_sentences)
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
