"""FakeTelegram: a local Bot API server that python-telegram-bot can talk to.

Point PTB at it with ``base_url=fake.base_url, base_file_url=fake.base_file_url``. It records
every request as a :class:`Call`, answers in Telegram's envelope, enforces Telegram's flood
limits (``telegram_limits``), validates ``parse_mode=HTML`` (``telegram_html``), keeps chats,
messages and updates (``telegram_state``) and can inject failures.

Injected failures apply in this order: stall → ``fail_next`` → ``force_429`` (sending methods)
→ ``failing`` (a share of sends) → the chat's retry window → ``chat_429`` → per-chat state
(migrated, not found, blocked) → flood limits → the method's own checks (``telegram_faults``).
``fail_next``/``stall`` with ``method=None`` match every method *except* ``getUpdates``, so a
polling loop in the background does not swallow them; name ``"getUpdates"`` to target it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from .telegram_failures import FailRules, matches
from .telegram_faults import ChatFaults
from .telegram_limits import SendLimits, duplicates, max_in_window
from .telegram_state import (
    CONFLICT_POLL,
    CONFLICT_WEBHOOK,
    JSON,
    ApiError,
    BotState,
    phrase,
    read_params,
    too_many,
    user,
)

__all__ = ["ApiError", "Call", "FakeTelegram"]

T = TypeVar("T")
SENDING_METHODS = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})
BLOCKABLE_METHODS = SENDING_METHODS | {"sendChatAction", "deleteMessage"}
CHAT_METHODS = BLOCKABLE_METHODS | {"getChat", "getChatMember", "getChatAdministrators"}


@dataclass(frozen=True)
class Call:
    method: str  # canonical Bot API name, e.g. "sendMessage"
    params: dict[str, Any]  # decoded: ids are ints, reply_markup etc. are dicts
    at: float  # time.monotonic() when the request arrived
    status: int  # HTTP status of the answer: 200, 400, 403, 429 …


class FakeTelegram:
    def __init__(
        self,
        token: str = "123:TEST",
        *,
        enforce_limits: bool = True,
        global_rate: float = 30.0,
        private_burst: int = 3,
        private_rate: float = 1.0,
        group_per_minute: int = 20,
    ) -> None:
        self.token = token
        self.enforce_limits = enforce_limits
        self.limits = SendLimits(global_rate, private_burst, private_rate, group_per_minute)
        prefix = token.split(":", 1)[0]
        self.state = BotState(int(prefix) if prefix.isdigit() else 1)
        self.messages = self.state.messages  # message_id → current message, edits applied
        self.calls: list[Call] = []
        self._handlers = {name.lower(): (name, fn) for name, fn in self.state.handlers().items()}
        self._handlers["getupdates"] = ("getUpdates", self._get_updates)
        self._blocked: set[int] = set()
        self._not_found: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._failures = FailRules()
        self._stalls: dict[str | None, float] = {}
        self._forced_429: list[int] = []  # retry_after of each forced answer, oldest first
        self.faults = ChatFaults()
        self._poll_generation = 0
        self._changed = asyncio.Event()  # set and replaced on every call and update
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0

    # ----- lifecycle -----
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing.set()  # long polls and stalls return at once
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return self.base_url.removesuffix("/bot") + "/file/bot"

    # ----- what users do -----
    def add_update(self, update: JSON) -> int:
        """Queue a raw update (``update_id`` is assigned if missing); wakes a long poll."""
        update_id = self.state.add_update(copy.deepcopy(update))
        self._notify()
        return update_id

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str = "en",
        username: str = "user",
        edited: bool = False,
    ) -> int:
        sender = user(chat_id, user_id, chat_type, username, language_code)
        return self.add_update(self.state.text_update(chat_id, chat_type, sender, text, edited))

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        sender = user(chat_id, user_id, chat_type, "user", "en")
        return self.add_update(
            self.state.button_update(chat_id, chat_type, sender, message_id, data)
        )

    def set_chat_admins(
        self, chat_id: int, user_ids: list[int], *, creator: int | None = None
    ) -> None:
        """getChatMember answers "administrator" for these users ("creator" for ``creator``)."""
        self.state.admins[chat_id] = set(user_ids)
        if creator is not None:
            self.state.creators[chat_id] = creator

    # ----- failure injection -----
    def block(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def chat_not_found(self, chat_id: int) -> None:
        self._not_found.add(chat_id)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        self._migrated[chat_id] = new_chat_id

    def fail_next(
        self,
        n: int,
        status: int = 500,
        method: str | None = None,
        *,
        after: int = 0,
        description: str = "",
    ) -> None:
        """The next ``n`` calls (of ``method``) fail with ``status`` (and Telegram's text
        ``description``), once ``after`` more calls have succeeded."""
        self._failures.add(n, status, method, after, description)

    def stall(self, seconds: float, method: str | None = None) -> None:
        """Hold matching requests ``seconds`` before answering; ``stall(0)`` clears all stalls."""
        if seconds > 0:
            self._stalls[method] = seconds
        elif method is None:
            self._stalls.clear()
        else:
            self._stalls.pop(method, None)

    def force_429(self, n: int, retry_after: int = 1) -> None:
        """The next ``n`` sending requests answer 429 with this ``retry_after``."""
        self._forced_429.extend([retry_after] * n)

    def chat_429(self, chat_id: int, n: int = 1, retry_after: int = 1) -> None:
        """The chat's next ``n`` sending requests answer 429 (its own flood limit)."""
        self.faults.chat_429(chat_id, n, retry_after)

    def failing(self, share: float, status: int = 502, seconds: float = 20.0) -> None:
        """For ``seconds`` from now, ``share`` of sending requests answer ``status``."""
        self.faults.failing(share, status, seconds, time.monotonic())

    def clear_failures(self) -> None:
        self._blocked.clear()
        self._not_found.clear()
        self._migrated.clear()
        self._failures.clear()
        self._stalls.clear()
        self._forced_429.clear()
        self.faults.clear()

    # ----- assertions and counters -----
    def sent(self, chat_id: int | None = None) -> list[JSON]:
        """Params of successful sendMessage calls (+ "message_id"), in order."""
        return [dict(s) for s in self.state.sent if chat_id in (None, s["chat_id"])]

    def count(self, method: str | None = None, status: int | None = None) -> int:
        return sum(
            1 for c in self.calls if method in (None, c.method) and status in (None, c.status)
        )

    def max_rate(self, window: float = 1.0, chat_id: int | None = None) -> int:
        """Most successful sends in any ``window`` seconds, overall or for one chat."""
        times = [
            c.at
            for c in self.calls
            if c.method in SENDING_METHODS
            and c.status == 200
            and chat_id in (None, c.params.get("chat_id"))
        ]
        return max_in_window(times, window)

    def duplicates(self) -> dict[tuple[int, str], int]:
        """(chat_id, text) pairs that sendMessage delivered more than once → how many times."""
        return duplicates((s["chat_id"], str(s.get("text"))) for s in self.state.sent)

    async def wait_for(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a plain number reads best in tests
        *,
        start: int = 0,
    ) -> Call:
        """First recorded call from index ``start`` on that matches; earlier calls count too."""

        def found() -> Call | None:
            return next((c for c in self.calls[start:] if predicate(c)), None)

        return await self._wait_until(found, timeout, "matching call")

    async def wait_sent(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a plain number reads best in tests
    ) -> list[JSON]:
        """All messages sent to ``chat_id``, once there are at least ``count``."""

        def found() -> list[JSON] | None:
            sent = self.sent(chat_id)
            return sent if len(sent) >= count else None

        return await self._wait_until(found, timeout, f"{count} message(s) to chat {chat_id}")

    async def _wait_until(self, check: Callable[[], T | None], seconds: float, what: str) -> T:
        deadline = time.monotonic() + seconds
        while (result := check()) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {what} within {seconds}s; {self._recent_calls()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return result

    def _recent_calls(self, n: int = 15) -> str:
        lines = [
            f"  {c.method} → {c.status} chat_id={c.params.get('chat_id')} "
            f"text={str(c.params.get('text', ''))[:60]!r}"
            for c in self.calls[-n:]
        ]
        return f"last {len(lines)} of {len(self.calls)} calls:\n" + "\n".join(lines)

    # ----- the server -----
    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _file(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    async def _handle(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        asked = request.match_info["method"]
        name, handler = self._handlers.get(asked.lower(), (asked, None))
        params: JSON = {}
        try:
            try:
                params = await read_params(request)
            except ValueError as err:  # malformed JSON or form body
                raise ApiError(400, f"Bad Request: can't parse request body: {err}") from None
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found")
            await self._inject(name, params)
            limited = self.enforce_limits and name in SENDING_METHODS
            chat = params.get("chat_id")
            if limited and (retry := self.limits.check(chat, time.monotonic())) is not None:
                raise too_many(retry)
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
            if limited:
                self.limits.record(chat, time.monotonic())
            status, body = 200, {"ok": True, "result": result}
        except ApiError as err:
            status, body = err.status, err.body()
            if status == 429 and name in SENDING_METHODS:
                self.faults.refused(params.get("chat_id"), err, time.monotonic())
        self.calls.append(Call(name, params, at, status))
        self._notify()
        return web.json_response(body, status=status)

    async def _inject(self, method: str, params: JSON) -> None:
        default_stall = self._stalls.get(None, 0.0) if matches(None, method) else 0.0
        if (stall := self._stalls.get(method, default_stall)) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), stall)
        if (rule := self._failures.rule_for(method)) is not None:
            if rule.status == 429:
                raise too_many(1)
            why = rule.description or f"{phrase(rule.status)}: injected failure"
            raise ApiError(rule.status, why)
        if method in SENDING_METHODS and self._forced_429:
            raise too_many(self._forced_429.pop(0))
        chat = params.get("chat_id")
        if method in SENDING_METHODS:
            self.faults.inject(chat, time.monotonic())
        if method not in CHAT_METHODS or (chat is None and "inline_message_id" in params):
            return
        if chat is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if chat in self._migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat]},
            )
        if chat in self._not_found or not isinstance(chat, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat in self._blocked and method in BLOCKABLE_METHODS:
            kind = self.state.chat(chat)["type"]
            if kind == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")

    async def _get_updates(self, p: JSON) -> list[JSON]:
        if self.state.webhook_url:
            raise ApiError(409, CONFLICT_WEBHOOK)
        self.state.confirm_updates(p.get("offset"))
        limit = max(1, min(int(p.get("limit") or 100), 100))
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll still waiting is answered 409, as Telegram does
        deadline = time.monotonic() + min(float(p.get("timeout") or 0), 50.0)
        while not self.state.updates and not self._closing.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
            if self._poll_generation != generation:
                raise ApiError(409, CONFLICT_POLL)
        return copy.deepcopy(self.state.updates[:limit])
