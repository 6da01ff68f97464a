"""Word tokens of a normalised document, each carrying the lexicon tags that start at it."""

from __future__ import annotations

import functools
from typing import NamedTuple

from bot.classify.lexicon import Hit
from bot.classify.text import TOKEN

#: Tokens that end a clause for the casualty scanner.
STOPS = frozenset(".;:!?()|—–")
CONTINUED = ("cont",)


_KILL = frozenset({"kill", "kill1"})
_INJURE = frozenset({"injure", "injure1"})


@functools.cache
def casualty_kind(tags: tuple[str, ...]) -> str | None:
    """"kill" or "injure" for a casualty keyword's tags, else None."""
    if not tags:
        return None
    if _KILL.intersection(tags):
        return "kill"
    if _INJURE.intersection(tags):
        return "injure"
    return None


class Token(NamedTuple):
    text: str
    start: int
    end: int
    tags: tuple[str, ...] = ()
    kind: str | None = None  # casualty keyword: "kill" | "injure"

    def has(self, tag: str) -> bool:
        return tag in self.tags

    @property
    def is_stop(self) -> bool:
        return self.text in STOPS


def tokenize(norm: str, hits: list[Hit]) -> list[Token]:
    """Tokens of ``norm``; a multi-word cue tags its first token, later ones get ``cont``."""
    by_start = {hit.start: hit for hit in hits}
    tokens: list[Token] = []
    covered_until = -1
    for m in TOKEN.finditer(norm):
        start, end = m.span()
        hit = by_start.get(start)
        if hit is not None:
            tokens.append(Token(m.group(), start, end, hit.tags, casualty_kind(hit.tags)))
            covered_until = hit.end
        elif start < covered_until:
            tokens.append(Token(m.group(), start, end, CONTINUED))
        else:
            tokens.append(Token(m.group(), start, end))
    return tokens


def tagged_tokens(hits: list[Hit]) -> list[Token]:
    """Only the cue tokens (cheap): enough for evidence when no figures or dates are needed."""
    return [Token(hit.stem, hit.start, hit.end, hit.tags, casualty_kind(hit.tags)) for hit in hits]
