"""What handlers and jobs get handed: the settings and the long-lived resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.store.db import SessionFactory

if TYPE_CHECKING:
    from bot.geo import Gazetteer


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    sessions: SessionFactory
    clock: Callable[[], datetime] = utcnow
    gazetteer: Gazetteer | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # wake-up hooks set by app.py

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.telegram.admins
