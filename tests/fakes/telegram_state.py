"""What the fake Telegram "cloud" knows, and the Bot API methods that read or change it.

No HTTP and no waiting here: :class:`BotState` is plain data plus one function per method,
each taking the decoded request parameters and returning the ``result`` or raising
:class:`ApiError`. ``telegram_api.FakeTelegram`` serves it over HTTP.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web

from .telegram_html import HtmlError, command_entities, parse_html

JSON = dict[str, Any]
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_ADMIN_RIGHT_NAMES = """can_be_edited is_anonymous can_manage_chat can_delete_messages
can_manage_video_chats can_restrict_members can_promote_members can_change_info can_invite_users
can_post_stories can_edit_stories can_delete_stories"""
ADMIN_RIGHTS = _ADMIN_RIGHT_NAMES.split()
# fields never JSON-decoded, whatever they look like (a text of "42" stays a string)
_TEXT_FIELD_NAMES = """text caption parse_mode callback_query_id url inline_message_id
language_code query title description short_description name secret_token ip_address emoji
message_effect_id action business_connection_id custom_title first_name last_name phone_number
address"""
TEXT_FIELDS = frozenset(_TEXT_FIELD_NAMES.split())
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
GIFT_TYPES = "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional ``parameters``."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        return body | ({"parameters": self.parameters} if self.parameters else {})


class BotState:
    def __init__(self, bot_id: int) -> None:
        self.bot_id = bot_id
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Strikebot Test",
            "username": "strikebot_test_bot",
        }
        self.messages: dict[int, JSON] = {}  # message ids are global, so also rising per chat
        self.sent: list[JSON] = []  # params of each successful sendMessage + "message_id"
        self.updates: list[JSON] = []  # not yet confirmed by getUpdates' offset
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope JSON, language) → list
        self.webhook_url = ""
        self.chat_types: dict[int, str] = {}
        self.admins: dict[int, set[int]] = {}
        self.creators: dict[int, int] = {}
        self.open_queries: set[str] = set()
        self._next_update_id, self._next_message_id, self._next_query_id = 1, 1, 1

    def handlers(self) -> dict[str, Callable[[JSON], Any]]:
        """Synchronous methods by their Bot API name (getUpdates is served by the server)."""
        return {
            "getMe": self.get_me,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_text,
            "editMessageReplyMarkup": self.edit_markup,
            "deleteMessage": self.delete_message,
            "sendChatAction": lambda p: True,
            "answerCallbackQuery": self.answer_query,
            "setMyCommands": self.set_commands,
            "getMyCommands": lambda p: self.commands.get(_commands_key(p), []),
            "deleteMyCommands": self.delete_commands,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.webhook_info,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_admins,
            "close": lambda p: True,
            "logOut": lambda p: True,
        }

    # ----- building objects -----
    def add_update(self, update: JSON) -> int:
        update.setdefault("update_id", self._next_update_id)
        self._next_update_id = max(self._next_update_id, update["update_id"]) + 1
        self.updates.append(update)
        return int(update["update_id"])

    def confirm_updates(self, offset: Any) -> None:
        if isinstance(offset, int) and offset < 0:
            self.updates = self.updates[offset:]
        elif isinstance(offset, int):
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def chat(self, chat_id: int) -> JSON:
        kind = self.chat_types.get(chat_id) or (
            "private"
            if chat_id > 0
            else "supergroup"
            if str(chat_id).startswith("-100")
            else "group"
        )
        if kind == "private":
            return {"id": chat_id, "type": kind, "first_name": "User"}
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def new_message(self, chat_id: int, sender: JSON, text: str, entities: list[JSON]) -> JSON:
        msg: JSON = {
            "message_id": self._next_message_id,
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": sender,
            "text": text,
        }
        if entities:
            msg["entities"] = entities
        if msg["chat"]["type"] == "channel":  # a channel post is sent on behalf of the channel
            msg["sender_chat"] = msg["chat"]
        self._next_message_id += 1
        self.messages[msg["message_id"]] = msg
        return msg

    def text_update(
        self, chat_id: int, chat_type: str, sender: JSON, text: str, edited: bool
    ) -> JSON:
        """A user's message (or edit of one), with a bot_command entity for a leading /cmd."""
        self.chat_types[chat_id] = chat_type
        msg = self.new_message(chat_id, sender, text, command_entities(text))
        if edited:
            msg["edit_date"] = msg["date"]
        return {"edited_message" if edited else "message": msg}

    def button_update(
        self, chat_id: int, chat_type: str, sender: JSON, message_id: int, data: str
    ) -> JSON:
        """A callback_query from pressing an inline button under ``message_id``."""
        self.chat_types.setdefault(chat_id, chat_type)
        msg = self.messages.get(message_id) or {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chat(chat_id),
        }
        if msg["chat"]["type"] == "channel":
            msg.setdefault("sender_chat", msg["chat"])
        query_id, self._next_query_id = str(self._next_query_id), self._next_query_id + 1
        self.open_queries.add(query_id)
        query = {"id": query_id, "from": sender, "chat_instance": str(chat_id), "data": data}
        return {"callback_query": query | {"message": msg}}

    def _find(self, p: JSON, what: str) -> JSON:
        msg = self.messages.get(p.get("message_id", 0))
        if msg is None or msg["chat"]["id"] != p.get("chat_id"):
            raise ApiError(400, f"Bad Request: message to {what} not found")
        return msg

    # ----- methods -----
    def get_me(self, p: JSON) -> JSON:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def send_message(self, p: JSON) -> JSON:
        text, entities = _render(p)
        reply = p.get("reply_parameters") or {}
        reply_id = reply.get("message_id", p.get("reply_to_message_id"))
        target = None
        if reply_id is not None:
            target = self.messages.get(reply_id)
            if target is None or target["chat"]["id"] != reply.get("chat_id", p["chat_id"]):
                target = None
                if not reply.get(
                    "allow_sending_without_reply", p.get("allow_sending_without_reply")
                ):
                    raise ApiError(400, "Bad Request: message to be replied not found")
        msg = self.new_message(p["chat_id"], self.bot_user, text, entities)
        if target is not None:
            msg["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        self.sent.append(p | {"message_id": msg["message_id"]})
        return msg

    def edit_text(self, p: JSON) -> JSON | bool:
        if "inline_message_id" in p:
            _render(p)
            return True
        msg = self._find(p, "edit")
        if msg["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        text, entities = _render(p)
        markup = p.get("reply_markup")  # an edit without markup removes the keyboard
        if (text, entities, markup) == (
            msg["text"],
            msg.get("entities", []),
            msg.get("reply_markup"),
        ):
            raise ApiError(400, NOT_MODIFIED)
        msg.update(text=text, entities=entities, reply_markup=markup, edit_date=int(time.time()))
        for key in ("entities", "reply_markup"):
            if not msg[key]:
                del msg[key]
        return msg

    def edit_markup(self, p: JSON) -> JSON:
        msg = self._find(p, "edit")
        if p.get("reply_markup") == msg.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        msg.pop("reply_markup", None)
        msg.update({"reply_markup": p["reply_markup"]} if p.get("reply_markup") else {})
        return msg

    def delete_message(self, p: JSON) -> bool:
        del self.messages[self._find(p, "delete")["message_id"]]
        return True

    def answer_query(self, p: JSON) -> bool:
        query_id = str(p.get("callback_query_id"))
        if query_id not in self.open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.open_queries.discard(query_id)
        return True

    def set_commands(self, p: JSON) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 items")
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(c.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_commands_key(p)] = commands
        return True

    def delete_commands(self, p: JSON) -> bool:
        self.commands.pop(_commands_key(p), None)
        return True

    def set_webhook(self, p: JSON) -> bool:
        self.webhook_url = str(p.get("url") or "")
        return True

    def delete_webhook(self, p: JSON) -> bool:
        self.webhook_url = ""
        if p.get("drop_pending_updates"):
            self.updates.clear()
        return True

    def webhook_info(self, p: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    def get_chat(self, p: JSON) -> JSON:
        return self.chat(p["chat_id"]) | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(GIFT_TYPES.split(), True),
        }

    def member(self, chat_id: int, user_id: int) -> JSON:
        user = {"id": user_id, "is_bot": user_id == self.bot_id, "first_name": "User"}
        if self.creators.get(chat_id) == user_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id not in self.admins.get(chat_id, set()):
            return {"status": "member", "user": user}
        rights = dict.fromkeys(ADMIN_RIGHTS, False) | {"can_manage_chat": True}
        return {"status": "administrator", "user": user} | rights

    def get_chat_member(self, p: JSON) -> JSON:
        if not isinstance(p.get("user_id"), int):
            raise ApiError(400, "Bad Request: invalid user_id specified")
        return self.member(p["chat_id"], p["user_id"])

    def get_chat_admins(self, p: JSON) -> list[JSON]:
        chat = p["chat_id"]
        creator = self.creators.get(chat)
        ids = ([creator] if creator is not None else []) + sorted(
            self.admins.get(chat, set()) - {creator}
        )
        return [self.member(chat, uid) for uid in ids]


def user(
    chat_id: int, user_id: int | None, chat_type: str, username: str, language_code: str
) -> JSON:
    """A human sender; by default the private chat's own id, or user 1 in a group."""
    uid = user_id if user_id is not None else chat_id if chat_type == "private" else 1
    return {
        "id": uid,
        "is_bot": False,
        "first_name": "User",
        "username": username,
        "language_code": language_code,
    }


def decode_param(key: str, value: Any) -> Any:
    """PTB sends every non-string value JSON-encoded; undo that except for free-text fields."""
    if not isinstance(value, str) or key in TEXT_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _commands_key(p: JSON) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")


def _render(p: JSON) -> tuple[str, list[JSON]]:
    """Text and entities of a sendMessage/editMessageText request, validated as Telegram does."""
    text = p.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    entities: list[JSON] = p.get("entities") or []
    parse_mode = str(p.get("parse_mode") or "").lower()
    if parse_mode not in ("", "html", "markdown", "markdownv2"):
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    if parse_mode == "html":
        try:
            text, entities = parse_html(text)
        except HtmlError as err:
            raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
    if len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    return text, entities


def too_many(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def read_params(request: web.Request) -> JSON:
    raw: JSON = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            raw.update(body if isinstance(body, dict) else {})
        else:  # form-urlencoded or multipart; files are recorded by name only
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    value = f"<file {value.filename}>"
                raw[key] = value if isinstance(value, str) else bytes(value).decode()
    return {key: decode_param(key, value) for key, value in raw.items()}
