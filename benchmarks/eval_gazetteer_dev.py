"""Place/region/country figures of the gazetteer on the labelled dev set (read at run time).

    python benchmarks/eval_gazetteer_dev.py [--data ../shared/data/dev.jsonl] [--misses]

Prints, over items whose label names one: settlement found anywhere / as the first settlement;
region of the first match with a region; country of the first match. ``--misses`` lists the
ids that failed (for the developer's eyes; the texts stay in the data file).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.geo import PlaceMatch, load_gazetteer  # noqa: E402
from bot.geo.names import fold  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "dev.jsonl"
REGION_ALIASES = {"kyiv city": "UA-30", "kyiv": "UA-32", "crimea": "UA-43", "sevastopol": "UA-40"}


def same(a: str, b: str) -> bool:
    a, b = fold(a).replace("-", " "), fold(b).replace("-", " ")
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def region_ok(label: str, match: PlaceMatch | None) -> bool:
    if match is None:
        return False
    place = match.place
    if place.country == "UA" and fold(label) in REGION_ALIASES:
        return place.region_code == REGION_ALIASES[fold(label)]
    return same(label, place.region_en.replace(" oblast", "").replace(" krai", " Krai"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=pathlib.Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    gazetteer = load_gazetteer()
    names = {p.country: p.name_en for p in map(gazetteer.node, {"UA", "RU"}) if p}
    totals = {k: [0, 0] for k in ("place_any", "place_first", "region", "country", "no_place")}
    misses: dict[str, list[str]] = {k: [] for k in totals}
    for line in args.data.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        label, text = item["label"], item["text"]
        found = gazetteer.find_places(text)
        settlements = [m for m in found if m.kind == "settlement"]
        with_region = next((m for m in found if m.place.region_code), None)

        def score(key: str, ok: bool, item_id: str = item["id"]) -> None:
            totals[key][0] += ok
            totals[key][1] += 1
            if not ok:
                misses[key].append(item_id)

        if label["place"]:
            score("place_any", any(same(label["place"], m.place.name_en) for m in settlements))
            score(
                "place_first",
                bool(settlements) and same(label["place"], settlements[0].place.name_en),
            )
        else:
            score("no_place", not settlements)
        if label["region"]:
            score("region", region_ok(label["region"], with_region))
        if label["country"] and found:
            node = gazetteer.node(found[0].place.country)
            name = names.get(found[0].place.country) or (node.name_en if node else "")
            score("country", same(label["country"], name))
        elif label["country"]:
            score("country", False)
    for key, (ok, total) in totals.items():
        print(f"{key:12s} {ok:4d}/{total:<4d} {ok / max(total, 1):6.1%}")
        if args.misses:
            print("   misses:", " ".join(misses[key]))


if __name__ == "__main__":
    main()
