"""Place names in the grammatical case a sentence needs: "на Харківську область", "від Бучі".

The forms are made at build time with pymorphy3 (``tools/build_place_cases.py``) and stored in
``data/place_cases.json.gz``; this module reads the file on first use (no morphology at run
time). Only Ukrainian and Russian decline here; any other language, an unknown name or a missing
file gives the name unchanged — a sentence may read stiffly, it never breaks.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import pathlib
from typing import Literal

DATA_FILE = pathlib.Path(__file__).parent / "data" / "place_cases.json.gz"
Case = Literal["gent", "accs"]
log = logging.getLogger("strikebot.i18n")


@functools.cache
def _table(
    path: pathlib.Path = DATA_FILE,
) -> tuple[tuple[str, ...], dict[str, dict[str, list[str]]]]:
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as exc:
        log.warning("place case forms unavailable (%s): names stay in the nominative", exc)
        return (), {}
    cases = tuple(str(c) for c in data.pop("cases", []))
    return cases, {lang: table for lang, table in data.items() if isinstance(table, dict)}


def inflect(lang: str, name: str, case: Case) -> str:
    """``name`` in ``case`` for ``lang`` ("uk"/"ru"); the name itself when no form is known."""
    cases, tables = _table()
    forms = tables.get(lang, {}).get(name)
    if not forms or case not in cases:
        return name
    return forms[cases.index(case)] or name
