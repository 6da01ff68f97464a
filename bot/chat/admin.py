"""Admin commands: /stats, /feeds, /addfeed, /delfeed, /channel (broadcasts: ``chat.broadcasts``).

The handlers check :meth:`Services.is_admin` first; these functions assume an admin asked.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.chat.conversation import ChatRef, Reply, open_chat
from bot.chat.places import PlaceIndex, Resolution, code_name, resolve
from bot.config import PollingSettings
from bot.domain import DEFAULT_TZ
from bot.errors import FeedError
from bot.i18n import t, t_html
from bot.ingest.check import check_feed
from bot.ingest.discover import WebPageError
from bot.ingest.fetch import make_http_session
from bot.store import chats, events, outbox
from bot.store import feeds as feed_repo
from bot.store.db import SessionFactory
from bot.store.tables import FeedRow

KYIV = ZoneInfo(DEFAULT_TZ)
MAX_URL = 2048
MAX_LISTED_FEEDS = 40
TOP_REGIONS = 10


@dataclass(frozen=True, slots=True)
class StatsFigures:
    """The figures of /stats (and ``strikebot stats``)."""

    chats: int
    subscriptions: int
    by_code: tuple[tuple[str, int], ...]
    events_today: int
    deliveries: dict[str, int]
    feeds: int = 0  # enabled
    #: (name, reason, failing since) of each enabled feed whose last poll failed
    failing_feeds: tuple[tuple[str, str, datetime], ...] = ()


async def gather_stats(sessions: SessionFactory, now: datetime) -> StatsFigures:
    midnight = now.astimezone(KYIV).replace(hour=0, minute=0, second=0, microsecond=0)
    async with sessions() as session:
        feed_rows = [row for row in await feed_repo.list_feeds(session) if row.enabled]
        return StatsFigures(
            feeds=len(feed_rows),
            failing_feeds=tuple(
                (_feed_name(row), row.last_error or "?", row.last_ok_at or row.created_at)
                for row in feed_rows
                if row.consecutive_failures
            ),
            chats=await chats.count_chats(session),
            subscriptions=await chats.count_subscriptions(session),
            by_code=tuple(await chats.subscription_counts(session, TOP_REGIONS)),
            events_today=await events.count_since(session, midnight),
            deliveries=await outbox.counts(session),
        )


def render_stats(figures: StatsFigures, index: PlaceIndex, lang: str) -> str:
    top = ", ".join(
        f"{html.escape(code_name(index, code, lang), quote=False)} {n}"
        for code, n in figures.by_code
    )
    d = figures.deliveries
    return "\n".join(
        [
            t(lang, "stats.header"),
            t(lang, "stats.chats", chats=figures.chats, subscriptions=figures.subscriptions),
            t(lang, "stats.top", top=top or "—"),
            t(lang, "stats.events", events=figures.events_today),
            t(
                lang,
                "stats.deliveries",
                pending=d.get("pending", 0) + d.get("sending", 0),
                failed=d.get("failed", 0),
                sent=d.get("sent", 0),
                expired=d.get("expired", 0),
            ),
            t(lang, "stats.feeds", feeds=figures.feeds, failing=len(figures.failing_feeds)),
            *(
                f"⚠️ {html.escape(name, quote=False)} · "
                + t_html(lang, "feeds.failing", since=_utc(since), reason=reason[:120])
                for name, reason, since in figures.failing_feeds
            ),
        ]
    )


def _feed_name(row: FeedRow) -> str:
    return (row.name or urlsplit(row.url).hostname or row.url)[:60]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d.%m %H:%M UTC")


async def stats(sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, now: datetime) -> Reply:
    lang = await _lang(sessions, ref, now)
    return Reply(render_stats(await gather_stats(sessions, now), index, lang))


def _feed_line(row: FeedRow, lang: str, now: datetime) -> str:
    if not row.enabled:
        mark = "⏸"
    elif row.failing or row.consecutive_failures:
        mark = "⚠️"
    elif row.last_ok_at is None:
        mark = "⏳"
    else:
        mark = "✅"
    name = html.escape(_feed_name(row), quote=False)
    ago = (
        t(lang, "feeds.ago", minutes=max(0, int((now - row.last_ok_at).total_seconds() // 60)))
        if row.last_ok_at is not None
        else t(lang, "feeds.never")
    )
    line = f"{mark} #{row.id} {name} · {ago} · {t(lang, 'feeds.items', n=row.items_total)}"
    if row.enabled and row.poll_interval_seconds:
        why = html.escape(row.poll_reason or "", quote=False)
        line += "\n    " + t(
            lang, "feeds.interval", every=every(row.poll_interval_seconds), why=why
        )
    if row.enabled and row.consecutive_failures and row.last_error:
        since = row.last_ok_at or row.created_at  # failing since its last good poll
        line += "\n    " + t_html(
            lang,
            "feeds.failing",
            since=_utc(since),
            reason=row.last_error[:120],
        )
    return line


def every(seconds: int) -> str:
    """A poll interval, short: "45 s", "12 min", "1 h 30 min"."""
    if seconds < 120:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


async def feed_schedule_lines(sessions: SessionFactory, now: datetime) -> list[str]:
    """``strikebot stats``: each enabled feed's poll interval and why (plain text)."""
    async with sessions() as session:
        rows = [row for row in await feed_repo.list_feeds(session) if row.enabled]
    if not rows:
        return []
    lines = [f"Feeds polled: {len(rows)}"]
    for row in rows:
        name = (row.name or urlsplit(row.url).hostname or row.url)[:60]
        interval = every(row.poll_interval_seconds) if row.poll_interval_seconds else "—"
        due = row.next_poll_at
        when = (
            "due now"
            if due is None or due <= now
            else f"next in {every(int((due - now).total_seconds()))}"
        )
        lines.append(
            f"  #{row.id} {name}: every {interval} ({row.poll_reason or 'not polled yet'}), {when}"
        )
    return lines


