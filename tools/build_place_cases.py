"""Build ``bot/i18n/data/place_cases.json.gz``: Ukrainian and Russian place names in the
genitive and accusative ("від Бучі", "на Харківську область"). Build-time only (pymorphy3,
the ``gazetteer`` extra); the bot reads the file lazily (:mod:`bot.i18n.cases`).

    python tools/build_place_cases.py [--out PATH]

Names come from the gazetteer's data file (settlements, regions, countries) and the catalog's
country names. A phrase is inflected word by word: its head noun (the last noun) takes the case,
the adjectives before it agree in gender, number and animacy ("Кривий Ріг" → "Кривого Рогу";
an inanimate masculine accusative stays "Кривий Ріг"); words pymorphy3 cannot place in the
nominative (foreign names, abbreviations, brackets) stay as written. Only forms that differ
from the nominative are stored.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import pymorphy3  # noqa: E402

from bot.geo.gazetteer import load_gazetteer  # noqa: E402
from bot.i18n import catalog  # noqa: E402

OUT = ROOT / "bot" / "i18n" / "data" / "place_cases.json.gz"
CASES = ("gent", "accs")
_ADJECTIVES = {"ADJF", "PRTF"}


def _nominative(morph: pymorphy3.MorphAnalyzer, word: str, adjective: bool) -> object | None:
    parses = [p for p in morph.parse(word.lower()) if p.tag.case == "nomn"]
    wanted = _ADJECTIVES if adjective else {"NOUN"}
    fit = [p for p in parses if p.tag.POS in wanted]
    if not adjective:  # a place is not a person: surnames and first names last
        fit.sort(key=lambda p: "Surn" in p.tag or "Name" in p.tag or "Patr" in p.tag)
    return (fit or parses or [None])[0]


def _keep_case(original: str, form: str) -> str:
    if original.isupper():
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _inflect_word(
    morph: pymorphy3.MorphAnalyzer, word: str, grammemes: set[str], adjective: bool
) -> str | None:
    if "-" in word:  # "Івано-Франківськ": only the last part declines
        head, _, tail = word.rpartition("-")
        last = _inflect_word(morph, tail, grammemes, adjective)
        return None if last is None else f"{head}-{last}"
    if not word.replace("'", "").replace("’", "").isalpha():
        return None
    parse = _nominative(morph, word, adjective)
    if parse is None:
        return None
    form = parse.inflect(grammemes)  # type: ignore[attr-defined]
    return None if form is None else _keep_case(word, form.word)


def _is_head(morph: pymorphy3.MorphAnalyzer, word: str) -> bool:
    """A noun that cannot be an adjective: "Ріг" in "Кривий Ріг", "Республіка" in "Автономна
    Республіка Крим" (the words after the head stay as written)."""
    parses = [p for p in morph.parse(word.lower()) if p.tag.case == "nomn"]
    return any(p.tag.POS == "NOUN" for p in parses) and not any(
        p.tag.POS in _ADJECTIVES for p in parses
    )


def inflect(morph: pymorphy3.MorphAnalyzer, name: str, case: str) -> str:
    """``name`` in ``case``; the name itself when it does not decline."""
    words = name.split(" ")
    if any(not w for w in words) or "(" in name:
        return name
    head_at = next((i for i, w in enumerate(words) if _is_head(morph, w)), len(words) - 1)
    head = _nominative(morph, words[head_at], False)
    if head is None or head.tag.POS != "NOUN":  # type: ignore[attr-defined]
        head = _nominative(morph, words[head_at], True)  # "Шевченкове": an adjective as a name
    if head is None:
        return name
    tag = head.tag  # type: ignore[attr-defined]
    out = list(words)
    number = {tag.number} if tag.number else set()  # Ukrainian tags often leave it out
    for i, word in enumerate(words[: head_at + 1]):  # words after the head stay
        if i == head_at:
            noun = head.tag.POS == "NOUN"  # type: ignore[attr-defined]
            form = _inflect_word(morph, word, {case, *number}, not noun)
        else:
            grammemes = {case, *number}
            if tag.number != "plur" and tag.gender:
                grammemes.add(tag.gender)
            if case == "accs" and (tag.gender == "masc" or tag.number == "plur"):
                grammemes.add("anim" if tag.animacy == "anim" else "inan")
            form = _inflect_word(morph, word, grammemes, True)
        if form is None:
            return name
        out[i] = form
    return " ".join(out)


def names(lang: str) -> set[str]:
    gazetteer = load_gazetteer()
    found: set[str] = set()
    for index in range(len(gazetteer._t.lines)):  # a build tool reads the table
        place = gazetteer._place(index)
        for value in (getattr(place, f"name_{lang}"), getattr(place, f"region_{lang}")):
            if value.strip():
                found.add(value.strip())
    found |= {
        v for k, v in catalog(lang).items() if k.startswith("country.") and isinstance(v, str)
    }
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.monotonic()
    data: dict[str, dict[str, list[str]]] = {}
    for lang in ("uk", "ru"):
        morph = pymorphy3.MorphAnalyzer(lang=lang)
        table: dict[str, list[str]] = {}
        for name in sorted(names(lang)):
            forms = [inflect(morph, name, case) for case in CASES]
            if any(form != name for form in forms):
                table[name] = [form if form != name else "" for form in forms]
        data[lang] = table
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"cases": list(CASES), **data}, ensure_ascii=False, sort_keys=True)
    args.out.write_bytes(gzip.compress(payload.encode(), mtime=0))
    counts = {lang: len(table) for lang, table in data.items()}
    print(
        f"{counts} names, {args.out.stat().st_size / 1e3:.0f} kB "
        f"in {time.monotonic() - started:.0f} s → {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
