"""Delivery benchmark: one alert to N subscribers through the fake Bot API that enforces
Telegram's limits (30/s overall, ~1/s per private chat, 20/min per group), by a real
``strikebot run`` and, side by side, by python-telegram-bot's ``AIORateLimiter``.

    python benchmarks/bench_delivery.py                     # 10,000 subscribers at 25/s
    python benchmarks/bench_delivery.py --table --runs 2    # near the limit: 25, 29, PTB ×2
    python benchmarks/bench_delivery.py --faults            # per-chat 429s, blocked, 502s
    python benchmarks/bench_delivery.py --paid              # paid, 800/s (fake allows 1,000)
    python benchmarks/bench_delivery.py --rtt 0.15          # 25/s over a 150 ms round trip
    python benchmarks/bench_delivery.py --rss-chats 100000  # memory with 100,000 chats

Each row: achieved alert sends per second, 429s answered (share of alert requests), lost
(recipients that never got it; blocked users excluded), duplicated, /start reply p50/p95
while the alert fans out, and wall time. ``--runs`` repeats every row back to back; the
summary gives medians. Print ``uptime`` beside the figures: the machine may be shared.
Debugging: ``BENCH_LOG_LEVEL=INFO`` (the bot's log level), ``BENCH_KEEP_LOG=/tmp/bot.log``
(keep its log), ``BENCH_PROFILE=/tmp/prof`` (run the bot under cProfile).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.delivery_runs import Faults, Result, run_ptb, run_strikebot

HEADER = (
    "| sender | msgs/s | 429s | lost | dup | /start p50 / p95 | time |\n"
    "|---|---|---|---|---|---|---|"
)
FAULTS = {
    "10% of chats flood-limited once (retry_after 3)": Faults(chat_429_share=0.1),
    "5% of users blocked the bot": Faults(blocked_share=0.05),
    "20 s of 502 from the 100th send": Faults(outage_seconds=20.0),
}


def ours(rate: float) -> str:
    return f"messages_per_second = {rate}"


async def table(workdir: Path, n: int, runs: int) -> None:
    """Issue 17's near-the-limit table, every sender back to back, ``runs`` times."""
    rows: dict[str, list[Result]] = {}
    for _ in range(runs):
        for rate in (25.0, 29.0):
            label = f"strikebot, messages_per_second = {rate:.0f}"
            result, _ = await run_strikebot(workdir, label, n, ours(rate), Faults())
            rows.setdefault(label, []).append(result)
            print(result.row(), flush=True)
        for retries in (0, 3):
            label = f"PTB AIORateLimiter(max_retries={retries}), sequential"
            result = await run_ptb(label, n, retries, Faults())
            rows.setdefault(label, []).append(result)
            print(result.row(), flush=True)
    summary(rows)


async def faults(workdir: Path, n: int, runs: int, rate: float) -> None:
    rows: dict[str, list[Result]] = {}
    for _ in range(runs):
        for name, fault in FAULTS.items():
            label = f"{name}: strikebot at {rate:.0f}/s"
            result, _ = await run_strikebot(workdir, label, n, ours(rate), fault)
            rows.setdefault(label, []).append(result)
            print(result.row(), flush=True)
            for retries in (0, 3):
                label = f"{name}: PTB AIORateLimiter(max_retries={retries})"
                result = await run_ptb(label, n, retries, fault)
                rows.setdefault(label, []).append(result)
                print(result.row(), flush=True)
    summary(rows)


def summary(rows: dict[str, list[Result]]) -> None:
    print("\nmedians over", len(next(iter(rows.values()))), "run(s):\n" + HEADER)
    for results in rows.values():
        mid = sorted(results, key=lambda r: r.rate)[len(results) // 2]
        rates = ", ".join(f"{r.rate:.1f}" for r in results)
        print(mid.row().replace(f"| {mid.rate:.1f} |", f"| {mid.rate:.1f} ({rates}) |", 1))
    print(f"\nload: {os.getloadavg()}")


async def single(workdir: Path, n: int, delivery: str, fault: Faults, global_rate: float) -> None:
    label = f"strikebot ({delivery.replace(chr(10), ', ')})"
    result, rss = await run_strikebot(workdir, label, n, delivery, fault, global_rate)
    print(HEADER + "\n" + result.row())
    print(f"bot peak RSS {rss} MB; load: {os.getloadavg()}")
    print(f"this process (fake Bot API) CPU: {sum(os.times()[:2]):.1f} s")


async def memory(workdir: Path, chats: int) -> None:
    from benchmarks.delivery_runs import backlog, seed

    db = f"sqlite+aiosqlite:///{workdir / 'memory.sqlite3'}"
    await seed(db, chats)
    from benchmarks.delivery_runs import TOKEN, _peak_rss_mb, start_strikebot, stop
    from tests.fakes.telegram_api import FakeTelegram

    async with FakeTelegram(TOKEN) as fake:
        bot = start_strikebot(workdir, fake.base_url, db, ours(25.0))
        try:
            await asyncio.sleep(30)
            rss = _peak_rss_mb(bot.pid)
        finally:
            await stop(bot)
    print(f"sent in 30 s: {len(fake.sent())}; left: {await backlog(db)}")  # engine kept: exits
    print(f"bot peak RSS with {chats} chats: {rss} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=0, help="default: per mode")
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--table", action="store_true", help="near the limit, vs PTB")
    parser.add_argument("--faults", action="store_true", help="fault table, vs PTB")
    parser.add_argument("--paid", action="store_true", help="paid broadcast at 1,000/s")
    parser.add_argument("--rtt", type=float, default=0.0, help="seconds per round trip")
    parser.add_argument("--rss-chats", type=int, default=0, help="measure memory instead")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.rss_chats:
            job = memory(workdir, args.rss_chats)
        elif args.table:
            job = table(workdir, args.recipients or 3000, args.runs)
        elif args.faults:
            job = faults(workdir, args.recipients or 1000, args.runs, args.rate)
        elif args.paid:
            delivery = "allow_paid_broadcast = true\npaid_messages_per_second = 800"
            job = single(workdir, args.recipients or 20_000, delivery, Faults(), 1000.0)
        else:
            fault = Faults(rtt=args.rtt)
            job = single(workdir, args.recipients or 10_000, ours(args.rate), fault, 30.0)
        asyncio.run(job)


if __name__ == "__main__":
    main()
