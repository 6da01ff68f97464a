"""Evaluate clustering (classify + cluster, exactly as ``strikebot replay`` runs them) on a JSONL
file in the dev-set schema, where items sharing ``event_id`` are one real event.

    python benchmarks/eval_cluster.py [PATH] [--explain]

Prints B-cubed precision/recall/F1 over the true positives (items labelled yes that the
classifier also says yes to), the real events that produced more than one ``new`` (splits),
and the ``new`` events caused by negatives. The file is third-party text, read at run time.
``--explain`` prints, for every split event and every predicted event that mixes real events,
each item's id, language, outcome and the ``replay --explain`` comparisons (never its text).

Items carry only a date (dev.jsonl ``date`` — VIINA: the report date; Bellingcat/CIR: the
incident date; dev_articles.jsonl ``published``, else the label's ``event_date`` because the
store did not keep every page's date, while every live article has one); they are published at
12:00 UTC that day. Items without a date (CASE 2021) are placed a year apart from
each other, so they can only ever be their own events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.classify import load_classifier  # noqa: E402
from bot.config import ClusterSettings  # noqa: E402
from bot.pipeline import cluster_config  # noqa: E402
from bot.replay import replay  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "dev.jsonl"


def to_replay_lines(items: list[dict[str, object]]) -> list[str]:
    undated = datetime(1990, 1, 1, 12, tzinfo=UTC)
    lines = []
    for n, item in enumerate(items):
        label = item.get("label")
        fallback = label.get("event_date") if isinstance(label, dict) else ""
        date = str(item.get("date") or item.get("published") or fallback or "")[:10]
        if date:
            published = datetime.fromisoformat(date).replace(hour=12, tzinfo=UTC)
        else:
            published = undated + timedelta(days=365 * n)
        lines.append(
            json.dumps(
                {
                    "id": item["id"],
                    "title": item.get("title") or "",
                    "text": item.get("text") or "",
                    "lang": item.get("lang") or "",
                    "published": published.isoformat(),
                    "source": item.get("outlet") or item.get("source_dataset") or "",
                    "url": item.get("url") or "",
                },
                ensure_ascii=False,
            )
        )
    return lines


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for item, cluster in gold.items():
        by_gold[cluster].add(item)
    for item, cluster in predicted.items():
        by_pred[cluster].add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = by_gold[gold[item]], by_pred[predicted[item]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    n = len(gold) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


async def evaluate(items: list[dict[str, object]], explain: bool = False) -> None:
    classifier = load_classifier()
    records = await replay(
        to_replay_lines(items), classifier, cluster_config(ClusterSettings()), explain=explain
    )
    out = {r["id"]: r for r in records}
    gold: dict[str, str] = {}
    predicted: dict[str, str] = {}
    news_by_event: dict[str, int] = defaultdict(int)
    new_from_negatives = 0
    for item in items:
        record = out[item["id"]]
        label = item["label"]
        assert isinstance(label, dict)
        yes = label["is_civilian_strike"] == "yes"
        if record.get("change") == "new" and not yes:
            new_from_negatives += 1
        if yes and record.get("is_civilian_strike") and record.get("event_id"):
            gold[str(item["id"])] = str(item["event_id"])
            predicted[str(item["id"])] = str(record["event_id"])
            if record.get("change") == "new":
                news_by_event[str(item["event_id"])] += 1
    precision, recall, f1 = bcubed(gold, predicted)
    events = set(gold.values())
    split = [e for e in events if news_by_event[e] > 1]
    multi = [e for e in events if sum(1 for g in gold.values() if g == e) > 1]
    print(f"true positives clustered   {len(gold)} items in {len(events)} real events")
    print(f"B-cubed precision          {precision:.3f}")
    print(f"B-cubed recall             {recall:.3f}")
    print(f"B-cubed F1                 {f1:.3f}")
    print(
        f"events alerted > once     {len(split)} of {len(events)} = "
        f"{len(split) / max(1, len(events)):.1%} ({len(split)} of {len(multi)} multi-item events)"
    )
    print(f"'new' caused by negatives  {new_from_negatives}")
    if split:
        print("split events:", " ".join(sorted(split)))
    members: dict[str, set[str]] = defaultdict(set)
    for item_id, event_id in predicted.items():
        members[event_id].add(gold[item_id])
    mixed = sorted(e for e, real in members.items() if len(real) > 1)
    print(f"predicted events mixing real events  {len(mixed)}")
    if explain:
        shown = [(f"split {e}", [i for i in items if gold.get(str(i["id"])) == e]) for e in split]
        shown += [
            (f"mixed {e}", [i for i in items if predicted.get(str(i["id"])) == e]) for e in mixed
        ]
        for heading, group in shown:
            print(f"== {heading}")
            for item in group:
                record = out[item["id"]]
                print(
                    f"  {item['id']} {item.get('lang')} gold={item['event_id']} "
                    f"{record.get('change')} {record.get('event_id')}"
                )
                print(f"    {json.dumps(record.get('explain'), ensure_ascii=False)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--explain", action="store_true", help="explain splits and mixes")
    args = parser.parse_args()
    lines = args.path.read_text(encoding="utf-8").splitlines()
    asyncio.run(evaluate([json.loads(line) for line in lines if line], args.explain))


if __name__ == "__main__":
    main()
