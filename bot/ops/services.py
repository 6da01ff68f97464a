"""What handlers and jobs get handed: the settings and the long-lived resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.store.db import SessionFactory

if TYPE_CHECKING:
    from bot.geo import Gazetteer


def utcnow() -> datetime:
    return datetime.now(UTC)


def _no_sender() -> None:
    """No sender yet (or a dry run): the sender finds the rows on its next pass."""


@dataclass
class Services:
    settings: Settings
    sessions: SessionFactory
    clock: Callable[[], datetime] = utcnow
    gazetteer: Gazetteer | None = None
    # wakes the outbox sender at once (a confirmed broadcast); set by app.py once it runs
    wake_sender: Callable[[], None] = _no_sender

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.telegram.admins
