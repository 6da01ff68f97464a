"""The gettext catalogs a translator edits: complete, never fuzzy, the same placeholders as the
English source, plural forms from CLDR, and the template in step with the source."""

from __future__ import annotations

import pathlib
import string

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, compile_po, po_path, t, translated_keys
from bot.i18n.messages import MESSAGES

KEYWORDS = {"msg": ((1, "c"), 2), "nmsg": ((1, "c"), 2, 3)}
#: "Strike on {objects}": the Slavic languages need the dative after "по".
DATIVE = {"hit.unknown": ("objects", "objects_dative")}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _po(lang: str) -> list[object]:
    with po_path(lang).open("rb") as po:
        return [m for m in read_po(po, locale=lang) if m.id]


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_every_message_is_translated_and_none_is_fuzzy(lang: str) -> None:
    keys = {m.key for m in MESSAGES}
    assert keys - translated_keys(lang) == set()
    entries = _po(lang)
    assert not [m.context for m in entries if m.fuzzy]  # type: ignore[attr-defined]
    assert {m.context for m in entries} == keys  # type: ignore[attr-defined]  # nothing obsolete


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_placeholders_match_the_english_source(lang: str) -> None:
    for entry in _po(lang):
        key = str(entry.context)  # type: ignore[attr-defined]
        source = entry.id  # type: ignore[attr-defined]
        english = set().union(
            *(_fields(s) for s in ([source] if isinstance(source, str) else source))
        )
        if key in DATIVE:
            english = (english - {DATIVE[key][0]}) | {DATIVE[key][1]}
        strings = entry.string  # type: ignore[attr-defined]
        for text in [strings] if isinstance(strings, str) else strings:
            assert _fields(text) - {"n"} == english - {"n"}, (lang, key, text)


def test_plural_forms_follow_cldr() -> None:
    assert [t("uk", "alert.more_sources", num=n, n=n) for n in (1, 3, 5, 11, 21, 22)] == [
        "+1 джерело", "+3 джерела", "+5 джерел", "+11 джерел", "+21 джерело", "+22 джерела"
    ]  # fmt: skip
    assert [t("en", "alert.more_sources", num=n, n=n) for n in (1, 2)] == [
        "+1 source",
        "+2 sources",
    ]
    header = po_path("ru").read_text(encoding="utf-8")
    assert "nplurals=3;" in header


def test_the_template_is_in_step_with_the_source() -> None:
    source = LOCALE_DIR.parent / "messages.py"
    extracted = {
        (str(ctx), msgid if isinstance(msgid, str) else msgid[0])
        for _lineno, msgid, _comments, ctx in extract_from_file(
            "python", str(source), keywords=KEYWORDS
        )
    }
    with (LOCALE_DIR / "messages.pot").open("rb") as pot:
        template = {
            (str(m.context), m.id if isinstance(m.id, str) else m.id[0])
            for m in read_po(pot)
            if m.id
        }
    assert extracted == template


def test_a_fuzzy_or_missing_translation_reads_in_english(tmp_path: pathlib.Path) -> None:
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: uk\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgctxt "start.choose"\nmsgid "Choose your region:"\nmsgstr "Оберіть:"\n\n'
        'msgctxt "sub.pick_region"\nmsgid "Choose a region:"\nmsgstr ""\n',
        encoding="utf-8",
    )
    found = compile_po(po, "uk")
    assert found.pgettext("start.choose", "Choose your region:") == "Choose your region:"
    assert found.pgettext("sub.pick_region", "Choose a region:") == "Choose a region:"


def test_the_settings_text_and_its_buttons_use_the_same_labels() -> None:
    for lang in ("en", "uk", "ru"):
        for level in range(1, 5):
            label = t(lang, f"severity.short.{level}")
            assert label in t(lang, "settings.severity", value=label)
    assert t("en", "severity.short.1") == "⚪ all"
