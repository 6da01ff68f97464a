"""Long replies become several messages Telegram accepts, each valid HTML on its own."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.notify.message_split import TELEGRAM_LIMIT, size, split_message, trim_message
from tests.fakes.telegram_html import parse_html


def test_a_short_text_is_one_message() -> None:
    assert split_message("<b>hi</b>\nthere") == ["<b>hi</b>\nthere"]


def test_many_lines_are_split_at_line_ends_and_nothing_is_lost() -> None:
    lines = [f"⚠️ #{i} <b>feed {i}</b> · failing: HTTP 500 &amp; more" for i in range(400)]
    pieces = split_message("\n".join(lines))
    assert len(pieces) > 1
    assert all(size(p) <= TELEGRAM_LIMIT for p in pieces)
    assert "\n".join(pieces).split("\n") == lines


def test_one_huge_line_is_cut_outside_tags_and_entities_with_tags_reopened() -> None:
    text = "<b>" + "word &amp; " * 900 + "</b><i>" + "x" * 5000 + "</i>"
    pieces = split_message(text)
    assert len(pieces) >= 3
    for piece in pieces:
        assert size(piece) <= TELEGRAM_LIMIT
        parse_html(piece)  # raises on broken markup, like Telegram
    plain = "".join(re.sub(r"<[^>]+>", "", p) for p in pieces)
    assert plain.count("x") == 5000


def test_trim_keeps_one_message() -> None:
    trimmed = trim_message("line\n" * 2000)
    assert size(trimmed) <= TELEGRAM_LIMIT and trimmed.endswith("…")


@given(st.lists(st.text(min_size=0, max_size=600), min_size=1, max_size=40))
def test_every_piece_fits(parts: list[str]) -> None:
    text = "\n".join(parts) * 3
    for piece in split_message(text):
        assert size(piece) <= TELEGRAM_LIMIT
