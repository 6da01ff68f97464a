"""One fan-out against the limit-enforcing fake Bot API, by strikebot or by the PTB baseline.

* strikebot: a real ``strikebot run`` subprocess on a seeded SQLite outbox (one alert to N
  subscribers of one oblast);
* PTB baseline: ``Application`` with ``AIORateLimiter`` (defaults, or ``max_retries``), its
  own /start handler, and a sequential ``send_message`` loop over the same N chats — what a
  bot without an outbox would do.

While the alert fans out, a new user types /start every ~2 s and the reply time is taken.
Faults (``Faults``) are injected by the fake: a share of chats answering their first send
with a per-chat 429, a share of users who blocked the bot, and a window of 502s.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.tables import DeliveryRow
from tests.builders import make_event, publish, seed_many
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "5555:BENCH-token-abcdefghijklmnopqrstu"
FIRST_CHAT = 1_000_000
USERS = 900_000  # ids of the users typing /start


@dataclass(frozen=True)
class Faults:
    chat_429_share: float = 0.0  # chats whose first send gets a per-chat 429 (retry_after 3)
    blocked_share: float = 0.0  # users who blocked the bot (never counted as lost)
    outage_seconds: float = 0.0  # all sends answer 502 for this long, from the 100th send
    rtt: float = 0.0  # seconds every request is held (a slow link)


@dataclass(frozen=True)
class Result:
    label: str
    recipients: int
    rate: float  # achieved, successful alert sends per second
    requests: int
    answered_429: int
    lost: int
    duplicated: int
    start_p50: float
    start_p95: float
    seconds: float

    def row(self) -> str:
        share = self.answered_429 / max(1, self.requests)
        return (
            f"| {self.label} | {self.rate:.1f} | {self.answered_429} ({share:.1%}) | "
            f"{self.lost} | {self.duplicated} | {self.start_p50 * 1000:.0f} / "
            f"{self.start_p95 * 1000:.0f} ms | {self.seconds:.0f} s |"
        )


def chats(n: int) -> range:
    return range(FIRST_CHAT, FIRST_CHAT + n)


def inject(fake: FakeTelegram, n: int, faults: Faults) -> set[int]:
    """Set up per-chat faults; returns the blocked chats."""
    if faults.chat_429_share:
        step = round(1 / faults.chat_429_share)
        for chat in chats(n)[::step]:
            fake.chat_429(chat, retry_after=3)
    blocked = set()
    if faults.blocked_share:
        step = round(1 / faults.blocked_share)
        blocked = set(chats(n)[step // 2 :: step])
        for chat in blocked:
            fake.block(chat)
    if faults.rtt:
        fake.stall(faults.rtt)
    return blocked


async def seed(url: str, n: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with session_factory(engine).begin() as session:
        await seed_many(session, chats(n))
        await publish(session, make_event())
    await engine.dispose()


_ENGINES: dict[str, AsyncEngine] = {}


async def backlog(url: str) -> int:
    """Rows not finished yet (one engine per database, kept: this runs every 2 s beside the
    fake Bot API, whose clock must not stall)."""
    engine = _ENGINES.get(url) or _ENGINES.setdefault(url, create_engine(url))
    async with session_factory(engine)() as session:
        stmt = select(func.count()).where(DeliveryRow.status.in_(("pending", "sending")))
        return int((await session.execute(stmt)).scalar_one())


def start_strikebot(
    workdir: Path, base_url: str, db: str, delivery: str
) -> subprocess.Popen[bytes]:
    config = workdir / "bench.toml"
    config.write_text(
        f'[telegram]\napi_base_url = "{base_url}"\n[database]\nurl = "{db}"\n'
        f"[delivery]\n{delivery}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "STRIKEBOT_TELEGRAM_TOKEN": TOKEN}
    env.pop("STRIKEBOT_DATABASE_URL", None)
    profile = os.environ.get("BENCH_PROFILE")  # a file: the bot runs under cProfile
    python = [sys.executable, *(["-m", "cProfile", "-o", profile] if profile else [])]
    return subprocess.Popen(
        [
            *python,
            "-m",
            "bot",
            "run",
            "--config",
            str(config),
            "--log-level",
            os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "bot.log", "wb"),
    )


async def _watch(
    fake: FakeTelegram, n: int, faults: Faults, done: Callable[[], Awaitable[bool]]
) -> list[float]:
    """Until ``done``: type /start as a new user every ~2 s and time the reply; start the
    502 window once 100 alerts went out."""
    replies: list[float] = []
    user = USERS
    outage_started = False
    while not await done():
        await asyncio.sleep(2.0)
        if faults.outage_seconds and not outage_started and len(fake.sent()) >= 100:
            fake.failing(1.0, 502, faults.outage_seconds)
            outage_started = True
        if not fake.sent():
            continue
        mark, asked = len(fake.calls), time.monotonic()
        fake.send_text(user, "/start")
        with contextlib.suppress(TimeoutError):
            await fake.wait_for(
                lambda c, u=user: (
                    c.method == "sendMessage" and c.status == 200 and c.params.get("chat_id") == u
                ),
                timeout=60,
                start=mark,
            )
            replies.append(time.monotonic() - asked)
        user += 1
    return replies


def _result(
    label: str, fake: FakeTelegram, n: int, blocked: set[int], replies: list[float], secs: float
) -> Result:
    alerts = [
        c for c in fake.calls if c.method == "sendMessage" and c.params["chat_id"] >= FIRST_CHAT
    ]
    ok = sorted(c.at for c in alerts if c.status == 200)
    span = ok[-1] - ok[0] if len(ok) > 1 else float("nan")
    got = {c.params["chat_id"] for c in alerts if c.status == 200}
    dup = sum(k - 1 for (chat, _), k in fake.duplicates().items() if chat >= FIRST_CHAT)
    p95 = statistics.quantiles(replies, n=20)[18] if len(replies) >= 2 else float("nan")
    return Result(
        label,
        n,
        (len(ok) - 1) / span,
        len(alerts),
        sum(1 for c in alerts if c.status == 429),
        len(set(chats(n)) - blocked - got),
        dup,
        statistics.median(replies) if replies else float("nan"),
        p95,
        secs,
    )


async def run_strikebot(
    workdir: Path, label: str, n: int, delivery: str, faults: Faults, global_rate: float = 30.0
) -> tuple[Result, int]:
    """Returns the result and the bot's peak RSS in MB."""
    db = f"sqlite+aiosqlite:///{workdir / f'bench-{time.monotonic_ns()}.sqlite3'}"
    await seed(db, n)
    async with FakeTelegram(TOKEN, global_rate=global_rate) as fake:
        blocked = inject(fake, n, faults)
        bot = start_strikebot(workdir, fake.base_url, db, delivery)
        started = time.monotonic()
        try:
            replies = await _watch(fake, n, faults, lambda: _drained(db))
            rss = _peak_rss_mb(bot.pid)
            print(f"{label}: bot CPU {_cpu_seconds(bot.pid):.1f} s", file=sys.stderr)
            answers = Counter((c.method, c.status) for c in fake.calls)
            print(f"answers: {dict(answers)}", file=sys.stderr)
        finally:
            await stop(bot)
        await _ENGINES.pop(db).dispose()
        log = (workdir / "bot.log").read_text(errors="replace").strip()
        if keep := os.environ.get("BENCH_KEEP_LOG"):  # a file to keep the bot's log in
            Path(keep).write_text(log, encoding="utf-8")  # noqa: ASYNC240 - once, at the end
        if log:
            print(f"bot log: {len(log.splitlines())} lines, last: {log.splitlines()[-1][:300]}")
        return _result(label, fake, n, blocked, replies, time.monotonic() - started), rss


