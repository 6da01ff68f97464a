"""Typo-tolerant lookup of a user's query among the gazetteer's name keys (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

MIN_SCORE = 82.0
CANDIDATES = 40


def fuzzy_keys(query: bytes, keys: Sequence[bytes]) -> list[tuple[bytes, float]]:
    """Keys close to ``query`` with their 0–100 similarity, best first.

    Whole-string similarity (not partial), so "Харків" does not pull in every "Харківський …";
    a short query is held to a stricter score since one typo changes more of it. Keys are
    one-byte-per-letter ``bytes`` (see :mod:`bot.geo.datafile`), so byte similarity is letter
    similarity.
    """
    floor = MIN_SCORE if len(query) > 5 else 90.0
    found = process.extract(query, keys, scorer=fuzz.ratio, limit=CANDIDATES, score_cutoff=floor)
    return [(key, float(score)) for key, score, _index in found]
