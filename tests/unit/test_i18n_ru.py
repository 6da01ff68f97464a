"""The Russian catalog: complete, same placeholders and markup, correct plural forms."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

import pytest

from bot.i18n import LANGUAGES, Entry, catalog, language, plural_form, t, t_html

EN, UK, RU = catalog("en"), catalog("uk"), catalog("ru")
# Keys whose placeholders legitimately differ from English: "Strike on {objects}" becomes
# "Удар по {objects_dative}" (the preposition needs the dative case in both Slavic languages).
DATIVE_KEYS = {"hit.unknown": ({"objects"}, {"objects_dative"})}
_TAG = re.compile(r"</?[a-z]+>")


def _texts(entry: Entry) -> list[str]:
    return [entry] if isinstance(entry, str) else list(entry.values())


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _all_fields(entry: Entry) -> set[str]:
    return set().union(*(_fields(text) for text in _texts(entry)))


def test_russian_is_a_catalog_language() -> None:
    assert "ru" in LANGUAGES
    assert language("ru") == "ru" and language("ru-RU") == "ru" and language("RU_ua") == "ru"
    assert language("uk") == "uk" and language("be") == "en" and language(None) == "en"


def test_every_key_of_ukrainian_exists_in_russian_and_nothing_more() -> None:
    assert set(RU) == set(UK)
    assert set(EN) <= set(RU)


@pytest.mark.parametrize("key", sorted(EN))
def test_russian_has_the_same_placeholders_as_english(key: str) -> None:
    english, russian = EN[key], RU[key]
    expected = _all_fields(english)
    if key in DATIVE_KEYS:
        old, new = DATIVE_KEYS[key]
        expected = (expected - old) | new
    for text in _texts(russian):
        assert _fields(text) == expected, (key, text)  # no missing, no extra {…}


@pytest.mark.parametrize("key", sorted(RU))
def test_russian_keeps_the_markup_and_plural_shape(key: str) -> None:
    entry, reference = RU[key], UK.get(key, EN.get(key, ""))
    ref_text = _texts(reference)[0]
    ref_tags = sorted(_TAG.findall(ref_text))
    for text in _texts(entry):
        assert text.strip(), key
        assert sorted(_TAG.findall(text)) == ref_tags, (key, text)
        assert ("&lt;" in ref_text) == ("&lt;" in text), key  # escaped "<place>" stays escaped
    if isinstance(entry, Mapping):
        assert set(entry) == {"one", "few", "many"}, key
    else:
        assert isinstance(reference, str), key  # plural in uk ⇒ plural in ru


def test_every_russian_entry_formats() -> None:
    values: dict[str, object] = {
        name: 3 for entry in RU.values() for text in _texts(entry) for name in _fields(text)
    }
    for key in RU:
        text = t("ru", key, **values)
        assert "{" not in text and text != key, key


@pytest.mark.parametrize(
    ("n", "form"),
    [(0, "many"), (1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (12, "many"),
     (14, "many"), (21, "one"), (22, "few"), (25, "many"), (101, "one"), (111, "many"),
     (-3, "few")],
)  # fmt: skip
def test_russian_plural_forms_follow_the_cldr_rules(n: int, form: str) -> None:
    assert plural_form("ru", n) == form == plural_form("uk", n)


def test_russian_plural_words() -> None:
    def killed(n: int) -> str:
        return t("ru", "alert.killed", num=n, n=n)

    def injured(n: int) -> str:
        return t("ru", "alert.injured", num=n, n=n)

    assert [killed(n) for n in (1, 2, 5, 21, 11)] == [
        "1 погибший",
        "2 погибших",
        "5 погибших",
        "21 погибший",
        "11 погибших",
    ]
    assert [injured(n) for n in (1, 3, 12, 31)] == [
        "1 раненый",
        "3 раненых",
        "12 раненых",
        "31 раненый",
    ]
    assert [t("ru", "alert.incl_children", num=n, n=n) for n in (1, 2, 7)] == [
        ", среди них 1 ребёнок",
        ", среди них 2 ребёнка",
        ", среди них 7 детей",
    ]
    assert [t("ru", "alert.children_killed", num=n, n=n) for n in (1, 3, 5)] == [
        "погиб 1 ребёнок",
        "погибли 3 ребёнка",
        "погибли 5 детей",
    ]
    assert [t("ru", "alert.more_sources", num=n, n=n) for n in (1, 2, 5, 21)] == [
        "+1 источник",
        "+2 источника",
        "+5 источников",
        "+21 источник",
    ]
    # "more than 50" reads as many
    assert t("ru", "alert.injured", num="50+", n=0) == "50+ раненых"


def test_russian_lookup_escapes_and_falls_back() -> None:
    assert t_html("ru", "sub.done", place="<Киев>").startswith("✅ Вы подписались на &lt;Киев&gt;.")
    assert t("ru", "no.such.key") == "no.such.key"
    for command in ("/subscribe", "/unsubscribe", "/mysubs", "/latest", "/settings", "/stop"):
        assert command in t("ru", "help")
