"""Alembic migrations (run with ``strikebot db upgrade``)."""
