"""Settings: the example file loads, the environment wins, mistakes name the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_API_BASE_URL, load_settings
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_example_config_loads_with_its_feeds() -> None:
    settings = load_settings(ROOT / "config.example.toml", {})
    assert settings.telegram.api_base_url == DEFAULT_API_BASE_URL
    assert settings.polling.interval_seconds is None  # adaptive polling
    assert (settings.polling.min_interval_seconds, settings.polling.max_interval_seconds) == (
        60,
        1800,
    )
    assert settings.delivery.messages_per_second == 25.0
    assert len(settings.feeds) >= 10
    assert {f.lang for f in settings.feeds} >= {"uk", "en", "ru"}
    assert all(f.url.startswith("https://") for f in settings.feeds)


def test_environment_wins_for_token_database_and_server(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[telegram]\ntoken = "from-file"\n[database]\nurl = "sqlite:///a.db"\n')
    env = {
        "STRIKEBOT_TELEGRAM_TOKEN": "from-env",
        "STRIKEBOT_DATABASE_URL": "postgresql+asyncpg://u@h/db",
        "STRIKEBOT_SERVER_LISTEN": "0.0.0.0:9108",
    }
    settings = load_settings(path, env)
    assert settings.telegram.token == "from-env"
    assert settings.database.url == "postgresql+asyncpg://u@h/db"
    assert settings.server.listen == "0.0.0.0:9108"


def test_config_path_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[polling]\ninterval_seconds = 60\n")
    assert load_settings(None, {"STRIKEBOT_CONFIG": str(path)}).polling.interval_seconds == 60


def test_no_file_means_defaults() -> None:
    settings = load_settings(None, {})
    assert settings.database.url.startswith("sqlite")
    assert settings.feeds == ()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[telegram]\nadmins = [1, "two"]\n', "'telegram.admins[1]' must be an integer"),
        ('[delivery]\nmessages_per_second = "fast"\n', "must be a number"),
        ("[delivery]\nallow_paid_broadcast = 1\n", "must be true or false"),
        ("[nonsense]\nx = 1\n", "unknown key 'nonsense'"),
        ('[[feeds]]\nurl = "https://a"\ncolour = "red"\n', "unknown key 'feeds[0].colour'"),
        ("polling = 5\n", "[polling] must be a table"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, {})
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_integers_are_accepted_where_numbers_are_expected(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[delivery]\nmessages_per_second = 20\n")
    assert load_settings(path, {}).delivery.messages_per_second == 20.0


def test_allowed_networks_must_be_networks(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[polling]\nallowed_networks = ["10.0.0.0/8", "::1", "intranet"]\n')
    with pytest.raises(ConfigError, match=r"polling\.allowed_networks\[2\]"):
        load_settings(path, {})
    path.write_text('[polling]\nallowed_networks = ["10.0.0.0/8", "::1"]\n')
    assert load_settings(path, {}).polling.allowed_networks == ("10.0.0.0/8", "::1")
    assert load_settings(None, {}).polling.allowed_networks == ()


@pytest.mark.parametrize(
    ("polling", "message"),
    [
        ("min_interval_seconds = 0", "'polling.min_interval_seconds' must be at least 1"),
        (
            "min_interval_seconds = 600\nmax_interval_seconds = 300",
            "'polling.max_interval_seconds' must be at least 'polling.min_interval_seconds' (600)",
        ),
    ],
)
def test_polling_bounds_are_checked(tmp_path: Path, polling: str, message: str) -> None:
    path = tmp_path / "bounds.toml"
    path.write_text(f"[polling]\n{polling}\n")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(path, {})


def test_the_pre_adaptive_interval_key_still_works(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text("[polling]\ninterval_seconds = 300\n")
    assert load_settings(path, {}).polling.interval_seconds == 300
