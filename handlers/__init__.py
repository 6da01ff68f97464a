"""All chat handlers, wired in one place: ``register(application)``.

Handlers are thin: parse the update, call a function in ``bot``, reply.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, BaseHandler

from handlers import errors, start


def all_handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [*start.handlers()]


def register(application: Application) -> None:  # type: ignore[type-arg]
    for handler in all_handlers():
        application.add_handler(handler)
    application.add_error_handler(errors.on_error)
