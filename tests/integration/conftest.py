"""Local servers the ingest tests share: a feed server and the bot's own HTTP session.

A test module sets the polling settings its HTTP session uses with a ``polling_settings``
fixture; a module that needs a differently built feed server defines its own ``server``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.config import PollingSettings
from bot.ingest.fetch import make_http_session
from tests.fakes.feed_server import FeedServer


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


@pytest.fixture
async def http(polling_settings: PollingSettings) -> AsyncIterator[aiohttp.ClientSession]:
    session = make_http_session(polling_settings)
    yield session
    await session.close()
