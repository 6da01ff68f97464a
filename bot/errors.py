"""strikebot's exception tree (every class below is raised somewhere; the tree is the code's).

    StrikebotError                 base of everything we raise on purpose
    ├── ConfigError                bad/missing config file or key (CLI: one line, exit 2)
    ├── StartupError               cannot start or run a command: no token, database missing,
    │                              unreachable or without tables, a failed backup (CLI: exit 1)
    └── FeedError                  one feed's poll failed (logged on state change, never raised
        │                          out of the poller)
        ├── FeedFetchError         network, timeout, HTTP status, too large
        │   └── RetryLater         429/503 or a paused host: try after ``retry_after_seconds``
        │                          (``bot.ingest.fetch``)
        └── FeedParseError         not a feed, malformed or hostile XML

Outside the tree, on purpose: ``bot.notify.compose.NothingToSend`` is control flow inside the
sender (the row has nothing left to deliver), never seen by a caller. A failed delivery is not
an exception either: its outcome is recorded on the outbox row.

A broad ``except`` lives only at boundaries, each marked ``# boundary:`` where it stands: one
feed's poll, one delivery (and the sender's loop), one scheduled job, the health probe, the
update-polling watcher, one hostile entry of a feed document, the CLI's one-line error, and the
python-telegram-bot error handler.
"""

from __future__ import annotations


class StrikebotError(Exception):
    """Base of every error strikebot raises on purpose."""


class ConfigError(StrikebotError):
    """The configuration is missing, unreadable or wrong. The message names file and key."""


class StartupError(StrikebotError):
    """The bot or a command cannot start: no token, a missing or unreachable database, a
    database without tables, a failed backup. The message says what to do."""


class FeedError(StrikebotError):
    """One feed's poll failed."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class FeedFetchError(FeedError):
    """Network error, timeout, HTTP error status, or a body over the size limit."""


class FeedParseError(FeedError):
    """The body is not a usable RSS/Atom document."""


def one_line(error: object, limit: int | None = None) -> str:
    """An error's message for a log line or a stored reason: whitespace (newlines too) folded
    to single spaces, cut at ``limit`` characters. May be empty."""
    return " ".join(str(error).split())[:limit]
