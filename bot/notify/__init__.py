"""Notifications: render.py (pure: Event → localized HTML text), plan.py (pure: who gets what),
sender.py (shell: outbox → Telegram)."""
