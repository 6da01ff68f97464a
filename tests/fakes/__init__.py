"""Test doubles for strikebot's outside world (a fake Telegram Bot API server, …)."""
