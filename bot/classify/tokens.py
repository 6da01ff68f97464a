"""Word tokens of a normalised document, each carrying the lexicon tags that start at it."""

from __future__ import annotations

import bisect
import functools
from typing import NamedTuple

from bot.classify.text import TOKEN

#: Tokens that end a clause for the casualty scanner.
STOPS = frozenset(".;:!?()|—–")
CONTINUED = ("cont",)


_KILL = frozenset({"kill", "kill1"})
_INJURE = frozenset({"injure", "injure1"})


@functools.cache
def casualty_kind(tags: tuple[str, ...]) -> str | None:
    """ "kill" or "injure" for a casualty keyword's tags, else None."""
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

    @property
    def stem(self) -> str:
        """For a cue (a lexicon hit): the stem that matched."""
        return self.text


def tokenize(
    norm: str, hits: list[Token], spans: list[tuple[int, int]] | None = None
) -> list[Token]:
    """Tokens of ``norm`` (or of its ``spans`` only, joined by a "." token); a multi-word cue
    tags its first token, later ones get ``cont``."""
    by_start = {hit.start: hit for hit in hits}
    tokens: list[Token] = []
    append = tokens.append
    covered_until = -1
    for lo, hi in spans if spans is not None else [(0, len(norm))]:
        if tokens:
            append(Token(".", lo, lo))
        for m in TOKEN.finditer(norm, lo, hi):
            start, end = m.span()
            hit = by_start.get(start)
            if hit is not None:
                append(Token(m.group(), start, end, hit.tags, casualty_kind(hit.tags)))
                covered_until = hit.end
            elif start < covered_until:
                append(Token(m.group(), start, end, CONTINUED))
            else:
                append(Token(m.group(), start, end))
    return tokens


def sentence_spans(
    cues: list[Token], starts: tuple[int, ...], end: int, wanted: frozenset[str]
) -> list[tuple[int, int]]:
    """Character spans of the sentences (``starts``) holding a cue tagged with one of
    ``wanted``; neighbouring sentences are merged into one span."""
    spans: list[tuple[int, int]] = []
    last = -1
    for tok in cues:
        if tok.start < last or wanted.isdisjoint(tok.tags):
            continue
        s = bisect.bisect_right(starts, tok.start) - 1
        lo = starts[s]
        last = starts[s + 1] if s + 1 < len(starts) else end
        if spans and spans[-1][1] == lo:
            spans[-1] = (spans[-1][0], last)
        else:
            spans.append((lo, last))
    return spans


def tagged_tokens(hits: list[Token]) -> list[Token]:
    """Only the cue tokens (cheap): enough for evidence when no figures or dates are needed."""
    return hits
