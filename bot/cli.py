"""The ``strikebot`` command.

    strikebot run [--dry-run]         poll, classify, cluster and alert (or print, dry run)
    strikebot classify                JSON Lines in → one verdict per line out
    strikebot replay [--database URL] [--explain]
                                      JSON Lines in → classify + cluster, as the live bot does
    strikebot check-feed URL          fetch and parse one feed, show what it would alert
    strikebot stats                   the figures of the admins' /stats
    strikebot db upgrade              apply database migrations
    strikebot db backup PATH          copy a SQLite database safely (the bot may be running)

Exit codes: 0 ok, 1 runtime/start-up error, 2 configuration or usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot import __version__
from bot.config import Settings, load_settings
from bot.errors import ConfigError, StartupError
from bot.ops.logs import RedactingFilter, redact_secrets, setup_logging

if TYPE_CHECKING:
    from bot.classify import Classifier
    from bot.domain import Report

log = logging.getLogger("strikebot")

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]

_INPUT = """input, one JSON object a line:
  id          string or integer, echoed back (optional)
  title       headline          } at least one of the two
  text        summary or body   }
  lang        "en", "uk" or "ru" (optional: detected from the text)
  published   ISO 8601 time, e.g. "2025-04-04T16:02:00Z" (no zone: UTC)"""
CLASSIFY_FIELDS = f"""{_INPUT} (optional)

output, one JSON object a line:
  id, is_civilian_strike, score, country, region_code, region, place,
  killed, injured, children_killed, weapon, reasons   (null when unknown)

a bad line gives {{"id": <id or null>, "error": "<what is wrong>"}} and the run goes on.
example:
  echo '{{"id": 1, "title": "Drone hits a school in Sumy, two injured"}}' | strikebot classify"""
REPLAY_FIELDS = f"""{_INPUT} (required)
  source      outlet name (optional)
  url         link to the item (optional)

