"""Word tokens of a normalised document, each carrying the lexicon tags that start at it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.classify.lexicon import Hit
from bot.classify.text import TOKEN

#: Tokens that end a clause for the casualty scanner.
STOPS = frozenset(".;:!?()|—–")
CONTINUED = ("cont",)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    tags: tuple[str, ...] = ()

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
            tokens.append(Token(m.group(), start, end, hit.tags))
            covered_until = hit.end
        elif start < covered_until:
            tokens.append(Token(m.group(), start, end, CONTINUED))
        else:
            tokens.append(Token(m.group(), start, end))
    return tokens
