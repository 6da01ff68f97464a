"""Message catalogs and lookup: every user-visible string of the bot, in English, Ukrainian and
Russian, as gettext catalogs.

Usage::

    t("uk", "alert.killed", n=14, num=14)  # "14 загиблих"   (plural form chosen by ``n``)
    t("de", "help")                         # unknown language → English
    t_html("en", "sub.done", place=raw)     # arguments HTML-escaped, for parse_mode=HTML

The English texts live in :mod:`bot.i18n.messages` (the source Babel extracts into
``locale/messages.pot``); translations are ``locale/<lang>/LC_MESSAGES/messages.po``, edited in
Poedit/Weblate and kept in step with ``pybabel update`` (see ``bot/i18n/README.md``). Each
message's key is its gettext context (``msgctxt``); plural messages go through ``npgettext``
with the catalog's CLDR ``Plural-Forms``. The ``.po`` files are compiled in memory (Babel) the
first time a language is used, so an install needs no separate compile step.

Texts are HTML-safe templates (they may contain ``<b>``) with ``{name}`` placeholders. A key
missing in a language (or untranslated, or fuzzy) falls back to English; a key missing
everywhere returns the key itself (never raises in front of a user); a placeholder without a
value stays as written.
"""

from __future__ import annotations

import functools
import gettext
import html
import io
import pathlib
from collections.abc import Mapping

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n.markers import Message
from bot.i18n.messages import MESSAGES

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Entry",
    "catalog",
    "language",
    "plural_form",
    "t",
    "t_html",
]

DEFAULT_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("en", "uk", "ru")
LOCALE_DIR = pathlib.Path(__file__).parent / "locale"
DOMAIN = "messages"
Entry = str | Mapping[str, str]
_BY_KEY: dict[str, Message] = {m.key: m for m in MESSAGES}
_EAST_SLAVIC = frozenset({"uk", "ru"})  # one/few/many by the same CLDR integer rules


def language(code: str | None) -> str:
    """The catalog language for a client language code: "uk-UA" → "uk", "ru-RU" → "ru";
    anything else → "en"."""
    base = (code or "").replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def plural_form(lang: str, n: int) -> str:
    """CLDR cardinal category of an integer: Ukrainian and Russian one/few/many, English
    one/other (the catalogs' ``Plural-Forms`` encode the same rules)."""
    n = abs(n)
    if language(lang) in _EAST_SLAVIC:
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


def po_path(lang: str) -> pathlib.Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The language's catalog, compiled from its ``.po`` on first use (English: the source)."""
    path = po_path(lang)
    if lang == DEFAULT_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    return compile_po(path, lang)


def compile_po(path: pathlib.Path, lang: str) -> gettext.GNUTranslations:
    """A ``.po`` file as gettext translations (fuzzy entries left out: they read in English)."""
    with path.open("rb") as po:
        compiled = read_po(po, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, compiled, use_fuzzy=False)  # a fuzzy translation is not used
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class _Keep(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@functools.lru_cache(maxsize=8192)
def _template(lang: str, key: str, count: int) -> str:
    """The template of ``key`` in ``lang`` for ``count`` (plural entries), cached: a render
    looks up a dozen templates."""
    message = _BY_KEY[key]
    catalog = translations(lang)
    if message.plural is None:
        return catalog.pgettext(message.key, message.text)
    return catalog.npgettext(message.key, message.text, message.plural, count)


def t(lang: str, key: str, **kwargs: object) -> str:
    """The message ``key`` in ``lang`` (fallback English), formatted with ``kwargs``."""
    message = _BY_KEY.get(key)
    if message is None:
        return key
    n = kwargs.get("n")
    count = 0  # no count: the "many"/"other" form ("50+ поранених")
    if message.plural is not None and isinstance(n, int) and not isinstance(n, bool):
        count = abs(n)
    return _template(language(lang), key, count).format_map(_Keep(kwargs))


def t_html(lang: str, key: str, **kwargs: object) -> str:
    """Like :func:`t`, with every argument HTML-escaped (for outside text in HTML messages)."""
    escaped: Mapping[str, object] = {
        name: value if isinstance(value, int) else html.escape(str(value), quote=False)
        for name, value in kwargs.items()
    }
    return t(lang, key, **escaped)


def catalog(lang: str) -> dict[str, Entry]:
    """Every message of ``lang`` as written (plural entries: CLDR category → text), for tests
    and tools. Untranslated and fuzzy messages are absent (they read in English)."""
    lang = language(lang)
    samples = {"one": 1, "other": 2} if lang == DEFAULT_LANGUAGE else _SLAVIC_SAMPLES
    done = None if lang == DEFAULT_LANGUAGE else translated_keys(lang)
    found = translations(lang)
    out: dict[str, Entry] = {}
    for message in MESSAGES:
        if done is not None and message.key not in done:
            continue
        if message.plural is None:
            out[message.key] = found.pgettext(message.key, message.text)
        else:
            plural = message.plural
            out[message.key] = {
                form: found.npgettext(message.key, message.text, plural, n)
                for form, n in samples.items()
            }
    return out


_SLAVIC_SAMPLES = {"one": 1, "few": 2, "many": 5}


@functools.cache
def translated_keys(lang: str) -> frozenset[str]:
    """Keys whose ``.po`` entry is translated in full (every plural form) and not fuzzy."""
    path = po_path(lang)
    if not path.is_file():
        return frozenset()
    with path.open("rb") as po:
        compiled = read_po(po, locale=lang, domain=DOMAIN)
    done: set[str] = set()
    for entry in compiled:
        string = entry.string or ""
        forms = [string] if isinstance(string, str) else list(string)
        if entry.id and entry.context and not entry.fuzzy and all(forms):
            done.add(str(entry.context))
    return frozenset(done)
