"""All chat handlers, wired in one place: ``register(application)``.

Handlers are thin: parse the update, call a function in ``bot``, reply. The guards (edited
messages ignored, per-user throttling) run first, in group -1; the fallback (short help for
unknown commands and free text) comes last.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, BaseHandler

from handlers import (
    admin,
    callbacks,
    errors,
    fallback,
    latest,
    membership,
    settings,
    start,
    subscriptions,
    throttle,
)


def all_handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        *start.handlers(),
        *subscriptions.handlers(),
        *settings.handlers(),
        *latest.handlers(),
        *admin.handlers(),
        *callbacks.handlers(),
        *membership.handlers(),
        *fallback.handlers(),
    ]


def register(application: Application) -> None:  # type: ignore[type-arg]
    for guard in throttle.handlers():
        application.add_handler(guard, group=throttle.GROUP)
    for handler in all_handlers():
        application.add_handler(handler)
    application.add_error_handler(errors.on_error)
    application.post_init = start.publish_commands
