"""Ingest benchmark: 1,000 feeds x ~50 news-size items from a local server in another process.

    python benchmarks/bench_ingest.py                 # thread parsing (the default poller)
    python benchmarks/bench_ingest.py --parser process   # feedparser in a 2-process pool
    python benchmarks/bench_ingest.py --profile       # cProfile of the cold cycle

Measures one cold cycle (every feed 200, new body, first poll) and one warm cycle (every feed
304) through the real Poller into a SQLite file: wall time, CPU time (this process plus parse
workers), peak RSS, and the cost per item. Targets on a 2-core machine: warm <= 3 s, cold
<= 30 s, RSS <= 150 MB. The server binds 100 loopback addresses (127.0.0.1-100), 10 feeds
each, so the per-host limit (2) applies as it would to 100 outlets.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import multiprocessing
import os
import pstats
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import feedparser

from bot.config import FeedSettings, PollingSettings
from bot.ingest.fetch import make_http_session
from bot.ingest.identity import item_keys
from bot.ingest.parse import parse_feed
from bot.ingest.poller import Poller, make_parse_pool
from bot.store.db import create_engine, session_factory
from bot.store.tables import Base
from tests.fakes.feed_server import LOOPBACK, FeedServer, rss

FEEDS = 1000
ITEMS = 50
HOSTS = 100
PARAGRAPHS = 2  # ~55 KB a feed: feedparser then costs what NOTES.md measured on real feeds
WORDS = (
    "обстріл",
    "Харків",
    "ракетний",
    "удар",
    "загинули",
    "поранені",
    "дитина",
    "будинок",
    "рятувальники",
    "ДСНС",
    "область",
    "громада",
    "енергетика",
    "дрон",
    "Shahed",
    "attack",
    "Kharkiv",
    "missile",
    "strike",
    "civilians",
    "killed",
    "injured",
    "residential",
    "building",
    "emergency",
    "services",
    "region",
    "energy",
    "infrastructure",
    "drone",
)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def feed_body(index: int, now: datetime) -> bytes:
    rng = random.Random(index)
    items = []
    for n in range(ITEMS):
        slug = f"{index}-{n}-{rng.randrange(10**9)}"
        paragraphs = "".join(f"<p>{sentence(rng, 25)}.</p>" for _ in range(PARAGRAPHS))
        description = f'<img src="https://cdn.example/{slug}.jpg" alt=""/>{paragraphs}'
        items.append(
            {
                "title": sentence(rng, 12),
                "link": f"https://outlet{index % HOSTS}.example/news/{slug}?utm_source=rss",
                "guid": (f"https://outlet{index % HOSTS}.example/news/{slug}", True),
                "description": description,
                "pubDate": format_datetime(now - timedelta(minutes=20 * n + 3), usegmt=True),
                "extra": f"<category>war</category><dc:creator>{sentence(rng, 2)}</dc:creator>",
            }
        )
    return rss(items, title=f"Outlet {index}", link=f"https://outlet{index}.example/")


def hosts() -> list[str]:
    return [f"127.0.0.{i + 1}" for i in range(HOSTS)]


def serve(conn: Connection) -> None:
    """The server process: every feed in memory, each with an ETag."""

    async def main() -> None:
        now = datetime.now(UTC)
        async with FeedServer(hosts=hosts()) as server:
            total = 0
            for i in range(FEEDS):
                body = feed_body(i, now)
                total += len(body)
                server.set_feed(f"/feed{i}.xml", body, etag=f'"{i}-v1"')
            conn.send((server.port, total))
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until told

    asyncio.run(main())


def rss_kb(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages split between the processes that share them."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(args: argparse.Namespace, port: int) -> None:
    settings = PollingSettings(interval_seconds=300, allowed_networks=LOOPBACK)  # local feeds
    offset = timedelta(0)

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    feeds = [
        FeedSettings(url=f"http://{hosts()[i % HOSTS]}:{port}/feed{i}.xml", name=f"Outlet {i}")
        for i in range(FEEDS)
    ]
    pool = make_parse_pool(args.workers) if args.parser == "process" else None
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        http = make_http_session(settings)
        poller = Poller(
            settings, feeds, session_factory(engine), http, clock=clock, parse_executor=pool
        )
        await poller.sync_feeds()
        if pool is not None:  # start the workers outside the measurement
            list(pool.map(abs, range(4)))
        workers = list(getattr(pool, "_processes", {}) or {})
        worker_cpu = sum(cpu_seconds(p) for p in workers)
        profiles = [cProfile.Profile(), cProfile.Profile()] if args.profile else []

        cpu, wall = time.process_time(), time.perf_counter()
        if profiles:
            profiles[0].enable()
        cold = await poller.tick()
        if profiles:
            profiles[0].disable()
        cold_wall, cold_cpu = time.perf_counter() - wall, time.process_time() - cpu
        cold_cpu_workers = sum(cpu_seconds(p) for p in workers) - worker_cpu

        offset = timedelta(minutes=10)
        cpu, wall = time.process_time(), time.perf_counter()
        if profiles:
            profiles[1].enable()
        warm = await poller.tick()
        if profiles:
            profiles[1].disable()
        warm_wall, warm_cpu = time.perf_counter() - wall, time.process_time() - cpu

        peak_workers = sum(rss_kb(p) for p in workers)
        pss_workers = sum(pss_kb(p) for p in workers)
        await http.close()
        await engine.dispose()
    if pool is not None:
        pool.shutdown()
    items = FEEDS * ITEMS
    print(f"parser: {args.parser}    feeds: {FEEDS} x {ITEMS} items on {HOSTS} hosts")
    print(
        f"cold cycle: {cold_wall:6.2f} s wall, {cold_cpu + cold_cpu_workers:6.2f} s CPU "
        f"(main {cold_cpu:.2f}, parse workers {cold_cpu_workers:.2f});  {cold}"
    )
    print(f"warm cycle: {warm_wall:6.2f} s wall, {warm_cpu:6.2f} s CPU;  {warm}")
    print(
        f"per item (cold): {cold_wall / items * 1e6:.0f} us wall, "
        f"{(cold_cpu + cold_cpu_workers) / items * 1e6:.0f} us CPU;  "
        f"per new article: {cold_wall / max(cold.new_articles, 1) * 1e3:.1f} ms wall"
    )
    print(
        f"peak RSS: main {rss_kb() / 1024:.0f} MB; parse workers {peak_workers / 1024:.0f} MB "
        f"(PSS now {pss_workers / 1024:.0f} MB)"
    )
    if args.profile:
        profile_parse()
    for name, profile in zip(("cold", "warm"), profiles, strict=False):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
        print(f"--- profile of the {name} cycle (event-loop thread only) ---")
        print(out.getvalue())


def profile_parse(sample: int = 40) -> None:
    """Where a feed's parse time goes: feedparser itself vs our dates/text/identity."""
    now = datetime.now(UTC)
    bodies = [feed_body(i, now) for i in range(sample)]
    start = time.process_time()
    for body in bodies:
        feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    bare = (time.process_time() - start) / sample
    start = time.process_time()
    for body in bodies:
        parsed = parse_feed(body, now)
        item_keys(1, parsed.items, "bench")
    ours = (time.process_time() - start) / sample
    print(
        f"parse per feed: feedparser alone {bare * 1e3:.1f} ms; parse_feed + identity "
        f"{ours * 1e3:.1f} ms ({bare / ours:.0%} of it is feedparser); "
        f"x {FEEDS} feeds = {ours * FEEDS:.1f} s CPU"
    )
    profile = cProfile.Profile()
    profile.enable()
    for body in bodies[:10]:
        parse_feed(body, now)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
    print("--- profile of parse_feed (10 feeds) ---")
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parser", choices=("thread", "process"), default="thread")
    parser.add_argument("--workers", type=int, default=2, help="parse processes (--parser process)")
    parser.add_argument("--profile", action="store_true", help="cProfile both cycles")
    args = parser.parse_args()
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    server = ctx.Process(target=serve, args=(theirs,), daemon=True)
    server.start()
    try:
        port, total = ours.recv()
        print(f"server: {FEEDS} feeds, {total / FEEDS / 1024:.0f} KB each on average")
        asyncio.run(run(args, port))
    finally:
        ours.send("stop")
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    main()
