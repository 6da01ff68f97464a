"""Markers for the message source (:mod:`bot.i18n.messages`), as Babel's extractor reads them:
``msg:1c,2`` (context, text) and ``nmsg:1c,2,3`` (context, singular, plural)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Message:
    key: str  # the gettext context (msgctxt) the code looks the message up by
    text: str  # the English msgid (singular)
    plural: str | None = None  # the English msgid_plural; None: not a plural entry


def msg(key: str, text: str) -> Message:
    return Message(key, text)


def nmsg(key: str, singular: str, plural: str) -> Message:
    return Message(key, singular, plural)
