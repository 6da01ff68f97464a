"""Telegram's ``parse_mode=HTML``, strictly: text + entities out, or the error Telegram gives.

Telegram accepts only a handful of tags and rejects anything else with
``400 Bad Request: can't parse entities: ...`` (offsets in UTF-8 bytes). Entity offsets and
lengths are in UTF-16 code units, as in the Bot API. Only the four named entities
(``&lt; &gt; &amp; &quot;``) and numeric ones are decoded; any other ``&`` stays literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # only with class="tg-spoiler"
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR = re.compile(r"\s*([a-zA-Z_][a-zA-Z0-9_-]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")


class HtmlError(ValueError):
    """The part after "Bad Request: can't parse entities: "."""


@dataclass
class _Open:
    name: str
    start: int  # UTF-16 offset in the output text
    entity: dict[str, Any] | None
    extra: dict[str, Any] = field(default_factory=dict)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _unescape(raw: str) -> str:
    def one(m: re.Match[str]) -> str:
        dec, hexa, name = m.groups()
        if name is not None:
            return NAMED_ENTITIES.get(name, m.group(0))
        code = int(dec) if dec is not None else int(hexa, 16)
        return chr(code) if 0 < code <= 0x10FFFF else m.group(0)

    return _ENTITY.sub(one, raw)


def _byte_offset(html: str, pos: int) -> int:
    return len(html[:pos].encode("utf-8"))


def parse_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) or raise :class:`HtmlError` the way Telegram would."""
    out: list[str] = []
    u16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    while pos < len(html):
        lt = html.find("<", pos)
        chunk = html[pos:] if lt < 0 else html[pos:lt]
        if chunk:
            text = _unescape(chunk)
            out.append(text)
            u16 += utf16_len(text)
        if lt < 0:
            break
        gt = html.find(">", lt)
        if gt < 0:
            raise HtmlError(
                f"Can't find end of the tag starting at byte offset {_byte_offset(html, lt)}"
            )
        at = _byte_offset(html, lt)
        if html.startswith("</", lt):
            name = html[lt + 2 : gt].strip().lower()
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {at}")
            top = stack.pop()
            if name != top.name:
                raise HtmlError(
                    f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", '
                    f'found "</{name}>"'
                )
            if top.entity is not None and u16 > top.start:
                top.entity.update(offset=top.start, length=u16 - top.start)
                entities.append(top.entity)
        else:
            stack.append(_open_tag(html[lt + 1 : gt], at, stack, u16))
        pos = gt + 1
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _open_tag(inner: str, at: int, stack: list[_Open], u16: int) -> _Open:
    m = _NAME.match(inner)
    name = m.group(0).lower() if m else ""
    if name not in SIMPLE_TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {at}')
    attrs: dict[str, str] = {}
    rest = inner[m.end() if m else 0 :]
    while rest.strip():
        am = _ATTR.match(rest)
        if am is None:
            raise HtmlError(f'Unsupported start tag "{name}" at byte offset {at}')
        value = am.group(2) or ""
        if value[:1] in "\"'":
            value = value[1:-1]
        attrs[am.group(1).lower()] = _unescape(value)
        rest = rest[am.end() :]
    entity: dict[str, Any] | None = {"type": SIMPLE_TAGS[name]}
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if name == "a":
        href = attrs.get("href", "")
        entity = {"type": "text_link", "url": href} if href else None
    elif name == "tg-emoji":
        if "emoji-id" not in attrs:
            raise HtmlError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {at}')
        entity = {"type": "custom_emoji", "custom_emoji_id": attrs["emoji-id"]}
    elif name == "blockquote" and "expandable" in attrs:
        entity = {"type": "expandable_blockquote"}
    elif name == "code" and stack and stack[-1].name == "pre" and stack[-1].entity is not None:
        lang = attrs.get("class", "")
        if lang.startswith("language-"):
            stack[-1].entity["language"] = lang[len("language-") :]
            entity = None
    return _Open(name=name, start=u16, entity=entity, extra=attrs)


def command_entities(text: str) -> list[dict[str, Any]]:
    """A ``bot_command`` entity for a leading ``/cmd`` or ``/cmd@botname``, as Telegram adds."""
    m = re.match(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?", text)
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))}] if m else []
