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
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.classify import load_classifier  # noqa: E402
from bot.domain import Place  # noqa: E402

DATA_DIR = ROOT.parent / "shared" / "data"
FILES = ("dev.jsonl", "dev_articles.jsonl")
_DROP = re.compile(
    r"\b(oblast|oblast'|region|province|governorate|krai|kray|raion|district|city|municipality|"
    r"of|the|republic|autonomous|muhafazah|prefecture|county|state)\b"
)
_SPECIAL_REGIONS = {"kyiv city": "UA-30", "kyiv": "UA-32", "crimea": "UA-43", "sevastopol": "UA-40"}
#: Label country → ISO code where the label's name is not the gazetteer's.
_COUNTRY_CODES = {"palestine": "PS", "turkey": "TR", "south korea": "KR", "russia": "RU"}


def fold(name: str) -> str:
    """A spelling-tolerant key (as in eval_classifier.py): no diacritics, admin words, y/j→i."""
    s = unicodedata.normalize("NFKD", name.lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"['’ʼ`]", "", s)
    s = _DROP.sub(" ", s)
    s = re.sub(r"\b(al|el|ad|ar|as|ash|ad)[- ]", "", s)
    s = re.sub(r"[^a-z]+", "", s)
    for a, b in (("kh", "h"), ("zh", "z"), ("ts", "c"), ("y", "i"), ("j", "i"), ("ie", "i")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def same_name(label: str, predicted: str) -> bool:
    if not label or not predicted:
        return not label and not predicted
    a, b = fold(label), fold(predicted)
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return fuzz.ratio(a, b) >= 85 or (a in b or b in a)


def region_ok(label: str, place: Place | None) -> bool:
    """Is ``place`` in the labelled region (the rule of eval_classifier.py)?"""
    if not label:
        return place is None or (not place.region_code and not place.region_en)
    if place is None:
        return False
    code = _SPECIAL_REGIONS.get(label.strip().lower())
    if code is not None and place.country == "UA":
        return place.region_code == code
    return same_name(label, place.region_en)


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