output: the classify fields plus event_id and change (new, update, duplicate, ignored).
a bad line gives {{"id": <id or null>, "error": "<what is wrong>"}} — the same as classify."""


def _add_common(parser: argparse.ArgumentParser, prefix: str) -> None:
    parser.add_argument(
        "--config",
        dest=f"{prefix}config",
        metavar="PATH",
        help="config file (default: $STRIKEBOT_CONFIG, else built-in defaults)",
    )
    parser.add_argument(
        "--log-level",
        dest=f"{prefix}log_level",
        metavar="LEVEL",
        help="DEBUG, INFO (default), WARNING or ERROR",
    )
    parser.add_argument(
        "--log-json",
        dest=f"{prefix}log_json",
        action="store_true",
        default=None,
        help="log one JSON object per line",
    )


def build_parser() -> argparse.ArgumentParser:
    # options work before or after the verb: `strikebot --config x run` = `strikebot run --config x`
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, "")
    parser = argparse.ArgumentParser(
        prog="strikebot",
        description="Telegram alerts about strikes that hit civilians, from news feeds.",
    )
    _add_common(parser, "top_")
    parser.add_argument("--version", action="version", version=f"strikebot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", parents=[common], help="run the bot")
    run.add_argument(
        "--dry-run", action="store_true", help="no Telegram: print the alerts that would be sent"
    )
    sub.add_parser(
        "classify",
        parents=[common],
        help="classify JSON Lines from stdin",
        description="Classify news items: one JSON object a line on stdin, one verdict a line "
        "on stdout, in input order.",
        epilog=CLASSIFY_FIELDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    replay = sub.add_parser(
        "replay",
        parents=[common],
        help="classify + cluster JSON Lines",
        description="Classify and cluster news items as the live bot does (same pipeline, a "
        "fresh temporary database unless --database is given); items are processed in "
        "'published' order, answers come in input order.",
        epilog=REPLAY_FIELDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    replay.add_argument(
        "--database", metavar="URL", help="database to use (default: a fresh temp one)"
    )
    replay.add_argument(
        "--explain",
        action="store_true",
        help="add 'explain': the candidate events each report was compared with, and why",
    )
    check = sub.add_parser("check-feed", parents=[common], help="fetch one feed and show its items")
    check.add_argument("url", help="feed URL")
    sub.add_parser("stats", parents=[common], help="print users, subscriptions, events, deliveries")
    db = sub.add_parser("db", parents=[common], help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.add_parser("upgrade", parents=[common], help="apply migrations up to the newest")
    backup = db_sub.add_parser(
        "backup", parents=[common], help="copy a SQLite database safely, even while the bot runs"
    )
    backup.add_argument("path", help="the new file to write (must not exist)")
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    # python-telegram-bot 22: opt in to timedelta durations (silences a deprecation warning)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, fallback in (("config", None), ("log_level", "INFO"), ("log_json", False)):
        value = getattr(args, name, None)
        if value is None:
            value = getattr(args, f"top_{name}", None)
        setattr(args, name, fallback if value is None else value)
    env = os.environ if environ is None else environ
    if args.command is None or (args.command == "db" and args.db_command is None):
        parser.print_help()
        return 2
    try:
        settings = load_settings(args.config, env)
    except ConfigError as exc:
        print(f"strikebot: config error: {redact_secrets(str(exc))}", file=sys.stderr)
        return 2
    setup_logging(
        args.log_level,
        json_logs=args.log_json,
        secrets=[settings.telegram.token, settings.telegram.webhook_secret],
    )
    command = _COMMANDS[args.command]
    try:
        return asyncio.run(command(args, settings))
    except (ConfigError, StartupError) as exc:
        secrets = [settings.telegram.token, settings.telegram.webhook_secret]
        print(f"strikebot: {RedactingFilter(secrets).redact(str(exc))}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError) else 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # boundary: one redacted line, never a traceback with a secret
        secrets = [settings.telegram.token, settings.telegram.webhook_secret]
        reason = RedactingFilter(secrets).redact(f"{type(exc).__name__}: {exc}")
        print(f"strikebot: unexpected error: {reason.splitlines()[0][:500]}", file=sys.stderr)
        return 1


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import StrikeBot

    bot = StrikeBot(settings, dry_run=args.dry_run)
    await bot.run()
    return bot.exit_code


async def _db(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.db import check_connection, create_engine, redact
    from bot.store.migrate import current_revision, upgrade

    if args.db_command == "backup":
        from pathlib import Path

        from bot.store.backup import backup_sqlite

        pages = await asyncio.to_thread(backup_sqlite, settings.database.url, Path(args.path))
        print(f"backed up {redact(settings.database.url)} to {args.path} ({pages} pages)")
        return 0

    engine = create_engine(settings.database.url)
    try:
        await check_connection(engine)
        await upgrade(engine)
        revision = await current_revision(engine)
        print(f"database {redact(settings.database.url)} is at revision {revision}")
    finally:
        await engine.dispose()
    return 0


def _load_classifier(settings: Settings) -> Classifier:
    from bot.classify import Classifier
    from bot.geo import load_gazetteer
    from bot.ingest.parse import MAX_TEXT_CHARS, MAX_TITLE_CHARS

    class LiveCapClassifier(Classifier):
        """Sees what the live bot sees: a feed item's title and text are cut at ingest
        (``bot.ingest.parse``), so ``classify`` and ``replay`` cut their input the same way."""

        def classify(
            self, title: str, text: str, lang: str | None, published: datetime | None, now: datetime
        ) -> Report:
            title, text = _cut(title, MAX_TITLE_CHARS), _cut(text, MAX_TEXT_CHARS)
            return super().classify(title, text, lang, published, now)

    return LiveCapClassifier(load_gazetteer(), threshold=settings.classifier.threshold)


def _cut(text: str, limit: int) -> str:
    """The live bot's cut (``bot.ingest.parse.plain_text``): at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def _classify(args: argparse.Namespace, settings: Settings) -> int:
    from bot.classify.jsonl import classify_line

    classifier = _load_classifier(settings)
    for line in sys.stdin:
        if not line.strip():
            continue
        record = classify_line(classifier, line, datetime.now(UTC))
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


