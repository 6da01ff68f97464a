"""What an event shows after reports join it: the highest toll with its "+", and each outlet
named once in the sources line. Names and links here are made up for the test."""

from __future__ import annotations

from bot.domain import Source
from bot.merging import max_figure, union_sources


def test_the_same_toll_with_and_without_more_than_keeps_the_plus() -> None:
    # "12 killed" and "more than 12 killed" together still read "12+", whichever came first
    assert max_figure(12, False, 12, True) == (12, True)
    assert max_figure(12, True, 12, False) == (12, True)
    assert max_figure(12, False, 12, False) == (12, False)
    # a higher figure wins with its own reading
    assert max_figure(12, True, 14, False) == (14, False)
    assert max_figure(14, False, 12, True) == (14, False)


def test_the_source_list_names_each_outlet_once_and_keeps_every_new_one() -> None:
    kept = (Source("Kyiv Desk", "https://desk.example/1"),)
    added = [
        Source("KYIV DESK", "https://desk.example/2"),  # same outlet, other case: once
        Source("Radio Lviv", ""),  # an outlet without a link is still named
        Source("", "https://wire.example/7"),  # a link without a name still counts
        Source("", ""),  # nothing to show: left out, the rest still merge
        Source("Other Name", "https://wire.example/7"),  # the same article again
        Source("radio lviv", "https://lviv.example/3"),
        Source("Night Wire", "https://night.example/1"),
        Source("Night Wire Two", "https://night.example/1"),
        Source("NIGHT WIRE", "https://night.example/9"),
    ]
    assert union_sources(kept, added) == (
        Source("Kyiv Desk", "https://desk.example/1"),
        Source("Radio Lviv", ""),
        Source("", "https://wire.example/7"),
        Source("Night Wire", "https://night.example/1"),
    )
