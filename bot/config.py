"""Settings: one TOML file plus a few environment variables, read once at start-up.

``load_settings(path, environ)`` is the only reader of the environment. Every error is a
:class:`bot.errors.ConfigError` whose message names the file, the key and what was expected.

Environment (wins over the file):
    STRIKEBOT_CONFIG           the config file when --config is not given
    STRIKEBOT_TELEGRAM_TOKEN   [telegram] token
    STRIKEBOT_DATABASE_URL     [database] url
    STRIKEBOT_SERVER_LISTEN    [server] listen (the Docker image sets it for its HEALTHCHECK)
"""

from __future__ import annotations

import dataclasses
import ipaddress
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cluster.cluster import ClusterConfig
from bot.errors import ConfigError

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///strikebot.sqlite3"
USER_AGENT = "strikebot/{version} (+https://github.com/strikebot/strikebot; civilian strike alerts)"


@dataclass(frozen=True)
class TelegramSettings:
    token: str = ""  # secret: never logged; env STRIKEBOT_TELEGRAM_TOKEN wins
    api_base_url: str = DEFAULT_API_BASE_URL
    admins: tuple[int, ...] = ()
    webhook_url: str = ""  # empty: long polling
    webhook_listen: str = "127.0.0.1:8443"
    webhook_secret: str = ""
    commands_per_minute: int = 20  # per-user throttle


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class PollingSettings:
    # adaptive polling: each feed's interval follows its publication rate, within these bounds
    min_interval_seconds: int = 60
    max_interval_seconds: int = 1800
    # the pre-adaptive key: when set, every feed is polled at this fixed interval instead
    interval_seconds: int | None = None
    per_host_spacing_seconds: float = 0.25  # between two requests to one host
    parse_workers: int = 0  # feedparser in this many processes; 0: a thread of the bot
    max_age_minutes: int = 180
    max_bytes: int = 5_000_000
    per_host_concurrency: int = 2
    global_concurrency: int = 32
    connect_timeout_seconds: float = 10.0
    total_timeout_seconds: float = 30.0
    max_backoff_seconds: int = 3600
    failing_after: int = 5
    # the poller reads it here; configured as [retention] seen_days (this key still read)
    retention_days: int = 30
    # networks feeds may use beyond the public internet (CIDR, e.g. "10.0.0.5/32"); default
    # none: loopback, private, link-local … addresses are refused (SSRF)
    allowed_networks: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassifierSettings:
    threshold: float = 0.5


_CLUSTER = ClusterConfig()


@dataclass(frozen=True)
class ClusterSettings:
    """The ``[cluster]`` keys: the part of :class:`~bot.cluster.cluster.ClusterConfig` an
    operator may set (its defaults are the defaults; the rest stays as tuned)."""

    window_hours: float = _CLUSTER.window_hours
    update_min_killed_rise: int = _CLUSTER.update_min_killed_rise
    update_min_injured_rise: int = _CLUSTER.update_min_injured_rise


@dataclass(frozen=True)
class DeliverySettings:
    messages_per_second: float = 25.0
    allow_paid_broadcast: bool = False
    paid_messages_per_second: float = 500.0
    max_attempts: int = 6
    group_messages_per_minute: int = 19
    max_alert_age_minutes: int = 180  # older first alerts are expired, not sent; 0 = never


@dataclass(frozen=True)
class ServerSettings:
    listen: str = ""  # "127.0.0.1:9108" to serve /healthz and /metrics


@dataclass(frozen=True)
class RetentionSettings:
    articles_days: int = 30
    events_days: int = 90
    deliveries_days: int = 30
    seen_days: int = 30  # item identities (was [polling] retention_days, still read)


@dataclass(frozen=True)
class FeedSettings:
    url: str
    name: str = ""
    lang: str = ""
    interval_seconds: int | None = None
    enabled: bool = True


