"""Clustering cost per report with 10,000 events in the 48-hour window.

Builds 10,000 synthetic events spread over 27 regions (20 settlements each) and the window
(half with a stated strike time, some naming a second weapon), indexes them under
:func:`bot.cluster.matching.index_codes` the way the store does, then times ``cluster()`` for 2,000
reports (half with a stated time): the candidates of each are the events found under its
:func:`bot.cluster.matching.search_codes` (the store's query, not timed).
Prints the median (the figure quoted in the README; target ≤ 1 ms), p95, and — for scale — the
median when all 10,000 events are passed as candidates (no index).

    /work/venv/bin/python benchmarks/bench_cluster.py [--runs N]

With ``--runs N`` (default 5) the whole measurement repeats N times and the median of the
per-run medians is printed too (the machine is shared; quote it with ``uptime``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cluster.cluster import ClusterConfig, cluster, report_tokens
from bot.cluster.matching import index_codes, search_codes
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


def measure(seed: int) -> tuple[list[float], list[float], float]:
    rng = random.Random(seed)
    config = ClusterConfig()
    now = datetime(2025, 4, 4, 12, tzinfo=UTC)
    index: dict[str, list[Event]] = defaultdict(list)
    everything: list[Event] = []
    for i in range(EVENTS):
        when = now - timedelta(hours=rng.uniform(0, config.window_hours))
        stated = rng.random() < 0.5
        event = Event(
            id=f"e{i}",
            version=1,
            places=(place(rng),),
            event_time=when - timedelta(hours=2) if stated else when,
            first_seen=when,
            last_seen=when,
            weapon=rng.choice(WEAPONS),
            weapons=("drone",) if rng.random() < 0.2 else (),
            killed=rng.choice([None, 1, 3]),
            sources=(Source("Outlet", "https://example.org/"),),
            tokens=report_tokens(text(rng), ""),
        )
        for code in index_codes(event.places):
            index[code].append(event)
        everything.append(event)

    def run(candidates_of: dict[str, list[Event]] | None) -> list[float]:
        costs: list[float] = []
        for i in range(REPORTS):
            published = now + timedelta(minutes=rng.uniform(0, 60))
            stated = published - timedelta(hours=1) if rng.random() < 0.5 else None
            weapon = rng.choice(WEAPONS)
            report = Report(True, 0.9, (place(rng),), killed=2, weapon=weapon, event_time=stated)
            title, body = text(rng), text(rng)
            if candidates_of is None:
                candidates = everything
            else:
                found = {
                    e.id: e
                    for code in search_codes(report.places)
                    for e in candidates_of.get(code, ())
                }
                candidates = list(found.values())
            start = time.perf_counter()
            tokens = report_tokens(title, body)
            cluster(report, tokens, Source("X", "https://x/"), published, title, candidates,
                    config, f"n{i}")  # fmt: skip
            costs.append(time.perf_counter() - start)
        return costs

    per_region = statistics.mean(len(v) for k, v in index.items() if k[3:].isdigit())
    return run(index), run(None), per_region


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    medians: list[float] = []
    for n in range(runs):
        indexed, unindexed, per_region = measure(7 + n)
        medians.append(statistics.median(indexed))
        print(f"run {n + 1}: median {medians[-1] * 1e3:.3f} ms")
    print(f"events in window: {EVENTS}; events per region: ~{per_region:.0f}")
    print(f"median cost per report (indexed): {statistics.median(indexed) * 1e3:.3f} ms")
    print(
        f"p95 cost per report (indexed):    {statistics.quantiles(indexed, n=20)[-1] * 1e3:.3f} ms"
    )
    print(f"median with all {EVENTS} as candidates (no index): "
          f"{statistics.median(unindexed) * 1e3:.3f} ms")  # fmt: skip
    print(f"median of {runs} run medians (indexed): {statistics.median(medians) * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
