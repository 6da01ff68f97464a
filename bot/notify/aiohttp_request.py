"""A python-telegram-bot request backend on aiohttp, for the outbox sender only.

PTB's default backend (httpx/httpcore) costs about as much CPU per request as everything
else the sender does for a message; aiohttp (already a dependency, used for feeds) parses
HTTP in C and keeps a cheaper connection pool. Same contract as ``HTTPXRequest``: form-encoded
parameters (multipart when files are sent), timeouts in seconds, ``TimedOut``/``NetworkError``
for failures. The sender only sends text, so uploads are not tuned.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connections: int,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 15.0,
        write_timeout: float = 15.0,
    ) -> None:
        self._connections = connections
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        write = self._write_timeout if isinstance(write_timeout, DefaultValue) else write_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        limits = [t for t in (connect, write, read) if t is not None]
        timeout = aiohttp.ClientTimeout(
            total=sum(limits) if len(limits) == 3 else None, sock_connect=connect, sock_read=read
        )
        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None and request_data.contains_files:
            data = aiohttp.FormData()
            for name, (filename, content, mime) in (request_data.multipart_data or {}).items():
                data.add_field(name, content, filename=filename, content_type=mime)
            for name, text in request_data.json_parameters.items():
                data.add_field(name, text)
        elif request_data is not None:
            data = request_data.json_parameters
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err
