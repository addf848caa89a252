"""Settings come from the environment (secrets also from *_FILE) and are shown redacted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.settings import Settings, SettingsError
from tests.helpers import run_cli


def test_defaults_match_the_design() -> None:
    s = Settings.from_env({})
    assert s.database_url == "sqlite:///var/newsbot.db"
    assert s.timezone == "Asia/Seoul"
    assert s.digest_time.strftime("%H:%M") == "09:00"
    assert s.allow_private_feeds is False
    assert s.slack_api_url.startswith("https://slack.com/")


def test_secret_from_file(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("xoxb-from-file\n")
    s = Settings.from_env({"SLACK_BOT_TOKEN_FILE": str(secret)})
    assert s.slack_bot_token == "xoxb-from-file"


def test_unreadable_secret_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN_FILE"):
        Settings.from_env({"SLACK_BOT_TOKEN_FILE": str(tmp_path / "missing")})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSBOT_TIMEZONE", "Asia/Seol"),
        ("NEWSBOT_DIGEST_TIME", "25:00"),
        ("NEWSBOT_HTTP_PORT", "http"),
        ("NEWSBOT_DATABASE_URL", "mysql://x"),
        ("NEWSBOT_FETCH_TIMEOUT", "soon"),
        ("NEWSBOT_LANGUAGE", "fr"),
    ],
)
def test_malformed_setting_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({name: value})
    assert name in str(info.value)


def test_private_feeds_allowlist() -> None:
    assert Settings.from_env({"NEWSBOT_ALLOW_PRIVATE_FEEDS": "1"}).allow_private_feeds is True
    hosts = Settings.from_env({"NEWSBOT_ALLOW_PRIVATE_FEEDS": "intranet.local, Feeds.Corp"})
    assert hosts.allow_private_feeds == ("intranet.local", "feeds.corp")


def test_config_command_redacts_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "discord-very-secret")
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "postgresql://bot:hunter2@db/newsbot")
    code, out, _ = run_cli(["config", "--format", "json"], capsys)
    assert code == 0
    assert "very-secret" not in out and "hunter2" not in out
    assert '"SLACK_BOT_TOKEN": "<redacted>"' in out
    assert "postgresql://bot:***@db/newsbot" in out


def test_bad_setting_exits_with_its_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_DIGEST_TIME", "9am")
    code, _, err = run_cli(["config"], capsys)
    assert code == 2
    assert "NEWSBOT_DIGEST_TIME" in err and "Traceback" not in err
