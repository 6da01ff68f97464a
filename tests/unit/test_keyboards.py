"""The callback grammar: everything we make parses back; anything else is refused."""

from __future__ import annotations

import pytest

from bot.chat import menus as keyboards
from bot.chat.menus import Callback, parse


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("sub:UA-12", Callback("sub", "UA-12")),
        ("sub:*", Callback("sub", "*")),
        ("sub:UA", Callback("sub", "UA")),
        ("sub:UA-12:12060170010065850", Callback("sub", "UA-12:12060170010065850")),
        ("unsub:UA-63", Callback("unsub", "UA-63")),
        ("page:regions:UA:2", Callback("regions", "UA", 2)),
        ("page:more:UA", Callback("more", "UA")),
        ("page:countries:1", Callback("countries", "", 1)),
        ("set:sev:3", Callback("severity", "3")),
        ("set:upd:off", Callback("updates", "off")),
        ("set:lang:uk", Callback("language", "uk")),
        ("set:lang:ru", Callback("language", "ru")),
        ("set:quiet:off", Callback("quiet", "off")),
        ("stop:yes", Callback("stop", "yes")),
        ("bc:ok:17", Callback("broadcast", "ok", 17)),
    ],
)
def test_our_data_parses(data: str, expected: Callback) -> None:
    assert parse(data) == expected


@pytest.mark.parametrize(
    "data",
    [None, "", "sub:", "sub:ua-12", "sub:UA-12;DROP TABLE", "set:sev:5", "set:lang:de",
     "page:regions:UA:-1", "bc:ok:x", "stop:maybe", "x" * 65, "sub:UA-12 ", "<b>sub:UA</b>",
     "sub:UA-12:" + "1" * 60],
)  # fmt: skip
def test_anything_else_is_refused(data: str | None) -> None:
    assert parse(data) is None


def test_keyboards_stay_within_telegrams_limits() -> None:
    regions = [
        (f"Region number {i} with a rather long name indeed", f"UA-{i:02d}") for i in range(27)
    ]
    markup = keyboards.regions_keyboard(("Ukraine", "UA"), regions, 1, "en", more_countries=True)
    datas = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert "page:regions:UA:0" in datas and "page:regions:UA:2" in datas
    assert all(isinstance(d, str) and len(d.encode()) <= 64 and parse(d) for d in datas)
    assert all(len(b.text) <= keyboards.MAX_LABEL for row in markup.inline_keyboard for b in row)
    last = keyboards.regions_keyboard(("Ukraine", "UA"), regions, 99, "en", more_countries=False)
    assert "page:regions:UA:3" not in [b.callback_data for r in last.inline_keyboard for b in r]
