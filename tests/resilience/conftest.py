"""The resilience suite reuses the end-to-end harness (fake Telegram, feed server, real bot)."""

from __future__ import annotations

from tests.e2e.conftest import (  # noqa: F401 - fixtures are found by name
    ADMIN_ID,
    TOKEN,
    feeds,
    gazetteer,
    settings_for,
    start_bot,
    telegram,
)
