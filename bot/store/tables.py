"""The database schema: SQLAlchemy 2 typed tables (SQLite and PostgreSQL).

feeds ─┬─ seen_keys        identity keys of every item ever seen (the seen-set)
       └─ articles ──▶ events ◀── event_nodes   (region/time index for candidate search)
                         │  └── event_changes  (new/update history)
chats ─┬─ subscriptions (node codes: "*", "UA", "UA-12", "UA-12:703845")
       └─ deliveries (the outbox; unique dedupe_key per chat × event × version, or × broadcast)
broadcasts ──▶ deliveries
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain import DEFAULT_TZ
from bot.store.types import JSONText, UTCDateTime


class Base(DeclarativeBase):
    pass


class FeedRow(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)  # follows 301/308 redirects
    # the URL as configured or added by an admin (config sync matches on it); None: same as url
    declared_url: Mapped[str | None] = mapped_column(String(2048), nullable=True, default=None)
    name: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str] = mapped_column(String(8), default="")
    origin: Mapped[str] = mapped_column(String(16), default="config")  # config | admin
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    interval_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # conditional GET state
    etag: Mapped[str | None] = mapped_column(String(512), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(128), nullable=True)
    body_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # schedule and health
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    initialized: Mapped[bool] = mapped_column(Boolean, default=False)  # backlog recorded
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    failing: Mapped[bool] = mapped_column(Boolean, default=False)
    items_total: Mapped[int] = mapped_column(Integer, default=0)
    # adaptive polling (bot/ingest/schedule.py): what the feed earned, and why
    poll_interval_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    poll_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    rate_per_hour: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_new_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ttl_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SeenKeyRow(Base):
    """Every identity key (guid:…, url:…, hash:…) of every item ever seen, for dedup."""

    __tablename__ = "seen_keys"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="SET NULL"), nullable=True
    )
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ArticleRow(Base):
    """An item that went further than the seen-set: new, recent, classified."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2048), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(8), default="")
    published: Mapped[datetime] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # classification (null until processed)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    is_strike: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    reasons: Mapped[Any] = mapped_column(JSONText, nullable=True)
    report: Mapped[Any] = mapped_column(JSONText, nullable=True)
    event_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    change: Mapped[str | None] = mapped_column(String(12), nullable=True)

    __table_args__ = (Index("ix_articles_unprocessed", "processed_at", "id"),)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    country: Mapped[str] = mapped_column(String(2), default="")
    event_time: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    severity: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[Any] = mapped_column(JSONText)  # the full domain.Event, serialised


class EventNodeRow(Base):
    """Index for candidate search: one row per (event, hierarchy node)."""

    __tablename__ = "event_nodes"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_time: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_event_nodes_code_time", "code", "event_time"),)


class EventChangeRow(Base):
    __tablename__ = "event_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    what_changed: Mapped[Any] = mapped_column(JSONText, nullable=True)
    previous: Mapped[Any] = mapped_column(JSONText, nullable=True)  # figures before an update
    article_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)  # article publication/first-seen
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ChatRow(Base):
    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(16), default="private")
    title: Mapped[str] = mapped_column(String(256), default="")
    lang: Mapped[str] = mapped_column(String(8), default="en")
    tz: Mapped[str] = mapped_column(String(64), default=DEFAULT_TZ)
    min_severity: Mapped[int] = mapped_column(Integer, default=1)
    quiet_start: Mapped[int | None] = mapped_column(Integer, nullable=True)  # minutes after 00:00
    quiet_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updates: Mapped[str] = mapped_column(String(8), default="reply")  # edit | reply | off
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("chat_id", "code", name="uq_subscription_chat_code"),)


class BroadcastRow(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    admin_id: Mapped[int] = mapped_column(BigInteger)
    admin_chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(64), default="*")
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft|queued|done|cancelled
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeliveryRow(Base):
    """The outbox. Every row ends sent, failed or skipped; never silently gone."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(96), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(12))  # new | update | broadcast
    priority: Mapped[int] = mapped_column(Integer)  # 0 new, 1 update, 2 broadcast
    event_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    broadcast_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    region: Mapped[str] = mapped_column(String(64), default="")  # for fair interleaving
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_deliveries_queue", "status", "priority", "next_attempt_at", "id"),)
