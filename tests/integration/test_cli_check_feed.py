"""`strikebot check-feed` as an operator runs it, against the local feed server: a feed's items
with what would alert (an update of a strike already counted is not counted twice; a figure
not given reads "not stated"), a web page named as such with the feeds it advertises, and a
usage error that exits 2."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.fakes.feed_server import FeedServer, rss

ROOT = Path(__file__).resolve().parents[2]


async def strikebot(*args: str, config: Path | None = None) -> tuple[int, str, str]:
    """Run the command; ``config`` (a folder) gets a config that lets it reach the local feed
    server (loopback is refused by default)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    if config is not None:
        path = config / "check.toml"
        path.write_text('[polling]\nallowed_networks = ["127.0.0.0/8", "::1/128"]\n')
        args = (*args, "--config", str(path))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode(), err.decode()


def _when(minutes_ago: int) -> str:
    return format_datetime(datetime.now(UTC) - timedelta(minutes=minutes_ago))


async def test_a_feed_counts_each_strike_once(server: FeedServer, tmp_path: Path) -> None:
    server.set_feed(
        "/feed.xml",
        rss(
            [
                {
                    "title": "Missile strike on Kryvyi Rih: 14 killed",
                    "description": "A Russian ballistic missile hit a residential building in "
                    "Kryvyi Rih, killing 14 people, the regional governor said.",
                    "link": "https://news.example/1",
                    "pubDate": _when(90),
                },
                {
                    "title": "Kryvyi Rih missile strike: death toll rises to 18",
                    "description": "The number of people killed by the Russian ballistic "
                    "missile strike on a residential building in Kryvyi Rih rose to 18.",
                    "link": "https://news.example/2",
                    "pubDate": _when(30),
                },
                {
                    "title": "Drone attack damages houses in Sumy oblast",
                    "description": "Russian drones hit several houses in Sumy oblast overnight, "
                    "damaging roofs and windows, the regional administration said.",
                    "link": "https://news.example/3",
                    "pubDate": _when(20),
                },
            ]
        ),
    )
    code, out, err = await strikebot("check-feed", server.url("/feed.xml"), config=tmp_path)
    assert code == 0, err
    assert "3 items" in out
    assert "2 of 3 items would alert (1 more only update a strike already counted)" in out
    assert "[UPDATE]" in out
    assert "killed: not stated" in out  # the drone attack gives no figure
    assert "killed=None" not in out


async def test_a_web_page_lists_the_feeds_it_advertises(server: FeedServer, tmp_path: Path) -> None:
    page = (
        b"<!DOCTYPE html><html><head><title>News</title>"
        b'<link rel="stylesheet" href="/s.css">'
        b'<link rel="alternate" type="application/rss+xml" title="All news" href="/rss.xml">'
        b"<link type='application/atom+xml' href='https://other.example/atom' rel='alternate'>"
        b"</head><body>Hello</body></html>"
    )
    server.set_feed("/", page, content_type="text/html; charset=utf-8")
    code, out, _err = await strikebot("check-feed", server.url("/"), config=tmp_path)
    assert code == 1
    assert "is a web page, not an RSS/Atom feed" in out
    assert f"{server.url('/rss.xml')}  (All news)" in out
    assert "https://other.example/atom" in out

    server.set_feed("/plain", b"<html><body>no feeds</body></html>", content_type="text/html")
    code, out, _err = await strikebot("check-feed", server.url("/plain"), config=tmp_path)
    assert code == 1 and "advertises no feed" in out


async def test_not_a_url_is_a_usage_error() -> None:
    code, out, err = await strikebot("check-feed", "not-a-url")
    assert code == 2 and out == ""
    assert "not an http(s) URL" in err and "Traceback" not in err
