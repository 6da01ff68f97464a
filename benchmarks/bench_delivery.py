"""Delivery benchmark: one event for a region with N subscribers, against the fake Bot API
enforcing Telegram's limits (30/s overall, ~1/s per private chat).

A real `strikebot run` subprocess sends; this process runs the fake and, while the alert
fans out, types /start as new users every ~2 s and times the reply.

    python benchmarks/bench_delivery.py                    # 10,000 subscribers at 25/s (~7 min)
    python benchmarks/bench_delivery.py --recipients 2000  # quicker
    python benchmarks/bench_delivery.py --rss-chats 100000 # memory with 100,000 chats

Prints: achieved rate / configured rate, 429s as a share of requests, duplicates, losses,
p50/p95 reply time to /start during the send, and the bot's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.tables import DeliveryRow
from tests.builders import make_event, publish, seed_many
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "5555:BENCH-token-abcdefghijklmnopqrstu"
FIRST_CHAT = 1_000_000


async def seed(url: str, chats: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        await seed_many(session, range(FIRST_CHAT, FIRST_CHAT + chats))
        await publish(session, make_event())
    await engine.dispose()


async def remaining(url: str) -> int:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        stmt = select(func.count()).where(DeliveryRow.status.in_(("pending", "sending")))
        n = int((await session.execute(stmt)).scalar_one())
    await engine.dispose()
    return n


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_bot(workdir: Path, base_url: str, db: str, rate: float) -> subprocess.Popen[bytes]:
    config = workdir / "bench.toml"
    config.write_text(
        f'[telegram]\napi_base_url = "{base_url}"\n[database]\nurl = "{db}"\n'
        f"[delivery]\nmessages_per_second = {rate}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "STRIKEBOT_TELEGRAM_TOKEN": TOKEN}
    env.pop("STRIKEBOT_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config), "--log-level", "WARNING"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "bot.log", "wb"),
    )


async def fan_out(recipients: int, rate: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db = f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
        t = time.perf_counter()
        await seed(db, recipients)
        print(f"seeded {recipients} subscribers in {time.perf_counter() - t:.1f} s")
        async with FakeTelegram(TOKEN) as fake:
            bot = start_bot(workdir, fake.base_url, db, rate)
            replies: list[float] = []
            user = 1
            try:
                while await remaining(db) > 0:
                    await asyncio.sleep(2.0)
                    if not fake.sent():
                        continue
                    start_mark = len(fake.calls)
                    asked = time.monotonic()
                    fake.send_text(user, "/start")
                    await fake.wait_for(
                        lambda c, u=user: c.method == "sendMessage"
                        and c.status == 200
                        and c.params.get("chat_id") == u,
                        timeout=30,
                        start=start_mark,
                    )
                    replies.append(time.monotonic() - asked)
                    user += 1
                rss = peak_rss_mb(bot.pid)
            finally:
                bot.send_signal(signal.SIGTERM)
                bot.wait(20)
            alerts = [m for m in fake.sent() if m["chat_id"] >= FIRST_CHAT]
            times = sorted(
                c.at
                for c in fake.calls
                if c.method == "sendMessage"
                and c.status == 200
                and c.params["chat_id"] >= FIRST_CHAT
            )
            requests = sum(1 for c in fake.calls if c.method == "sendMessage")
            rate_429 = fake.count("sendMessage", 429)
            span = times[-1] - times[0]
            achieved = (len(times) - 1) / span if span > 0 else float("nan")
            lost = recipients - len({m["chat_id"] for m in alerts})
            dup = sum(n - 1 for n in fake.duplicates().values())
            print(f"recipients            {recipients}")
            print(f"configured rate       {rate:.1f} msg/s")
            share = achieved / rate
            print(f"achieved rate         {achieved:.2f} msg/s = {share:.3f} of configured")
            print(f"429s                  {rate_429} of {requests} = {rate_429 / requests:.2%}")
            print(f"duplicates            {dup}")
            print(f"losses                {lost}")
            if replies:
                p95 = statistics.quantiles(replies, n=20)[18] if len(replies) >= 2 else replies[0]
                print(
                    f"/start reply          p50 {statistics.median(replies) * 1000:.0f} ms, "
                    f"p95 {p95 * 1000:.0f} ms over {len(replies)} users"
                )
            print(f"bot peak RSS          {rss:.0f} MB")


async def memory(chats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db = f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
        t = time.perf_counter()
        await seed(db, chats)
        print(f"seeded {chats} chats and {chats} pending alerts in {time.perf_counter() - t:.0f} s")
        async with FakeTelegram(TOKEN) as fake:
            bot = start_bot(workdir, fake.base_url, db, 25)
            try:
                await asyncio.sleep(30)
                rss = peak_rss_mb(bot.pid)
            finally:
                bot.send_signal(signal.SIGTERM)
                bot.wait(20)
            print(f"sent in 30 s          {len(fake.sent())}")
            print(f"bot peak RSS with {chats} chats: {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--rss-chats", type=int, default=0, help="measure memory instead")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    if args.rss_chats:
        asyncio.run(memory(args.rss_chats))
    else:
        asyncio.run(fan_out(args.recipients, args.rate))


if __name__ == "__main__":
    main()
