"""Who gets what: EventChange × subscribers → outbox rows (pure).

Rules:
* A chat is a recipient when one of its subscription codes is a node the event lies in
  (``"*"`` covers everything; a region covers its settlements — see ``domain.place_path``),
  the chat is active, and the event's severity meets the chat's minimum.
* ``new`` → one ``new`` row per recipient.
* ``update`` → an ``update`` row for recipients who already got this event and want updates
  (``updates != "off"``); recipients who never got it (the event just crossed their minimum
  severity, or they subscribed since) get a full ``new`` alert instead. A recipient whose
  first alert is still waiting in the outbox (``waiting``: pending, not yet claimed) gets no
  row at all: that alert is rendered from the stored event when it goes out, so it already
  carries this version — an update row would make a second full alert.
* ``duplicate``/``ignored`` → nothing.
* Each row is unique per (chat, event, version): ``dedupe_key``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.domain import ALL_PLACES, ChangeKind, Event, EventChange

T = TypeVar("T")

PRIORITY_NEW = 0
PRIORITY_UPDATE = 1
PRIORITY_BROADCAST = 2


@dataclass(frozen=True, slots=True)
class Recipient:
    chat_id: int
    codes: frozenset[str]  # subscription codes
    min_severity: int = 1
    updates: str = "reply"  # edit | reply | off
    active: bool = True


@dataclass(frozen=True, slots=True)
class PlannedDelivery:
    dedupe_key: str
    chat_id: int
    kind: str  # new | update | broadcast
    priority: int
    event_id: str | None
    version: int
    region: str  # for fair interleaving across regions
    broadcast_id: int | None = None


def event_region(event: Event) -> str:
    """The node used to interleave sends fairly: the first place's region, else its country."""
    if not event.places:
        return ""
    first = event.places[0]
    return first.region_code or first.country


def covers(codes: Collection[str], event: Event) -> bool:
    return ALL_PLACES in codes or not event.codes.isdisjoint(codes)


def plan_event(
    change: EventChange,
    recipients: Iterable[Recipient],
    already_alerted: Collection[int],
    waiting: Collection[int] = (),
) -> list[PlannedDelivery]:
    """Outbox rows for one change. ``already_alerted``: chats that got (or are being sent) an
    earlier version; ``waiting``: chats whose first alert is still pending."""
    event = change.event
    if event is None or change.kind not in (ChangeKind.NEW, ChangeKind.UPDATE):
        return []
    region = event_region(event)
    planned: list[PlannedDelivery] = []
    for r in recipients:
        if not r.active or int(event.severity) < r.min_severity or not covers(r.codes, event):
            continue
        if change.kind is ChangeKind.UPDATE and r.chat_id in waiting:
            continue
        if change.kind is ChangeKind.UPDATE and r.chat_id in already_alerted:
            if r.updates == "off":
                continue
            kind, priority = "update", PRIORITY_UPDATE
        else:
            kind, priority = "new", PRIORITY_NEW
        planned.append(
            PlannedDelivery(
                dedupe_key=f"e:{event.id}:{event.version}:{r.chat_id}",
                chat_id=r.chat_id,
                kind=kind,
                priority=priority,
                event_id=event.id,
                version=event.version,
                region=region,
            )
        )
    return planned


def plan_broadcast(
    broadcast_id: int, target: str, recipients: Iterable[Recipient]
) -> list[PlannedDelivery]:
    """One row per active chat whose subscriptions cover ``target`` (``"*"``: every chat)."""
    planned = []
    for r in recipients:
        if not r.active:
            continue
        if target != ALL_PLACES and not _code_covers_target(r.codes, target):
            continue
        planned.append(
            PlannedDelivery(
                dedupe_key=f"b:{broadcast_id}:{r.chat_id}",
                chat_id=r.chat_id,
                kind="broadcast",
                priority=PRIORITY_BROADCAST,
                event_id=None,
                version=0,
                region=target,
                broadcast_id=broadcast_id,
            )
        )
    return planned


def _code_covers_target(codes: Collection[str], target: str) -> bool:
    """A chat hears a regional broadcast when it follows that region, a place in it, its
    country, or everything."""
    if ALL_PLACES in codes or target in codes:
        return True
    country = target.split("-", 1)[0]
    return country in codes or any(code.startswith(target + ":") for code in codes)


def interleave(
    rows: Sequence[T], priority: Callable[[T], int], region: Callable[[T], str]
) -> list[T]:
    """Keep priority order; within one priority, take rows round-robin across regions so one
    big region does not starve the others. Order within a region is kept."""
    out: list[T] = []
    by_priority: dict[int, dict[str, list[T]]] = {}
    for row in rows:
        by_priority.setdefault(priority(row), {}).setdefault(region(row), []).append(row)
    for level in sorted(by_priority):
        queues = list(by_priority[level].values())
        depth = max(len(q) for q in queues)
        for i in range(depth):
            out.extend(q[i] for q in queues if i < len(q))
    return out


def is_quiet(local_minutes: int, start: int | None, end: int | None) -> bool:
    """Whether a local time (minutes after midnight) falls in quiet hours [start, end)."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local_minutes < end
    return local_minutes >= start or local_minutes < end
