"""What an operator runs and reads: /healthz, /metrics, webhook mode, logs, ``strikebot stats``."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url

from bot.app import StrikeBot
from bot.chat.admin import gather_stats, render_stats
from bot.config import FeedSettings, ServerSettings, Settings, TelegramSettings
from bot.geo import Gazetteer
from bot.ops.logs import setup_logging
from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade
from tests.builders import make_event, publish, seed_chat
from tests.conftest import postgres_admin_url
from tests.e2e.conftest import TOKEN
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_state import user
from tests.resilience.test_database_outage import postgres_outage

STRIKE = {
    "title": "Russian ballistic missile strike on Kryvyi Rih kills 14, including 6 children",
    "link": "https://wire-ops.example/kryvyi-rih",
    "guid": "wire-ops-1",
    "description": (
        "A ballistic missile hit a residential area of Kryvyi Rih in the evening, killing 14 "
        "people, including six children, and injuring more than 50, the regional governor said."
    ),
}
DB_PASSWORD = "Sup3r-S3cret-Passw0rd"


async def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as resp:
        return resp.status, await resp.text()


def families(text: str) -> dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    """Metric family name → {(sample name, labels): value}."""
    found: dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]] = {}
    for family in text_string_to_metric_families(text):
        found[family.name] = {
            (s.name, tuple(sorted(s.labels.items()))): s.value for s in family.samples
        }
    return found


def sample(found: dict[str, Any], family: str, name: str, **labels: str) -> float:
    return float(found[family].get((name, tuple(sorted(labels.items()))), 0.0))


async def wait_for(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        await asyncio.sleep(0.1)


# --- /healthz and /metrics -------------------------------------------------------------------
async def test_healthz_and_metrics_after_a_real_alert(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    unused_tcp_port: int,
) -> None:
    feeds.set_feed("/wire.xml", rss([]))
    feeds.set_feed("/dead.xml", b"<html>not a feed</html>", content_type="text/html")
    listen = f"127.0.0.1:{unused_tcp_port}"
    settings = settings_for(
        feeds=(
            FeedSettings(url=feeds.url("/wire.xml"), name="Ops Wire", lang="en"),
            FeedSettings(url=feeds.url("/dead.xml"), name="Dead", lang="en"),
        ),
        server=ServerSettings(listen=listen),
    )
    bot: StrikeBot = await start_bot(settings)
    assert bot.services is not None
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, 5151, ("UA-12",))
    await wait_for(lambda: bot.health.last_poll_ok is not None, 15, "a first poll")

    telegram.force_429(1, retry_after=1)  # the first alert is told to wait once
    feeds.set_feed("/wire.xml", rss([{**STRIKE, "pubDate": format_datetime(datetime.now(UTC))}]))
    [alert] = await telegram.wait_sent(5151, timeout=30)
    assert "Kryvyi Rih" in alert["text"]

    for _ in range(50):  # the sender records "sent" just after Telegram answers
        status, body = await get(f"http://{listen}/healthz")
        health = json.loads(body)
        if health.get("outbox_backlog") == 0:
            break
        await asyncio.sleep(0.1)
    assert status == 200, body
    assert health["ok"] is True and health["scheduler"] is True and health["database"] is True
    assert isinstance(health["last_poll_age_seconds"], float)
    assert 0 <= health["last_poll_age_seconds"] < 30
    assert health["outbox_backlog"] == 0

    for _ in range(50):  # the sender's outcome callback runs right after the message is sent
        status, text = await get(f"http://{listen}/metrics")
        found = families(text)
        if sample(found, "strikebot_deliveries", "strikebot_deliveries_total", outcome="sent"):
            break
        await asyncio.sleep(0.1)
    assert status == 200
    print("\n" + "\n".join(line for line in text.splitlines() if line.startswith("strikebot_")))
    assert sample(found, "strikebot_polls", "strikebot_polls_total", outcome="ok") >= 1
    assert sample(found, "strikebot_polls", "strikebot_polls_total", outcome="failed") >= 1
    assert sample(found, "strikebot_items_new", "strikebot_items_new_total") >= 1
    assert sample(found, "strikebot_events", "strikebot_events_total", change="new") == 1
    assert sample(found, "strikebot_reports", "strikebot_reports_total", verdict="strike") >= 1
    assert sample(found, "strikebot_deliveries", "strikebot_deliveries_total", outcome="sent") == 1
    rate_limited = ("strikebot_telegram_429", "strikebot_telegram_429_total")
    assert sample(found, *rate_limited, kind="chat") == 1  # one chat told to wait, not all
    assert sample(found, *rate_limited, kind="global") == 0
    assert sample(found, "strikebot_outbox_backlog", "strikebot_outbox_backlog") == 0
    assert sample(found, "strikebot_last_poll_age_seconds", "strikebot_last_poll_age_seconds") >= 0
    latency = "strikebot_alert_latency_seconds"
    assert sample(found, latency, f"{latency}_count") == 1
    assert 0 < sample(found, latency, f"{latency}_sum") < 120
    assert sample(found, latency, f"{latency}_bucket", le="+Inf") == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_healthz_is_503_while_the_database_is_unreachable(
    database_url: str,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    unused_tcp_port: int,
) -> None:
    listen = f"127.0.0.1:{unused_tcp_port}"
    await start_bot(settings_for(database_url=database_url, server=ServerSettings(listen=listen)))
    status, _ = await get(f"http://{listen}/healthz")
    assert status == 200
    async with postgres_outage(database_url):
        status, body = await get(f"http://{listen}/healthz")
        assert status == 503, body
        health = json.loads(body)
        assert health["ok"] is False and health["database"] is False
        assert health["scheduler"] is True
        assert "database_error" in health
        status, _ = await get(f"http://{listen}/metrics")
        assert status == 200  # metrics stay readable while the database is away
    for _ in range(100):
        status, body = await get(f"http://{listen}/healthz")
        if status == 200:
            break
        await asyncio.sleep(0.2)
    assert status == 200, body


# --- webhook mode ----------------------------------------------------------------------------
async def test_webhook_mode_checks_the_secret_and_answers_through_the_same_handlers(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    unused_tcp_port: int,
) -> None:
    hook = f"http://127.0.0.1:{unused_tcp_port}/tg-hook"
    base = settings_for()
    settings = settings_for(
        telegram=TelegramSettings(
            token=base.telegram.token,
            api_base_url=base.telegram.api_base_url,
            admins=base.telegram.admins,
            webhook_url=hook,
            webhook_listen=f"127.0.0.1:{unused_tcp_port}",
            webhook_secret="s3cret",
        )
    )
    await start_bot(settings)
    [set_hook] = [c for c in telegram.calls if c.method == "setWebhook"]
    assert set_hook.params["url"] == hook
    assert set_hook.params["secret_token"] == "s3cret"
    assert telegram.count("getUpdates") == 0

    def update(update_id: int, chat_id: int) -> dict[str, Any]:
        sender = user(chat_id, None, "private", "user", "en")
        message = telegram.state.text_update(chat_id, "private", sender, "/start", False)
        return {"update_id": update_id, **message}

    async with aiohttp.ClientSession() as http:
        for update_id, chat_id, headers in (
            (1, 6101, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}),
            (2, 6102, {}),
        ):
            async with http.post(hook, json=update(update_id, chat_id), headers=headers) as resp:
                assert resp.status == 403
        async with http.post(
            hook, json=update(3, 6103), headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        ) as resp:
            assert resp.status == 200
    [reply] = await telegram.wait_sent(6103, timeout=10)
    assert "not an official" in reply["text"].lower()
    await asyncio.sleep(0.5)
    assert telegram.sent(6101) == [] and telegram.sent(6102) == []


# --- logs ------------------------------------------------------------------------------------
def bot_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    return {**env, "STRIKEBOT_TELEGRAM_TOKEN": TOKEN, **extra}


def test_a_database_that_cannot_be_reached_is_reported_without_password_or_token() -> None:
    url = f"postgresql://strikebot:{DB_PASSWORD}@127.0.0.1:9/strikebot"  # nothing listens on 9
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--log-level", "DEBUG"],
        env=bot_env(STRIKEBOT_DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    print("\n" + output)
    assert done.returncode == 1
    assert "cannot reach the database" in output
    assert "127.0.0.1:9" in output  # says which database
    assert DB_PASSWORD not in output
    assert TOKEN not in output and TOKEN.split(":", 1)[1] not in output


def test_log_json_emits_one_json_object_per_line(tmp_path: Path) -> None:
    config = tmp_path / "bot.toml"
    config.write_text('[polling]\ninterval_seconds = 3600\n[server]\nlisten = ""\n')
    database = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    log = tmp_path / "bot.log"
    with open(log, "w") as err:
        command = ["run", "--dry-run", "--log-json", "--config", str(config)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *command],
            env=bot_env(STRIKEBOT_DATABASE_URL=database),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 60
        while "strikebot started" not in log.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"ts", "level", "logger", "msg"} <= set(records[0])
    assert any("strikebot started" in r["msg"] for r in records)
    assert any(r["msg"] == "stopping" for r in records)
    assert TOKEN not in log.read_text()


@pytest.fixture
def operator_logging(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[[], str]]:
    """The real logging set-up (as `strikebot run --log-level DEBUG`), its output captured."""
    import logging

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    setup_logging("DEBUG", secrets=[TOKEN])
    try:
        yield lambda: capsys.readouterr().err
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
async def database_with_password(tmp_path: Path) -> AsyncIterator[str]:
    """A PostgreSQL URL that carries a password (trust auth ignores it); SQLite without one."""
    admin = postgres_admin_url()
    if admin is None:
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    from tests.conftest import create_postgres_database, drop_postgres_database

    url, name = await create_postgres_database()
    try:
        yield make_url(url).set(password=DB_PASSWORD).render_as_string(hide_password=False)
    finally:
        await drop_postgres_database(name)


async def test_a_running_bot_never_logs_the_token_or_the_database_password(
    telegram: FakeTelegram,
    feeds: FeedServer,
    settings_for: Callable[..., Settings],
    start_bot: Callable[..., Any],
    database_with_password: str,
    operator_logging: Callable[[], str],
) -> None:
    feeds.set_feed("/wire.xml", rss([]))
    feeds.redirect("/gone.xml", "/gone.xml")  # a failing feed: its error is logged
    bot: StrikeBot = await start_bot(
        settings_for(
            database_url=database_with_password,
            feeds=(
                FeedSettings(url=feeds.url("/wire.xml"), name="Log Wire", lang="en"),
                FeedSettings(url=feeds.url("/gone.xml"), name="Gone", lang="en"),
            ),
        )
    )
    assert bot.services is not None
    async with bot.services.sessions.begin() as session:
        await seed_chat(session, 7171, ("UA-12",))
    telegram.fail_next(1, status=502, method="sendMessage")  # a retried delivery is logged
    feeds.set_feed("/wire.xml", rss([{**STRIKE, "pubDate": format_datetime(datetime.now(UTC))}]))
    await telegram.wait_sent(7171, timeout=30)
    telegram.send_text(7172, "/start")
    await telegram.wait_sent(7172, timeout=10)
    await bot.stop()
    logged = operator_logging()
    assert "strikebot started" in logged and "sendMessage" in logged  # DEBUG lines were there
    assert TOKEN not in logged
    assert TOKEN.split(":", 1)[1] not in logged
    assert DB_PASSWORD not in logged


# --- strikebot stats -------------------------------------------------------------------------
async def test_strikebot_stats_prints_the_figures_of_slash_stats(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'stats.sqlite3'}"
    engine = create_engine(database)
    await upgrade(engine)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    async with sessions.begin() as session:
        await seed_chat(session, 9101, ("UA-12",))
        await seed_chat(session, 9102, ("UA-12", "UA-63"))
        await seed_chat(session, 9103, ("UA-63",))
        await publish(session, make_event("ev_stats", first_seen=now, last_seen=now), now=now)
    figures = await gather_stats(sessions, now)
    await engine.dispose()
    expected = render_stats(figures, gazetteer, "en").replace("<b>", "").replace("</b>", "")

    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "stats"],
        env=bot_env(STRIKEBOT_DATABASE_URL=database),
        capture_output=True,
        text=True,
        timeout=60,
    )
    print("\n" + done.stdout + done.stderr)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected.strip()
    assert "Chats: 3 active · subscriptions: 4" in done.stdout
    assert "Events today: 1" in done.stdout
    assert "2 pending" in done.stdout  # the event went to the two UA-12 chats

    missing = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "stats"],
        env=bot_env(STRIKEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 1
    assert "strikebot db upgrade" in missing.stderr