async def stop(bot: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then wait without blocking the loop: the fake must answer the bot's last calls."""
    bot.send_signal(signal.SIGTERM)
    for _ in range(600):
        if bot.poll() is not None:
            return
        await asyncio.sleep(0.05)
    bot.kill()


async def _drained(db: str) -> bool:
    return await backlog(db) == 0


async def run_ptb(label: str, n: int, max_retries: int, faults: Faults) -> Result:
    from telegram import Update
    from telegram.error import TelegramError
    from telegram.ext import AIORateLimiter, Application, CommandHandler, ContextTypes

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Welcome")

    async with FakeTelegram(TOKEN) as fake:
        blocked = inject(fake, n, faults)
        app = (
            Application.builder()
            .token(TOKEN)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .rate_limiter(AIORateLimiter(max_retries=max_retries))
            .build()
        )
        app.add_handler(CommandHandler("start", start))
        finished = asyncio.Event()

        async def loop() -> None:
            for chat in chats(n):
                with contextlib.suppress(TelegramError):
                    await app.bot.send_message(chat, "Missile strike alert")
            finished.set()

        async def done() -> bool:
            return finished.is_set()

        started = time.monotonic()
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            sender = asyncio.create_task(loop())
            replies = await _watch(fake, n, faults, done)
            await sender
            await app.updater.stop()
            await app.stop()
        return _result(label, fake, n, blocked, replies, time.monotonic() - started)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0
