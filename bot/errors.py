"""strikebot's exception tree.

    StrikebotError                 base of everything we raise on purpose
    ├── ConfigError                bad/missing config file or key (CLI: one line, exit 2)
    ├── StartupError               cannot start: no token, database unreachable (exit 1)
    ├── FeedError                  one feed's poll failed (logged on state change, never raised
    │   │                          out of the poller)
    │   ├── FeedFetchError         network, timeout, HTTP status, too large
    │   └── FeedParseError         not a feed, malformed or hostile XML
    └── DeliveryError              one outbox row could not be sent (kept with its reason)

A broad ``except`` lives only at three boundaries: one feed's poll, one delivery, and the
python-telegram-bot error handler.
"""

from __future__ import annotations


class StrikebotError(Exception):
    """Base of every error strikebot raises on purpose."""


class ConfigError(StrikebotError):
    """The configuration is missing, unreadable or wrong. The message names file and key."""


class StartupError(StrikebotError):
    """The bot cannot start (no token, unreachable database, another sender holds the lock)."""


class FeedError(StrikebotError):
    """One feed's poll failed."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class FeedFetchError(FeedError):
    """Network error, timeout, HTTP error status, or a body over the size limit."""


class FeedParseError(FeedError):
    """The body is not a usable RSS/Atom document."""


class DeliveryError(StrikebotError):
    """A delivery could not be completed; the reason is stored on the outbox row."""
