"""Merging figures and lists when a report joins an event (pure; used by ``cluster.cluster``).

Figures take the maximum, never a sum; lists are unions in order of first mention."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from bot.domain import Place, Report, Source, Weapon

_T = TypeVar("_T")


def rise(before: int | None, after: int | None) -> int:
    return (after or 0) - (before or 0)


def max_opt(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def max_figure(a: int | None, a_more: bool, b: int | None, b_more: bool) -> tuple[int | None, bool]:
    if b is None or (a is not None and a > b):
        return a, a_more
    if a is None or b > a:
        return b, b_more
    return a, a_more or b_more


def union(kept: Sequence[_T], added: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys((*kept, *added)))


def union_places(kept: Sequence[Place], added: Iterable[Place]) -> tuple[Place, ...]:
    """Union by code; the first place seen with a code is kept."""
    seen: dict[str, Place] = {}
    for place in (*kept, *added):
        seen.setdefault(place.code, place)
    return tuple(seen.values())


def union_sources(kept: Sequence[Source], added: Iterable[Source]) -> tuple[Source, ...]:
    result = list(kept)
    names = {s.name.casefold() for s in result if s.name}
    urls = {s.url for s in result if s.url}
    for source in added:
        if (source.name and source.name.casefold() in names) or (source.url and source.url in urls):
            continue
        if not source.name and not source.url:
            continue
        result.append(source)
        names.add(source.name.casefold())
        urls.add(source.url)
    return tuple(result)


def weapons_named(kept: Sequence[str], report: Report) -> tuple[str, ...]:
    """Every weapon named so far (the report's main one, then its others), unknown left out."""
    added = (report.weapon.value, *(w.value for w in report.weapons))
    return tuple(w for w in union(kept, added) if w != Weapon.UNKNOWN.value)
