"""Telegram HTML that may be longer than one message → messages Telegram accepts (pure).

Telegram rejects a message over 4,096 characters. :func:`split_message` cuts at blank lines,
then at line ends, and only inside a line that alone is too long; a cut never falls inside a
tag or an entity, and tags open at a cut are closed before it and reopened after it, so every
piece is valid HTML on its own. Lengths are counted in UTF-16 code units of the raw HTML: the
text Telegram counts (tags removed, entities decoded) is never longer.
"""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def size(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """``text`` as one or more pieces of at most ``limit``; ``[text]`` when it fits."""
    if size(text) <= limit:
        return [text]
    budget = limit - 64  # room to close (and reopen) tags that span a cut
    pieces: list[str] = []
    current = ""
    for line in _lines(text, budget):
        joined = f"{current}\n{line}" if current else line
        if size(joined) <= budget:
            current = joined
            continue
        if current:
            still_open = _open_tags(current)
            pieces.append(current + "".join(f"</{name}>" for name, _ in reversed(still_open)))
            line = "".join(tag for _, tag in still_open) + line
        current = line
    if current:
        pieces.append(current)
    return [piece.strip("\n") or "…" for piece in pieces]


def trim_message(text: str, limit: int = TELEGRAM_LIMIT) -> str:
    """The first piece of ``text``, with "…" when something was cut (for edits: one message)."""
    pieces = split_message(text, limit - 2)
    return pieces[0] if len(pieces) == 1 else pieces[0] + "\n…"


def _lines(text: str, limit: int) -> list[str]:
    """The lines of ``text``, with any line over ``limit`` cut into valid pieces."""
    out: list[str] = []
    for line in text.split("\n"):
        while size(line) > limit:
            head, line = _cut(line, limit)
            out.append(head)
        out.append(line)
    return out


def _cut(line: str, limit: int) -> tuple[str, str]:
    """Cut one over-long line: (a head that fits with its tags closed, the rest reopened)."""
    budget = limit - 64  # room for the closing tags
    end = budget
    while size(line[:end]) > budget:
        end -= max(1, (size(line[:end]) - budget) // 2)
    space = line.rfind(" ", budget // 2, end)
    end = space if space > 0 else end
    opening, closing = line.rfind("<", 0, end), line.rfind(">", 0, end)
    if opening > closing:
        end = opening  # not inside a tag
    amp, semi = line.rfind("&", 0, end), line.rfind(";", 0, end)
    if amp > semi and end - amp <= 10:
        end = amp  # not inside an entity
    if end <= 0:
        end = max(1, budget)
    head, rest = line[:end], line[end:].lstrip(" ")
    still_open = _open_tags(head)
    head += "".join(f"</{name}>" for name, _ in reversed(still_open))
    rest = "".join(tag for _, tag in still_open) + rest
    return head, rest


def _open_tags(html: str) -> list[tuple[str, str]]:
    """Tags opened and not closed in ``html``: (name, the opening tag as written)."""
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
            continue
        for index in range(len(stack) - 1, -1, -1):
            if stack[index][0] == name:
                del stack[index:]
                break
    return stack
