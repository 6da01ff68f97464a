"""Clustering cost per report with 10,000 events in the 48-hour window.

Builds 10,000 synthetic events spread over 27 regions (20 settlements each) and the window,
indexes them by region code the way the store's candidate query does, then times
``cluster()`` for 2,000 reports: the candidates of each are the events of its region.
Prints the median (the figure quoted in the README; target ≤ 1 ms), p95, and — for scale — the
median when all 10,000 events are passed as candidates (no index).

    /work/venv/bin/python benchmarks/bench_cluster.py
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from bot.cluster import ClusterConfig, cluster, report_tokens
from bot.domain import Event, Place, Report, Source, Weapon

EVENTS = 10_000
REPORTS = 2_000
REGIONS = 27
SETTLEMENTS = 20
WORDS = [f"word{i}" for i in range(3_000)]
WEAPONS = list(Weapon)


def place(rng: random.Random) -> Place:
    region = f"UA-{rng.randrange(REGIONS):02d}"
    if rng.random() < 0.2:
        return Place("UA", region, region_en=f"Region {region}")
    return Place("UA", region, f"{region}:{rng.randrange(SETTLEMENTS)}", name_en="Town")


def text(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=40))


def main() -> None:
    rng = random.Random(7)
    config = ClusterConfig()
    now = datetime(2025, 4, 4, 12, tzinfo=UTC)
    index: dict[str, list[Event]] = defaultdict(list)
    everything: list[Event] = []
    for i in range(EVENTS):
        when = now - timedelta(hours=rng.uniform(0, config.window_hours))
        event = Event(
            id=f"e{i}",
            version=1,
            places=(place(rng),),
            event_time=when,
            first_seen=when,
            last_seen=when,
            weapon=rng.choice(WEAPONS),
            killed=rng.choice([None, 1, 3]),
            sources=(Source("Outlet", "https://example.org/"),),
            tokens=report_tokens(text(rng), ""),
        )
        index[event.places[0].region_code or "UA"].append(event)
        everything.append(event)

    def run(candidates_of: dict[str, list[Event]] | None) -> list[float]:
        costs: list[float] = []
        for i in range(REPORTS):
            report = Report(True, 0.9, (place(rng),), killed=2, weapon=rng.choice(WEAPONS))
            published = now + timedelta(minutes=rng.uniform(0, 60))
            title, body = text(rng), text(rng)
            region = report.places[0].region_code or "UA"
            start = time.perf_counter()
            tokens = report_tokens(title, body)
            candidates = everything if candidates_of is None else candidates_of[region]
            cluster(report, tokens, Source("X", "https://x/"), published, title, candidates,
                    config, f"n{i}")  # fmt: skip
            costs.append(time.perf_counter() - start)
        return costs

    indexed = run(index)
    unindexed = run(None)
    per_region = statistics.mean(len(v) for v in index.values())
    print(f"events in window: {EVENTS}; candidates per report via region index: ~{per_region:.0f}")
    print(f"median cost per report (indexed): {statistics.median(indexed) * 1e3:.3f} ms")
    print(
        f"p95 cost per report (indexed):    {statistics.quantiles(indexed, n=20)[-1] * 1e3:.3f} ms"
    )
    print(f"median with all {EVENTS} as candidates (no index): "
          f"{statistics.median(unindexed) * 1e3:.3f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
