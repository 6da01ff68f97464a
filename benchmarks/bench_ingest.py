"""Ingest benchmark: 1,000 realistic feeds from a local server in another process.

    python benchmarks/bench_ingest.py                 # thread parsing (the default poller)
    python benchmarks/bench_ingest.py --runs 3        # the median of 3 runs (quoted figures)
    python benchmarks/bench_ingest.py --no-prefilter  # feedparser sees every item (before)
    python benchmarks/bench_ingest.py --parser process   # feedparser in a 2-process pool
    python benchmarks/bench_ingest.py --profile       # cProfile of the cold cycle

The feed mix (issue 17): 20-100 items a feed, 30-400 KB; a third carry the full article in
``content:encoded`` (CDATA), a fifth are Atom, one in ten has no GUIDs; items every 3 min
(10 % of feeds), 15 min (30 %), hour (40 %) or 6 hours (20 %), so ~9,000 items are within
``max_age`` (3 h) and become articles. Measures one cold cycle (every feed 200, first poll)
and one warm cycle (every feed 304) through the real Poller into a SQLite file: wall time,
CPU time (this process plus parse workers), peak RSS, items feedparser parsed vs left out.
Targets on a 2-core machine: warm <= 3 s, cold <= 30 s, RSS <= 150 MB. The server binds 100
loopback addresses (127.0.0.1-100), 10 feeds each, so the per-host limits apply as they
would to 100 outlets.
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
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import feedparser

from benchmarks.machine import describe
from bot.config import FeedSettings, PollingSettings
from bot.ingest import poller as poller_module
from bot.ingest import prefilter
from bot.ingest.fetch import make_http_session
from bot.ingest.identity import item_keys
from bot.ingest.parse import ParsedFeed, parse_feed
from bot.ingest.poller import Poller, make_parse_pool
from bot.store.db import create_engine, session_factory
from bot.store.tables import Base
from tests.fakes.feed_server import LOOPBACK, FeedServer

FEEDS = 1000
HOSTS = 100
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


GAPS = ((3, 10), (15, 30), (60, 40), (360, 20))  # (minutes between items, % of feeds)


def feed_gap(index: int) -> int:
    slot = index % 100
    for gap, share in GAPS:
        if slot < share:
            return gap
        slot -= share
    return GAPS[-1][0]


def feed_body(index: int, now: datetime) -> bytes:
    """One feed of the realistic mix (deterministic per index), at least 30 KB."""
    extra = 0
    while len(body := _feed_body(index, now, extra)) < 30 * 1024:
        extra += 1
    return body


def _feed_body(index: int, now: datetime, extra: int) -> bytes:
    rng = random.Random(index)
    count = rng.randint(20, 100)
    full_text = index % 3 == 0  # a third carry content:encoded
    is_atom = index % 5 == 1  # a fifth are Atom
    guids = index % 10 != 7  # one in ten has none
    gap = feed_gap(index)
    # paragraphs per item so the feed lands in 30-400 KB
    target = rng.randint(30, 400) * 1024
    overhead = 700 if full_text else 450  # tags, title, lede, links, dates of one item
    paragraph = 330  # bytes of one 25-word paragraph, about
    paragraphs = max(0, (target // count - overhead) // paragraph) + extra
    host = f"outlet{index % HOSTS}.example"
    entries = []
    for n in range(count):
        slug = f"{index}-{n}-{rng.randrange(10**9)}"
        when = now - timedelta(minutes=gap * n + rng.uniform(1, gap))
        lede = f"<p>{sentence(rng, 25)}.</p>"
        body = "".join(f"<p>{sentence(rng, 25)}.</p>" for _ in range(paragraphs))
        entries.append((slug, when, sentence(rng, 12), lede, body))
    if is_atom:
        return _atom(index, host, entries, full_text, guids)
    return _rss(index, host, entries, full_text, guids, rng)


def _rss(
    index: int,
    host: str,
    entries: list[tuple[str, datetime, str, str, str]],
    full_text: bool,
    guids: bool,
    rng: random.Random,
) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>Outlet {index}</title><link>https://{host}/</link><description>news</description>",
    ]
    for slug, when, title, lede, body in entries:
        url = f"https://{host}/news/{slug}"
        parts.append(f"<item><title>{title}</title><link>{url}?utm_source=rss</link>")
        if guids:
            parts.append(f'<guid isPermaLink="true">{url}</guid>')
        parts.append(f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>")
        image = f'<img src="https://cdn.example/{slug}.jpg" alt=""/>'
        if full_text:
            parts.append(f"<description><![CDATA[{lede}]]></description>")
            parts.append(f"<content:encoded><![CDATA[{image}{lede}{body}]]></content:encoded>")
        else:
            parts.append(f"<description><![CDATA[{image}{lede}{body}]]></description>")
        parts.append(f"<category>war</category><dc:creator>{sentence(rng, 2)}</dc:creator></item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def _atom(
    index: int,
    host: str,
    entries: list[tuple[str, datetime, str, str, str]],
    full_text: bool,
    guids: bool,
) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>urn:outlet:{index}</id><title>Outlet {index}</title>",
        f'<link rel="alternate" href="https://{host}/"/>',
        f"<updated>{entries[0][1].isoformat()}</updated>",
    ]
    for slug, when, title, lede, body in entries:
        url = f"https://{host}/news/{slug}"
        parts.append(f'<entry><title>{title}</title><link rel="alternate" href="{url}"/>')
        if guids:
            parts.append(f"<id>tag:{host},2026:{slug}</id>")
        stamp = when.isoformat(timespec="seconds")
        parts.append(f"<published>{stamp}</published><updated>{stamp}</updated>")
        if full_text:
            parts.append(f'<summary type="html"><![CDATA[{lede}]]></summary>')
            parts.append(f'<content type="html"><![CDATA[{lede}{body}]]></content>')
        else:
            parts.append(f'<summary type="html"><![CDATA[{lede}{body}]]></summary>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


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


@dataclass
class Figures:
    cold_wall: float
    cold_cpu: float
    warm_wall: float
    warm_cpu: float
    new_articles: int
    parsed: int  # items feedparser parsed in the cold cycle
    left_out: int  # items the pre-filter left out


async def run(args: argparse.Namespace, port: int) -> Figures:
    settings = PollingSettings(allowed_networks=LOOPBACK)  # local feeds
    if args.no_prefilter:  # feedparser sees every item, as before issue 17
        prefilter.filter_items = lambda body, **_: None
    counts = {"parsed": 0, "left_out": 0}
    real_parse = poller_module.parse_feed

    def counting_parse(*a: Any, **kw: Any) -> ParsedFeed:
        parsed = real_parse(*a, **kw)
        counts["parsed"] += len(parsed.items) - parsed.dropped_old
        counts["left_out"] += parsed.dropped_old + parsed.skipped_unchanged
        return parsed

    if args.parser == "thread":
        poller_module.parse_feed = counting_parse  # type: ignore[assignment]
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

        # every feed due again (the longest adaptive interval is 2 x max_interval)
        offset = timedelta(seconds=2 * settings.max_interval_seconds + 60)
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
    poller_module.parse_feed = real_parse  # type: ignore[assignment]
    print(
        f"  cold cycle: {cold_wall:6.2f} s wall, {cold_cpu + cold_cpu_workers:6.2f} s CPU "
        f"(main {cold_cpu:.2f}, parse workers {cold_cpu_workers:.2f});  {cold}"
    )
    print(f"  warm cycle: {warm_wall:6.2f} s wall, {warm_cpu:6.2f} s CPU;  {warm}")
    if args.parser == "thread":
        print(f"  items parsed by feedparser: {counts['parsed']:,}, left out by the pre-filter: "
              f"{counts['left_out']:,}")  # fmt: skip
    print(
        f"  peak RSS: main {rss_kb() / 1024:.0f} MB; parse workers {peak_workers / 1024:.0f} MB "
        f"(PSS now {pss_workers / 1024:.0f} MB)"
    )
    if args.profile:
        profile_parse()
    for name, profile in zip(("cold", "warm"), profiles, strict=False):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
        print(f"--- profile of the {name} cycle (event-loop thread only) ---")
        print(out.getvalue())
    return Figures(
        cold_wall, cold_cpu + cold_cpu_workers, warm_wall, warm_cpu, cold.new_articles,
        counts["parsed"], counts["left_out"],
    )  # fmt: skip


async def run_all(args: argparse.Namespace, port: int) -> None:
    figures = []
    for number in range(args.runs):
        print(f"run {number + 1} of {args.runs} (load average {os.getloadavg()[0]:.2f})")
        figures.append(await run(args, port))
    med = statistics.median
    print(
        f"median of {args.runs}: cold {med(f.cold_wall for f in figures):.1f} s wall / "
        f"{med(f.cold_cpu for f in figures):.1f} s CPU, "
        f"warm {med(f.warm_wall for f in figures):.2f} s wall; "
        f"{med(f.new_articles for f in figures):,.0f} new articles; peak RSS "
        f"{rss_kb() / 1024:.0f} MB (all runs); machine: {describe()}"
    )


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
    parser.add_argument("--runs", type=int, default=1, help="cold+warm runs (median printed)")
    parser.add_argument("--no-prefilter", action="store_true", help="feedparser sees every item")
    args = parser.parse_args()
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    server = ctx.Process(target=serve, args=(theirs,), daemon=True)
    server.start()
    try:
        port, total = ours.recv()
        print(f"server: {FEEDS} feeds, {total / FEEDS / 1024:.0f} KB each on average")
        asyncio.run(run_all(args, port))
    finally:
        ours.send("stop")
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    main()
