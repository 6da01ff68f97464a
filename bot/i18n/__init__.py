"""Message catalogs and lookup: every user-visible string of the bot, in English, Ukrainian and
Russian.

Pure, standard library only. Usage::

    t("uk", "alert.killed", n=14)        # "14 загиблих"   (plural form chosen by ``n``)
    t("de", "help")                      # unknown language → English
    t_html("en", "sub.done", place=raw)  # arguments HTML-escaped, for parse_mode=HTML

Catalog entries are HTML-safe templates (they may contain ``<b>``) with ``{name}`` placeholders.
An entry is either a string or a mapping of plural forms: ``one``/``other`` in English,
``one``/``few``/``many`` in Ukrainian and Russian (CLDR rules, see :func:`plural_form`). The
form is chosen by the keyword argument ``n``. A key missing in a language falls back to
English; a key missing everywhere returns the key itself (never raises in front of a user); a
placeholder without a value stays as written.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.i18n.catalog import CATALOGS, DEFAULT_LANGUAGE, Entry

__all__ = ["LANGUAGES", "language", "plural_form", "t", "t_html"]

LANGUAGES: tuple[str, ...] = tuple(CATALOGS)
_EAST_SLAVIC = frozenset({"uk", "ru"})  # one/few/many by the same CLDR integer rules


def language(code: str | None) -> str:
    """The catalog language for a client language code: "uk-UA" → "uk", "ru-RU" → "ru";
    anything else → "en"."""
    base = (code or "").replace("_", "-").split("-", 1)[0].lower()
    return base if base in CATALOGS else DEFAULT_LANGUAGE


def plural_form(lang: str, n: int) -> str:
    """CLDR cardinal category: Ukrainian and Russian one/few/many (same rules), English
    one/other."""
    n = abs(n)
    if language(lang) in _EAST_SLAVIC:
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


class _Keep(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _pick(lang: str, entry: Entry, n: object) -> str:
    if isinstance(entry, str):
        return entry
    form = plural_form(lang, n) if isinstance(n, int) else "many"
    return entry.get(form) or entry.get("other") or entry.get("many") or next(iter(entry.values()))


def t(lang: str, key: str, **kwargs: object) -> str:
    """The message ``key`` in ``lang`` (fallback English), formatted with ``kwargs``."""
    lang = language(lang)
    entry = CATALOGS[lang].get(key)
    if entry is None:
        lang = DEFAULT_LANGUAGE  # plural forms follow the language the entry came from
        entry = CATALOGS[lang].get(key)
    if entry is None:
        return key
    template = _pick(lang, entry, kwargs.get("n"))
    return template.format_map(_Keep(kwargs))


def t_html(lang: str, key: str, **kwargs: object) -> str:
    """Like :func:`t`, with every argument HTML-escaped (for outside text in HTML messages)."""
    escaped: Mapping[str, object] = {
        name: value if isinstance(value, int) else html.escape(str(value), quote=False)
        for name, value in kwargs.items()
    }
    return t(lang, key, **escaped)
