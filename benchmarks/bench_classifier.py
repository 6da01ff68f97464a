"""Classifier throughput on one core: items per second for news-length items.

    python benchmarks/bench_classifier.py [--items 3000] [--path ../shared/data/dev.jsonl]

CPU time of this process is measured (so other load on the machine does not count).
Uses the title+text of the dev set (read at run time, never copied) when it is present, else a
small set of the project's own sentences; prints items/s and the mean item length. Gazetteer
loading is reported separately and not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.classify import load_classifier  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "dev.jsonl"
OWN = [
    ("Удар по Харкову", "Уночі російські дрони влучили в житловий будинок у Харкові, загинули "
     "двоє людей, ще семеро поранені, серед них дитина."),
    ("", "A Russian missile hit an apartment block in Dnipro this morning, killing at least 14 "
     "people, including two children, the regional governor said."),
    ("В Одессе", "Утром в результате атаки беспилотников поврежден порт и склад, "
     "пострадавших нет."),
    ("", "Air defence shot down 40 drones overnight over central regions, officials said."),
]


def load_items(path: Path) -> list[tuple[str, str, str | None]]:
    if not path.exists():
        return [(t, x, None) for t, x in OWN]
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            items.append((obj.get("title", ""), obj.get("text", ""), obj.get("lang")))
    return items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--path", type=Path, default=DEFAULT)
    args = parser.parse_args()
    started = time.process_time()
    classifier = load_classifier()
    print(f"load: {time.process_time() - started:.2f} s (gazetteer + lexicons)")
    items = load_items(args.path)
    now = datetime.now(UTC)
    for title, text, lang in items:  # warm-up
        classifier.classify(title, text, lang, None, now)
    n = args.items
    chars = 0
    started = time.process_time()
    for i in range(n):
        title, text, lang = items[i % len(items)]
        chars += len(title) + len(text)
        classifier.classify(title, text, lang, None, now)
    elapsed = time.process_time() - started
    print(f"{n / elapsed:,.0f} items/s on one core (mean {chars / n:.0f} chars/item)")
    started = time.process_time()
    for i in range(n):
        title, text, lang = items[i % len(items)]
        classifier.gazetteer.find_places(title + "\n" + text)
    gaz = time.process_time() - started
    print(f"  of which gazetteer find_places: {gaz / elapsed:.0%}")


if __name__ == "__main__":
    main()
