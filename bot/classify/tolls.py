"""Toll updates: "the death toll has risen to 18", "кількість загиблих зросла до 18".

A *toll subject* (lexicon tag ``toll``: "death toll", "the number of people killed", "число
погибших", "кількість поранених") and a *rise verb* (tag ``rise``: "rose", "climbs", "has risen",
"reaches", "зросла", "возросло", "сягнула") in one sentence state the current figure: the number
right after the verb ("to 18", "до 18") or, in the inverted order, right before it ("до 18 зросла
кількість загиблих"). The subject may stand far from the verb ("the number of people killed in
the missile attack on a residential district of the city has risen to 18"), so the search runs to
the end of the sentence rather than the few words the ordinary casualty scan looks at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.classify.tokens import Token

#: Only these end the search: a subject and its verb are often several commas apart.
_SENTENCE_STOPS = frozenset(".;!?|")
SUBJECT_REACH = 30  # tokens from the subject to its verb
FIGURE_REACH = 4  # tokens from the verb to its number ("has risen to at least 18")


@dataclass(frozen=True, slots=True)
class Figure:
    """A stated number of people; ``more`` for "more than 50"."""

    value: int
    more: bool = False


@dataclass(frozen=True, slots=True)
class Toll:
    kind: str  # "kill" | "injure"
    figure: Figure
    subject: int  # token index of the subject


def toll_kind(tok: Token) -> str:
    """What a toll subject counts: a bare "toll" is a death toll."""
    return tok.kind or "kill"


def read_tolls(tokens: list[Token], figure: Callable[[int], Figure | None]) -> list[Toll]:
    """Every stated toll update; ``figure(j)`` reads the number phrase at token ``j``."""
    out: list[Toll] = []
    for k, tok in enumerate(tokens):
        if not tok.has("toll"):
            continue
        verb = _verb(tokens, k)
        if verb is None:
            continue
        found = _number_near(tokens, verb, k, figure)
        if found is not None:
            out.append(Toll(toll_kind(tok), found, k))
    return out


def _verb(tokens: list[Token], k: int) -> int | None:
    if tokens[k].has("rise"):  # "toll rises" written as one cue
        return k
    for j in range(k + 1, min(len(tokens), k + 1 + SUBJECT_REACH)):
        tok = tokens[j]
        if tok.text in _SENTENCE_STOPS or tok.has("toll"):
            break
        if tok.has("rise"):
            return j
    for j in range(k - 1, max(-1, k - 4), -1):  # "зросла кількість загиблих", "rose the toll"
        tok = tokens[j]
        if tok.text in _SENTENCE_STOPS:
            break
        if tok.has("rise"):
            return j
    return None


def _number_near(
    tokens: list[Token],
    verb: int,
    subject: int,
    figure: Callable[[int], Figure | None],
) -> Figure | None:
    for step in (1, -1):  # after the verb first ("rose to 18"), then before ("до 18 зросла")
        j = verb + step
        for _ in range(FIGURE_REACH):
            if not 0 <= j < len(tokens) or j == subject:
                break
            tok = tokens[j]
            if tok.text in _SENTENCE_STOPS or tok.text == "," or tok.kind is not None:
                break
            if tok.has("vague"):
                return None
            found = figure(j)
            if found is not None:
                return found
            j += step
    return None


_AND = frozenset({"and", "і", "й", "та", "и"})


def plus_one(tokens: list[Token], values: list[int | None], i: int, fig: Figure) -> Figure:
    """``fig`` (read at token ``i``) plus one for a single person named before it with "and".

    "The driver and two passengers were killed" → 3; "a man and a woman" → 2. Not when that
    person carries a number of its own ("5 человек и двое детей"): then the figures may overlap.
    """
    lo = i
    while lo > 0 and values[lo - 1] is not None:
        lo -= 1
    if lo < 2 or tokens[lo - 1].text not in _AND or "person1" not in tokens[lo - 2].tags:
        return fig
    if lo > 2 and values[lo - 3] not in (None, 1):
        return fig
    return Figure(fig.value + 1, fig.more)
