"""The scored model: strike evidence × civilian impact − negative contexts → score in [0, 1].

    z = BIAS + A·strike + B·impact + C·min(strike, impact) − Σ penalties
    score = 1 / (1 + e^(−z))

``strike`` and ``impact`` are in [0, ~1.3] (see :mod:`bot.classify.evidence`); the product-like
``min`` term makes the model conjunctive: a strike with no stated impact, or casualties with no
strike, stay below 0.5. Penalties (:mod:`bot.classify.penalties`) fire on negative contexts;
every weight that fired is listed in ``Report.reasons``.

Speed: because of that conjunction, a text with no strike cue at all (most news) or with no
impact cue (interceptions, launches) cannot reach any threshold above ~0.083, so such texts are
answered after the cue scan alone (``reasons`` "no-strike-cue" / "no-impact-cue", no place). A toll
update ("the toll from the attack on X rose to 18", :mod:`bot.classify.tolls`) lifts a bare
"attack" to a strike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from bot.classify import mainevent as main
from bot.classify import numbers, weapons
from bot.classify.evidence import (
    LISTED_OBJECTS,
    STRIKE_CAP,
    Evidence,
    combine,
    focus_clauses,
    gather,
)
from bot.classify.lexicon import LANGUAGES, Hit, Lexicon, choose_lexicon, load_lexicon
from bot.classify.penalties import HARM_TAGS as _HARM_TAGS
from bot.classify.penalties import negatives
from bot.classify.places import GazetteerLike
from bot.classify.structure import Structure, read_structure
from bot.classify.text import Sentences, join_title, normalise
from bot.classify.tokens import Token, sentence_spans, tagged_tokens, tokenize
from bot.domain import Place, Report, Weapon

BIAS, A, B, C = -5.0, 2.0, 2.0, 3.0
IMPACT_CAP = 1.3
UPDATE_ATTACK = 0.8  # a bare "attack" reads as a strike when the text updates its toll
NO_STRIKE_CUE = Report(
    is_civilian_strike=False,
    score=round(1.0 / (1.0 + math.exp(-BIAS)), 4),
    reasons=("no-strike-cue",),
)
#: Cues without which the impact term is 0 (besides objects hit).
_IMPACT_TAGS = frozenset({"kill", "kill1", "injure", "injure1", "toll", "casualty"})
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
        """Read → the main event → figures, place, weapon, time → the verdict, in named steps."""
        title, doc, norm = _prepare(title, text)
        lexicon, hits = choose_lexicon(self._lexicons, doc, norm, lang)
        if hits is None and self._fast and _no_strike_cue(lexicon, doc, norm):
            return NO_STRIKE_CUE
        if hits is None:
            hits = lexicon.scan(norm)
        sentences = Sentences.split(doc)
        ev = gather(hits, sentences)
        # A strike with no stated harm anywhere: no need to read on (blanking only removes).
        if self._harmless(ev):
            return _no_impact(ev, doc, norm)
        reading = self._main_event(title, doc, norm, hits, sentences, ev)
        if self._harmless(reading.ev):
            return _no_impact(reading.ev, reading.doc, reading.norm)
        return self._report(reading, lexicon, sentences, published, now)

    def _harmless(self, ev: Evidence) -> bool:
        """On the fast path, a text that names no harm at all is answered without reading on."""
        return self._fast and not ev.objects and ev.tags.isdisjoint(_IMPACT_TAGS)

    def _main_event(
        self,
        title: str,
        doc: str,
        norm: str,
        hits: list[Hit],
        sentences: Sentences,
        ev: Evidence,
    ) -> _Reading:
        """Read the main event only: page furniture and background are blanked (same offsets)."""
        title_chars = len(title) if title and doc.startswith(title) else 0
        shape = read_structure(doc, norm, title_chars, sentences)
        if shape.main is doc:
            return _Reading(doc, norm, hits, ev, shape)
        everything = hits
        hits = _kept(everything, sentences, shape)
        ev = gather(hits, sentences)
        if shape.recall and ev.tags & _HARM_TAGS and not ev.strike_families & _STRIKES:
            # A toll with the strike only in "Нагадаємо, …": the recall restates this event
            # unless it names a place the rest of the text does not.
            restated = main.restated(shape, self.gazetteer)
            if restated:
                shape = shape.restore(restated)
                hits = _kept(everything, sentences, shape)
                ev = gather(hits, sentences)
        return _Reading(shape.main, shape.main_norm, hits, ev, shape)

    def _report(
        self,
        reading: _Reading,
        lexicon: Lexicon,
        sentences: Sentences,
        published: datetime | None,
        now: datetime,
    ) -> Report:
        doc, norm, hits, ev, shape = (
            reading.doc, reading.norm, reading.hits, reading.ev, reading.shape
        )  # fmt: skip
        cues = tagged_tokens(hits)
        people, tokens = _figures(cues, hits, norm, lexicon, sentences, ev)
        matches = self.gazetteer.find_places(doc) if doc else []
        chosen = main.where(matches, doc, norm, ev, shape, focus_clauses(cues, norm))
        weapon_tags, weapon = _weapon(ev, doc, norm)
        if weapon_tags and weapon is not Weapon.UNKNOWN:
            ev.strike = max(ev.strike, 0.9)
        base = published or now
        when, old = main.when(tokens, cues, ev, base, published is not None, chosen, shape, norm)
        score, reasons, penalties = _verdict(ev, people, weapon, weapon_tags, chosen, old, shape)
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


@dataclass(frozen=True, slots=True)
class _Reading:
    """The text with background and furniture blanked, and what was read in it."""

    doc: str
    norm: str
    hits: list[Hit]
    ev: Evidence
    shape: Structure


def _prepare(title: str, text: str) -> tuple[str, str, str]:
    """The title (stripped), the document (title + text) and its normalised form, offsets equal."""
    title = (title or "").strip()
    doc = join_title(title, text or "")
    norm = normalise(doc)
    if len(norm) != len(doc):  # a few characters lower-case to two; keep offsets aligned
        norm = "".join(normalise(ch)[:1] or ch for ch in doc)
    return title, doc, norm


def _no_strike_cue(lexicon: Lexicon, doc: str, norm: str) -> bool:
    return not lexicon.has_event(norm) and not weapons.proper_mlrs(doc, norm)


def _kept(hits: list[Hit], sentences: Sentences, shape: Structure) -> list[Hit]:
    """The hits outside background and furniture sentences."""
    gone = shape.background | shape.furniture
    return [h for h in hits if sentences.index(h.start) not in gone]


def _figures(
    cues: list[Token],
    hits: list[Hit],
    norm: str,
    lexicon: Lexicon,
    sentences: Sentences,
    ev: Evidence,
) -> tuple[numbers.Casualties, list[Token]]:
    """Killed, injured, children; and the tokens dates are read from. Figures and dates need
    every word of the sentences that hold them."""
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
    return people, tokens


def _weapon(ev: Evidence, doc: str, norm: str) -> tuple[set[str], Weapon]:
    """The weapon tags the text carries (an MLRS named as such too), and the one weapon."""
    weapon_tags = weapons.weapon_tags(ev.tags)
    if weapons.proper_mlrs(doc, norm):
        weapon_tags.add("weapon:mlrs")
    return weapon_tags, weapons.choose_weapon(weapon_tags)


def _verdict(
    ev: Evidence,
    people: numbers.Casualties,
    weapon: Weapon,
    weapon_tags: set[str],
    chosen: tuple[Place, ...],
    old: bool,
    shape: Structure,
) -> tuple[float, list[str], list[tuple[str, float]]]:
    """The score, the reasons for it, and the penalties among them."""
    impact, impact_reasons = _impact(ev, people)
    reasons = [f"weapon:{weapon.value}"] if weapon is not Weapon.UNKNOWN else []
    if weapons.describe(weapons.named_weapons(weapon_tags)) == "missiles and drones":
        reasons.append("weapons:missiles and drones")
    reasons += sorted(f"cue:{f}" for f in ev.strike_families)
    reasons += impact_reasons
    z = BIAS + A * ev.strike + B * impact + C * min(ev.strike, impact)
    penalties = negatives(ev, people, chosen, old, shape)
    for name, weight in penalties:
        z -= weight
        reasons.append(name)
    reasons += [f"place:{p.name_en or p.region_en or p.country}" for p in chosen[:1]]
    reasons += main.reading(ev, shape)
    return _sigmoid(z), reasons, penalties


def _updates_toll(
    people: numbers.Casualties, chosen: tuple[Place, ...], penalties: list[tuple[str, float]]
) -> bool:
    """A rising death toll in a named place, with no penalty: no other cause (flood, accident,
    IED), no soldiers, no other side, nothing old."""
    rising = people.update and people.killed is not None and people.killed.value > 0
    return rising and bool(chosen) and not people.military and not penalties


def _no_impact(ev: Evidence, doc: str, norm: str) -> Report:
    """The verdict on a text that names a strike but no harm: below any usable threshold."""
    _tags, weapon = _weapon(ev, doc, norm)
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