@dataclass(frozen=True)
class Settings:
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    polling: PollingSettings = field(default_factory=PollingSettings)
    classifier: ClassifierSettings = field(default_factory=ClassifierSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    feeds: tuple[FeedSettings, ...] = ()
    source: str = "<defaults>"  # the file these came from


def load_settings(path: str | Path | None, environ: Mapping[str, str]) -> Settings:
    """Read the TOML file (``path``, else ``$STRIKEBOT_CONFIG``, else defaults) and the env."""
    chosen = path or environ.get("STRIKEBOT_CONFIG")
    data: dict[str, Any] = {}
    where = "<defaults>"
    if chosen:
        where = str(chosen)
        try:
            with open(chosen, "rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"{where}: config file not found") from None
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read config file: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    settings: Settings = _build(Settings, data, where, "")
    telegram = settings.telegram
    if token := environ.get("STRIKEBOT_TELEGRAM_TOKEN"):
        telegram = dataclasses.replace(telegram, token=token)
    database = settings.database
    if url := environ.get("STRIKEBOT_DATABASE_URL"):
        database = dataclasses.replace(database, url=url)
    server = settings.server
    if listen := environ.get("STRIKEBOT_SERVER_LISTEN"):
        server = dataclasses.replace(server, listen=listen)
    for index, network in enumerate(settings.polling.allowed_networks):
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ConfigError(
                f"{where}: 'polling.allowed_networks[{index}]' must be a network such as "
                f'"10.0.0.0/8" or an address, got {network!r}'
            ) from None
    _check_polling(settings.polling, where)
    polling, retention = _one_seen_retention(settings, data, where)
    return dataclasses.replace(
        settings, telegram=telegram, database=database, server=server, polling=polling,
        retention=retention, source=where,
    )  # fmt: skip


def _one_seen_retention(
    settings: Settings, data: Mapping[str, Any], where: str
) -> tuple[PollingSettings, RetentionSettings]:
    """``[retention] seen_days`` is the key; the older ``[polling] retention_days`` is still
    read when it is the only one given. Both carry the same figure afterwards."""
    polling, retention = settings.polling, settings.retention
    new = isinstance(data.get("retention"), dict) and "seen_days" in data["retention"]
    old = isinstance(data.get("polling"), dict) and "retention_days" in data["polling"]
    if new and old and retention.seen_days != polling.retention_days:
        raise ConfigError(
            f"{where}: 'retention.seen_days' and the older 'polling.retention_days' disagree: "
            "keep only 'retention.seen_days'"
        )
    if old and not new:
        return polling, dataclasses.replace(retention, seen_days=polling.retention_days)
    return dataclasses.replace(polling, retention_days=retention.seen_days), retention


def _check_polling(polling: PollingSettings, where: str) -> None:
    if polling.min_interval_seconds < 1:
        raise ConfigError(f"{where}: 'polling.min_interval_seconds' must be at least 1")
    if polling.parse_workers < 0:
        raise ConfigError(f"{where}: 'polling.parse_workers' must be 0 (a thread) or more")
    if polling.max_interval_seconds < polling.min_interval_seconds:
        raise ConfigError(
            f"{where}: 'polling.max_interval_seconds' must be at least "
            f"'polling.min_interval_seconds' ({polling.min_interval_seconds})"
        )


def _build(cls: type[Any], data: Any, where: str, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: [{prefix.rstrip('.')}] must be a table")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
    for key in data:
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"{where}: unknown key '{prefix}{key}' (known keys: {known})")
    kwargs: dict[str, Any] = {}
    for name in fields:
        if name in data:
            kwargs[name] = _convert(hints[name], data[name], where, f"{prefix}{name}")
        elif (
            fields[name].default is dataclasses.MISSING
            and fields[name].default_factory is dataclasses.MISSING
        ):
            raise ConfigError(f"{where}: missing required key '{prefix}{name}'")
    return cls(**kwargs)


def _convert(hint: Any, value: Any, where: str, key: str) -> Any:
    origin = typing.get_origin(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, value, where, f"{key}.")
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(args[0], value, where, key)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(f"{where}: '{key}' must be an array, got {_kind(value)}")
        return tuple(_convert(item, v, where, f"{key}[{i}]") for i, v in enumerate(value))
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be an integer, got a boolean")
    if isinstance(hint, type) and not isinstance(value, hint):
        expected = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
        raise ConfigError(
            f"{where}: '{key}' must be {expected.get(hint, hint.__name__)}, got {_kind(value)}"
        )
    return value


def _kind(value: Any) -> str:
    return {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )
