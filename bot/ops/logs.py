"""Logging set-up: one line per event that matters; secrets never reach a log line."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

_BOT_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b")
_URL_PASSWORD = re.compile(r"(://[^:/?#@\s]+:)[^/?#@\s]+@")  # user:password@ keeps the user
_URL_USERINFO = re.compile(r"(://)[^:/?#@\s]+@")  # a bare user part is often the key itself
# query parameters that carry credentials: ?token=…, &api_key=…, ;sig=…
CREDENTIAL_PARAMS = (
    "token", "access_token", "auth_token", "id_token", "refresh_token", "key", "apikey",
    "api_key", "api-key", "app_key", "appkey", "secret", "client_secret", "password", "passwd",
    "pwd", "pass", "sig", "signature", "auth", "authorization", "credential", "credentials",
    "sessionid", "jwt", "x-api-key", "private_token",
)  # fmt: skip
_CREDENTIAL_PARAM = re.compile(
    r"([?&;](?:" + "|".join(re.escape(p) for p in CREDENTIAL_PARAMS) + r")=)[^&;#\s\"'<>]+",
    re.IGNORECASE,
)


def redact_secrets(text: str) -> str:
    """Mask bot tokens, URL passwords and user parts, and credential-like query parameters."""
    text = _BOT_TOKEN.sub("***", text)
    text = _URL_PASSWORD.sub(r"\1***@", text)
    text = _URL_USERINFO.sub(r"\1***@", text)
    return _CREDENTIAL_PARAM.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """Masks the configured secrets and whatever :func:`redact_secrets` finds, in every record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= 4]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return redact_secrets(text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            # keep one line: exception type and message, no traceback in operator logs
            exc = record.exc_info[1]
            message = f"{message}: {type(exc).__name__}: {exc}"
            record.exc_info = None
            record.exc_text = None
        record.msg = self.redact(message)
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(
    level: str = "INFO", *, json_logs: bool = False, secrets: Iterable[str] = ()
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    if json_logs:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # chatty libraries: their routine lines are not events that matter
    for name in (
        "httpx",
        "httpcore",
        "apscheduler",
        "telegram.ext.Updater",
        "aiosqlite",
        "alembic",
    ):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