async def feeds(sessions: SessionFactory, ref: ChatRef, now: datetime) -> Reply:
    lang = await _lang(sessions, ref, now)
    async with sessions() as session:
        rows = await feed_repo.list_feeds(session)
    if not rows:
        return Reply(t(lang, "feeds.empty"))
    lines = [t(lang, "feeds.header", n=len(rows))]
    lines += [_feed_line(row, lang, now) for row in rows[:MAX_LISTED_FEEDS]]
    if len(rows) > MAX_LISTED_FEEDS:
        lines.append(t(lang, "feeds.more", n=len(rows) - MAX_LISTED_FEEDS))
    return Reply("\n".join(lines))


def valid_feed_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and len(url) <= MAX_URL


async def add_feed(
    sessions: SessionFactory,
    polling: PollingSettings,
    ref: ChatRef,
    url: str,
    name: str,
    now: datetime,
) -> Reply:
    """Fetch and parse the feed once; add it only when that works."""
    lang = await _lang(sessions, ref, now)
    if not valid_feed_url(url):
        return Reply(t(lang, "feeds.usage_add"))
    http = make_http_session(polling)
    try:
        articles = await check_feed(url, polling, http)
    except WebPageError as exc:  # offer the feeds the page advertises, as feed readers do
        lines = [t_html(lang, "feeds.web_page", url=url)]
        lines.append(t(lang, "feeds.advertised" if exc.feeds else "feeds.none_advertised"))
        lines += [f"• <code>{html.escape(found, quote=False)}</code>" for _t, found in exc.feeds]
        return Reply("\n".join(lines))
    except FeedError as exc:
        return Reply(t_html(lang, "feeds.check_failed", url=url, reason=str(exc)[:300]))
    finally:
        await http.close()
    async with sessions() as session:
        info = await feed_repo.add_feed(session, url, now, name=name[:200])
        await session.commit()
    return Reply(t_html(lang, "feeds.added", url=url, id=info.id, n=len(articles)))


async def delete_feed(sessions: SessionFactory, ref: ChatRef, arg: str, now: datetime) -> Reply:
    """Disable a feed named by its URL or its #id (its history stays)."""
    lang = await _lang(sessions, ref, now)
    arg = arg.strip().lstrip("#")
    if not arg:
        return Reply(t(lang, "feeds.usage_del"))
    async with sessions() as session:
        url = arg
        if arg.isdigit():
            row = await feed_repo.feed_by_id(session, int(arg[:12]))
            url = row.url if row is not None else ""
        done = bool(url) and await feed_repo.disable_feed(session, url)
        await session.commit()
    return Reply(t_html(lang, "feeds.deleted" if done else "feeds.unknown", feed=arg[:200]))


async def register_channel(
    bot: Bot,
    sessions: SessionFactory,
    index: PlaceIndex,
    ref: ChatRef,
    args: list[str],
    now: datetime,
) -> Reply:
    """/channel <region> <@channel|id>: the channel gets that region's alerts."""
    lang = await _lang(sessions, ref, now)
    if len(args) < 2:
        return Reply(t(lang, "channel.usage"))
    found = resolve(index, " ".join(args[:-1]))
    areas = [p for p in found.places if not p.settlement_code]  # "Dnipro": city and oblast
    if found.kind == "many" and len(areas) == 1:
        found = Resolution("one", (areas[0],))
    if found.kind not in ("one", "all"):
        return Reply(t_html(lang, "channel.bad_region", region=" ".join(args[:-1])[:100]))
    code = found.places[0].code if found.kind == "one" else "*"
    target = args[-1]
    ident: int | str = int(target) if target.lstrip("-").isdigit() else target
    try:
        channel = await bot.get_chat(ident)
        member = await bot.get_chat_member(channel.id, bot.id)
    except TelegramError:
        return Reply(t_html(lang, "channel.not_found", channel=target[:100]))
    if channel.type != ChatType.CHANNEL:
        return Reply(t_html(lang, "channel.not_channel", channel=target[:100]))
    if member.status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        return Reply(t_html(lang, "channel.not_admin", channel=target[:100]))
    title = channel.title or target
    async with sessions() as session:
        chat = await chats.ensure_chat(
            session, channel.id, now, type_="channel", title=title, lang=lang
        )
        await chats.subscribe(session, chat.id, code, now)
        await session.commit()
    name = code_name(index, code, lang)
    return Reply(t_html(lang, "channel.done", channel=title[:100], place=name))


async def _lang(sessions: SessionFactory, ref: ChatRef, now: datetime) -> str:
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        await session.commit()
        return chat.lang
