"""/addfeed refuses a feed on a loopback or private address unless the config allows it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.talk import ask
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram


async def test_addfeed_to_an_inside_address_is_refused_and_never_listed(
    telegram: FakeTelegram,
    settings_for: Callable[..., Settings],
    start_bot: Any,
    feeds: FeedServer,
) -> None:
    base = settings_for()
    closed = dataclasses.replace(base.polling, allowed_networks=())  # the shipped default
    await start_bot(dataclasses.replace(base, polling=closed))
    feeds.set_feed("/inside.xml", rss([{"title": "Inside", "link": "https://e.com/1"}]))
    reply = await ask(telegram, ADMIN_ID, f"/addfeed {feeds.url('/inside.xml')} Inside")
    assert "Could not read" in reply["text"] and "loopback address" in reply["text"]
    assert feeds.hits("/inside.xml") == 0
    listing = await ask(telegram, ADMIN_ID, "/feeds")
    assert "Inside" not in listing["text"]
