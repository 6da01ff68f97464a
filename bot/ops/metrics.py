"""Prometheus metrics, on a registry owned by the running bot (no module-level globals).

Names (all prefixed ``strikebot_``):
    polls_total{outcome}            feed polls: ok, not_modified, failed, deferred
    items_new_total                 new feed items that went to the classifier
    reports_total{verdict}          classified items: strike, not_strike
    events_total{change}            event changes: new, update, duplicate, ignored
    deliveries_total{outcome}       outbox rows finished: sent, failed, skipped, expired
    telegram_429_total{kind}        429 answers from Telegram: chat (one chat's limit, that
                                    chat waits) or global (the overall limit, the pace slows)
    outbox_backlog                  rows pending or in flight (read at scrape time)
    alert_latency_seconds           histogram: item first seen → alert sent
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 1200, 3600, float("inf"))


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.polls = Counter("strikebot_polls", "Feed polls by outcome", ["outcome"], registry=r)
        self.items_new = Counter("strikebot_items_new", "New feed items", registry=r)
        self.reports = Counter("strikebot_reports", "Classified items", ["verdict"], registry=r)
        self.events = Counter("strikebot_events", "Event changes", ["change"], registry=r)
        self.deliveries = Counter(
            "strikebot_deliveries", "Finished deliveries by outcome", ["outcome"], registry=r
        )
        self.rate_limited = Counter(
            "strikebot_telegram_429", "429s from Telegram by kind", ["kind"], registry=r
        )
        for kind in ("chat", "global"):
            self.rate_limited.labels(kind)
        for outcome in ("sent", "failed", "skipped", "expired"):
            self.deliveries.labels(outcome)
        self.backlog = Gauge("strikebot_outbox_backlog", "Deliveries pending", registry=r)
        self.last_poll_age = Gauge(
            "strikebot_last_poll_age_seconds", "Seconds since the last successful poll", registry=r
        )
        self.latency = Histogram(
            "strikebot_alert_latency_seconds",
            "From an item first seen to its alert sent",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )

    def delivery(self, outcome: str, first_seen: datetime | None, now: datetime) -> None:
        if outcome.startswith("rate_limited"):
            self.rate_limited.labels(outcome.removeprefix("rate_limited_") or "chat").inc()
            return
        self.deliveries.labels(outcome).inc()
        if outcome == "sent" and first_seen is not None:
            self.latency.observe(max(0.0, (now - first_seen).total_seconds()))

    def render(self) -> bytes:
        return generate_latest(self.registry)
