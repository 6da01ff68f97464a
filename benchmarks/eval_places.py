"""Places struck on both labelled dev files: region right, and wrong-region alerts.

    python benchmarks/eval_places.py [--data-dir ../shared/data] [--misses]

For each file (``dev.jsonl`` leads, ``dev_articles.jsonl`` articles; read at run time, never
copied — third-party text) it prints, over true positives (labelled a civilian strike and
classified as one):

* **region right** — the event's main place (``Report.places[0]``) lies in the labelled region
  (or, when the label names no region, has none) — the same rule as ``eval_classifier.py``;
* **wrong-region alerts** — true positives whose set of places struck holds a place outside the
  labelled region (or country): subscribers there would get an alert for a strike elsewhere.
  Only items whose label names a country are judged;
* the same two figures over every labelled positive whose text the classifier read to the end
  (so they do not move when the classifier's verdict does);
* the mean number of places struck per true positive.

``--misses`` lists, per figure, the ids that failed with the places found (for the developer's
eyes; the texts stay in the data files).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# the region rule and the spelling-tolerant names are eval_classifier's, shared, not copied
from eval_classifier import fold, region_ok  # noqa: E402

from bot.classify import load_classifier  # noqa: E402
from bot.domain import Place  # noqa: E402

DATA_DIR = ROOT.parent / "shared" / "data"
FILES = ("dev.jsonl", "dev_articles.jsonl")
#: Label country → ISO code where the label's name is not the gazetteer's.
_COUNTRY_CODES = {"palestine": "PS", "turkey": "TR", "south korea": "KR", "russia": "RU"}


def outside(label: dict[str, object], place: Place, country_code: str) -> bool:
    """Does an alert for ``place`` reach subscribers outside the labelled place's region?"""
    if place.country != country_code:
        return True
    region = str(label.get("region") or "")
    return bool(region and place.region_code) and not region_ok(region, place)


@dataclass
class Tally:
    hits: int = 0
    total: int = 0
    failed: list[str] = field(default_factory=list)

    def add(self, ok: bool, note: str) -> None:
        self.hits += ok
        self.total += 1
        if not ok:
            self.failed.append(note)

    def __str__(self) -> str:
        share = self.hits / self.total if self.total else 0.0
        return f"{share:.3f} ({self.hits}/{self.total})"


def _describe(places: tuple[Place, ...]) -> str:
    return "; ".join(p.name_en or p.region_en or p.country for p in places) or "-"


def evaluate(path: Path, country_of: Callable[[str], str]) -> dict[str, Tally]:
    classifier = load_classifier()
    names = (
        "region right",
        "wrong-region alerts",
        "region right (all read)",
        "wrong-region (all read)",
    )
    tallies = {name: Tally() for name in names}
    place_counts: list[int] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        label = item["label"]
        if label["is_civilian_strike"] != "yes":
            continue
        day = item.get("date") or item.get("published")
        published = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC) if day else None
        now = (published + timedelta(hours=6)) if published else datetime.now(UTC)
        report = classifier.classify(item["title"], item["text"], item.get("lang"), published, now)
        main = report.places[0] if report.places else None
        region_right = region_ok(str(label["region"] or ""), main)
        code = country_of(str(label["country"] or ""))
        wrong = [p for p in report.places if outside(label, p, code)] if code else []
        note = f"{item['id']} [{label['region'] or '-'}] → {_describe(report.places)}"
        read = report.is_civilian_strike or bool(report.places)
        for suffix, counted in (("", report.is_civilian_strike), (" (all read)", read)):
            if not counted:
                continue
            tallies["region right" + suffix].add(region_right, note)
            if code:
                key = "wrong-region alerts" if not suffix else "wrong-region (all read)"
                tallies[key].add(not wrong, note)
        if report.is_civilian_strike:
            place_counts.append(len(report.places))
    mean = sum(place_counts) / len(place_counts) if place_counts else 0.0
    tallies["places per true positive"] = Tally(round(mean * 100), 100)
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--misses", action="store_true", help="list the failed ids")
    args = parser.parse_args()
    from bot.geo import load_gazetteer

    gazetteer = load_gazetteer()
    by_name = {fold(c.name_en): c.country for c in gazetteer.countries()}

    def country_of(name: str) -> str:
        if not name:
            return ""
        return _COUNTRY_CODES.get(name.strip().lower()) or by_name.get(fold(name), "?")

    for name in FILES:
        tallies = evaluate(args.data_dir / name, country_of)
        print(name)
        for key, tally in tallies.items():
            if key == "places per true positive":
                print(f"  {key:<26} {tally.hits / 100:.2f}")
                continue
            shown = tally if not key.startswith("wrong") else _inverse(tally)
            print(f"  {key:<26} {shown}")
            if args.misses and tally.failed:
                for note in tally.failed:
                    print("      " + note)


def _inverse(tally: Tally) -> str:
    """Wrong-region figures are printed as the share that failed."""
    wrong = tally.total - tally.hits
    share = wrong / tally.total if tally.total else 0.0
    return f"{share:.3f} ({wrong}/{tally.total})"


if __name__ == "__main__":
    main()