async def _replay(args: argparse.Namespace, settings: Settings) -> int:
    from bot.pipeline import cluster_config
    from bot.replay import replay

    classifier = _load_classifier(settings)
    records = await replay(
        sys.stdin.readlines(),
        classifier,
        cluster_config(settings.cluster),
        args.database,
        explain=args.explain,
    )
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


async def _check_feed(args: argparse.Namespace, settings: Settings) -> int:
    from bot.chat.admin import valid_feed_url
    from bot.errors import FeedError
    from bot.ingest.check import check_feed
    from bot.ingest.discover import WebPageError
    from bot.ingest.fetch import make_http_session
    from bot.ops.feed_check import check_lines
    from bot.pipeline import cluster_config

    if not valid_feed_url(args.url):
        print(f"strikebot: check-feed: not an http(s) URL: {args.url[:200]!r}", file=sys.stderr)
        return 2
    classifier = _load_classifier(settings)
    async with make_http_session(settings.polling) as http:
        try:
            articles = await check_feed(args.url, settings.polling, http)
        except WebPageError as exc:
            print(f"{args.url} is a web page, not an RSS/Atom feed.")
            if exc.feeds:
                print("It advertises these feeds (try one with check-feed):")
                for title, url in exc.feeds:
                    print(f"  {url}" + (f"  ({title})" if title else ""))
            else:
                print('It advertises no feed (no <link rel="alternate"> to RSS or Atom).')
            return 1
        except FeedError as exc:
            print(f"strikebot: {redact_secrets(f'{args.url}: {exc}')}", file=sys.stderr)
            return 1
    config = cluster_config(settings.cluster)
    # The configured feed's language, as `run` passes it (it only breaks uk/ru ties).
    lang = next((f.lang for f in settings.feeds if f.url == args.url and f.lang), None)
    for line in check_lines(articles, classifier, config, datetime.now(UTC), lang):
        print(line)
    return 0


async def _stats(args: argparse.Namespace, settings: Settings) -> int:
    """The figures of the admins' /stats, as plain text (no Telegram needed)."""
    from sqlalchemy.exc import DBAPIError

    from bot.chat.admin import feed_schedule_lines, gather_stats, render_stats
    from bot.geo import load_gazetteer
    from bot.notify.dry_run import plain_text
    from bot.store.db import check_connection, create_engine, redact, session_factory

    missing = _missing_sqlite_file(settings.database.url)
    if missing is not None:  # connecting would create an empty file
        raise StartupError(
            f"database file {missing} does not exist: check [database] url, or run "
            "`strikebot db upgrade` to create it"
        )
    engine = create_engine(settings.database.url)
    try:
        await check_connection(engine)
        try:
            figures = await gather_stats(session_factory(engine), datetime.now(UTC))
            schedule = await feed_schedule_lines(session_factory(engine), datetime.now(UTC))
        except DBAPIError:
            raise StartupError(
                f"database {redact(settings.database.url)} has no strikebot tables: "
                "run `strikebot db upgrade` first"
            ) from None
    finally:
        await engine.dispose()
    text = render_stats(figures, load_gazetteer(), "en")
    print(plain_text(text))
    if schedule:
        print("\n".join(schedule))
    return 0


def _missing_sqlite_file(url: str) -> str | None:
    """The path of a SQLite database file that does not exist (None: not SQLite, in memory,
    or present)."""
    from bot.store.db import parse_database_url

    parsed = parse_database_url(url)  # a malformed URL is a configuration error (exit 2)
    database = parsed.database or ""
    if not parsed.get_backend_name().startswith("sqlite") or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        return None
    return None if os.path.exists(database) else database


_COMMANDS: dict[str, Command] = {
    "run": _run,
    "db": _db,
    "classify": _classify,
    "replay": _replay,
    "check-feed": _check_feed,
    "stats": _stats,
}
