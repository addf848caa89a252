"""Settings come from the environment (secrets also from *_FILE) and are shown redacted."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config.settings import SPECS, Settings, SettingsError
from bot.core.periods import PeriodError, looks_like_period, parse_duration, parse_since
from bot.present.i18n import t
from tests.helpers import run_cli


def test_defaults_match_the_design() -> None:
    s = Settings.from_env({"XDG_DATA_HOME": "/srv/data"})
    assert s.database_url == "sqlite:////srv/data/newsbot/newsbot.db"
    assert s.timezone == "Asia/Seoul"
    assert s.digest_time.strftime("%H:%M") == "09:00"
    assert s.allow_private_feeds is False
    assert s.slack_api_url.startswith("https://slack.com/")


def test_from_an_empty_environment_every_setting_is_its_one_default(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path)}
    made = Settings(database_url=f"sqlite:///{tmp_path / 'newsbot' / 'newsbot.db'}")
    assert Settings.from_env(env) == made
    assert Settings.from_env({}) == Settings(database_url=Settings.from_env({}).database_url)
    fields = {f.name for f in dataclasses.fields(Settings) if f.compare}
    assert fields == {spec.attr for spec in SPECS}  # every setting is in the one table


@pytest.mark.parametrize(
    ("written", "seconds"),
    [  # what the settings took before, and the periods' units and Korean ones now
        ("30s", 30.0),
        ("15m", 900.0),
        ("1.5h", 5400.0),
        ("6h", 21600.0),
        ("30d", 2592000.0),
        ("250ms", 0.25),
        ("90", 90.0),
        (" 20 s ", 20.0),
        ("1w", 604800.0),
        ("2주", 1209600.0),
        ("3일", 259200.0),
        ("12시간", 43200.0),
        ("30분", 1800.0),
        ("90초", 90.0),
        ("2.5min", 150.0),
    ],
)
def test_a_duration_setting_reads_the_one_duration_grammar(written: str, seconds: float) -> None:
    assert parse_duration(written) == seconds
    if 60 <= seconds <= 7 * 86400:  # both settings' range: 1m..7d
        s = Settings.from_env({"NEWSBOT_FEED_INTERVAL": written, "NEWSBOT_DIGEST_GRACE": written})
        assert s.feed_interval == s.digest_grace == seconds
    else:
        with pytest.raises(SettingsError, match=r"NEWSBOT_FEED_INTERVAL.* from 1m to 7d"):
            Settings.from_env({"NEWSBOT_FEED_INTERVAL": written})


def test_a_period_reads_the_same_durations_but_needs_its_unit() -> None:
    now = datetime(2025, 11, 3, tzinfo=UTC)
    for written, back in (("90분", 5400), ("1.5h", 5400), ("2주", 14 * 86400), ("1w", 604800)):
        assert looks_like_period(written) and parse_since(written, now) == now - timedelta(
            seconds=back
        )
    assert not looks_like_period("12")  # a bare number stays an id or a count
    with pytest.raises(PeriodError):
        parse_since("99999999999w", now)  # further back than dates go: refused, not a crash
    with pytest.raises(PeriodError):
        parse_since("739956d", now)  # within datetime's reach, but before 1970 as a date is


@pytest.mark.parametrize("word", ["16s", "10초", "500ms", "30sec", "90"])
def test_seconds_are_a_settings_unit_not_a_period(word: str) -> None:
    """A search ending in ``16s`` keeps it as a search word: a period is minutes or longer."""
    assert not looks_like_period(word)
    settings = Settings.from_env({"NEWSBOT_CLAIM_TTL": word, "NEWSBOT_LEADER_RENEW": "100ms"})
    assert settings.claim_ttl == parse_duration(word) > 0


@pytest.mark.parametrize("written", ["soon", "-5m", "5x", "1e3", "m", "1.m", "2 주간"])
def test_a_malformed_duration_setting_is_named(written: str) -> None:
    with pytest.raises(SettingsError, match=r"NEWSBOT_FEED_INTERVAL.*expected a duration"):
        Settings.from_env({"NEWSBOT_FEED_INTERVAL": written})


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
        ("NEWSBOT_LEADER_LEASE", "0s"),
        ("NEWSBOT_CLAIM_TTL", "soon"),
    ],
)
def test_malformed_setting_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({name: value})
    assert name in str(info.value)


def test_leadership_timings_default_to_the_old_constants_and_may_be_shortened() -> None:
    default = Settings.from_env({})
    assert (default.leader_lease, default.leader_renew, default.claim_ttl) == (15, 5, 45)
    short = Settings.from_env(
        {"NEWSBOT_LEADER_LEASE": "3s", "NEWSBOT_LEADER_RENEW": "500ms", "NEWSBOT_CLAIM_TTL": "4s"}
    )
    assert (short.leader_lease, short.leader_renew, short.claim_ttl) == (3, 0.5, 4)


@pytest.mark.parametrize("name", ["NEWSBOT_LEADER_LEASE", "NEWSBOT_CLAIM_TTL"])
def test_a_lease_or_claim_no_longer_than_the_renewal_is_refused(name: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({name: "5s"})  # the renewal's default: it would lapse between renewals
    assert info.value.key == "setting.longer_than_renew"
    assert name in str(info.value) and "NEWSBOT_LEADER_RENEW" in str(info.value)


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


def test_the_default_database_is_the_same_file_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve` started elsewhere must not quietly open another database."""
    feed = "https://news.example.kr/rss.xml"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    assert run_cli(["feeds", "add", feed, "--no-check"], capsys)[0] == 0
    monkeypatch.chdir(tmp_path / "b")
    code, out, _ = run_cli(["feeds", "list", "--format", "json"], capsys)
    assert code == 0 and feed in out
    assert not list((tmp_path / "a").iterdir()) and not list((tmp_path / "b").iterdir())
    code, out, _ = run_cli(["config", "--format", "json"], capsys)
    shown = json.loads(out)["NEWSBOT_DATABASE_URL"]
    assert shown == f"sqlite:///{tmp_path / 'xdg-data' / 'newsbot' / 'newsbot.db'}"


def test_config_shows_values_the_way_they_were_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBOT_DIGEST_GRACE", "90m")
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "sqlite:///var/here.db")
    code, out, _ = run_cli(["config"], capsys)
    assert code == 0
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in out.splitlines()
        if line.count("│") == 4 and line.split("│")[1].strip()
    }
    assert rows["NEWSBOT_DIGEST_GRACE"] == "90m"  # not 5400.0
    assert rows["NEWSBOT_FEED_INTERVAL"] == "15m" and rows["NEWSBOT_OUTBOX_RETENTION"] == "30d"
    # the default lets everyone manage feeds (said in the default language)
    assert rows["NEWSBOT_ADMINS"] == t("cli.config.everyone", "ko")
    assert str(tmp_path / "var") in out.replace("\n", "").replace("│", "").replace(" ", "")

    code, out, _ = run_cli(["config", "--format", "json"], capsys)
    data = json.loads(out)
    assert data["NEWSBOT_DIGEST_GRACE"] == "90m" and data["NEWSBOT_FETCH_TIMEOUT"] == "20s"
    assert data["NEWSBOT_HTTP_PORT"] == 3000 and data["NEWSBOT_ADMINS"] == []
    assert data["NEWSBOT_ALLOW_PRIVATE_FEEDS"] is False and data["SLACK_BOT_TOKEN"] is None
    assert data["NEWSBOT_DATABASE_URL"] == f"sqlite:///{tmp_path / 'var' / 'here.db'}"


def test_a_duration_set_in_code_is_shown_in_its_largest_unit() -> None:
    from bot.config.shown import format_duration

    assert [format_duration(s) for s in (21600.0, 900.0, 5400.0, 86400 * 30, 2.5)] == [
        "6h",
        "15m",
        "90m",
        "30d",
        "2.5s",
    ]


@pytest.mark.parametrize(
    ("name", "value", "bounds"),
    [
        ("NEWSBOT_FEED_INTERVAL", "0", "1m to 7d"),  # polled every 0 s
        ("NEWSBOT_FEED_INTERVAL", "1", "1m to 7d"),
        ("NEWSBOT_FEED_INTERVAL", "30d", "1m to 7d"),  # what --interval refuses too
        ("NEWSBOT_FETCH_TIMEOUT", "0", "1s to 5m"),  # every fetch would fail at once
        ("NEWSBOT_FETCH_TIMEOUT", "1h", "1s to 5m"),
        ("NEWSBOT_DIGEST_GRACE", "0", "1m to 7d"),
        ("NEWSBOT_OUTBOX_RETENTION", "30m", "1h to 3650d"),
        ("NEWSBOT_OUTBOX_RETENTION", "99999999d", "1h to 3650d"),
        ("NEWSBOT_LEADER_LEASE", "99999999d", "0.1s to 1h"),
        ("NEWSBOT_CLAIM_TTL", "2h", "0.1s to 1h"),
    ],
)
@pytest.mark.usefixtures("english")
def test_a_duration_setting_out_of_its_range_stops_newsbot_with_one_line(
    name: str,
    value: str,
    bounds: str,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(name, value)
    code, out, err = run_cli(["config", "--db", db_url], capsys)
    assert code == 2 and out == ""
    assert err == f"error: {name}: invalid value '{value}': expected a duration from {bounds}\n"


@pytest.mark.parametrize("value", ["1m", "7d"])
def test_the_feed_interval_setting_takes_what_the_interval_option_takes(
    value: str, db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://example.com/rss.xml"
    monkeypatch.setenv("NEWSBOT_FEED_INTERVAL", value)
    assert run_cli(["feeds", "add", url, "--no-check", "--db", db_url], capsys)[0] == 0
    monkeypatch.delenv("NEWSBOT_FEED_INTERVAL")
    args = ["feeds", "add", url + "?2", "--no-check", "--interval", value, "--db", db_url]
    assert run_cli(args, capsys)[0] == 0
    code, out, _ = run_cli(["feeds", "list", "--format", "json", "--db", db_url], capsys)
    assert code == 0
    assert {feed["interval_s"] for feed in json.loads(out)["feeds"]} == {parse_duration(value)}


@pytest.mark.usefixtures("english")
def test_the_outlets_file_is_a_setting_config_shows_and_a_bad_one_stops_newsbot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["config", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["NEWSBOT_OUTLETS_FILE"] is None
    good = tmp_path / "outlets.toml"
    good.write_text('[outlets]\n"사내 통신" = ["wire.example.kr"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_OUTLETS_FILE", str(good))
    code, out, _ = run_cli(["config", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["NEWSBOT_OUTLETS_FILE"] == str(good)

    bad = {
        "not TOML": ("[outlets\n", "Expected ']'"),
        "no table": ('name = "x"\n', "no [outlets] table"),
        "no list": ('[outlets]\n"x" = "x.kr"\n', "give a list of domains"),
        "not UTF-8": (None, "utf-8"),
    }
    for what, (text, reason) in bad.items():
        path = tmp_path / f"{what}.toml"
        if text is None:
            path.write_bytes(b'[outlets]\n"\xb0\xa1" = ["x.kr"]\n')
        else:
            path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("NEWSBOT_OUTLETS_FILE", str(path))
        code, out, err = run_cli(["config"], capsys)
        assert code == 2 and out == "", what
        assert err.startswith(f"error: NEWSBOT_OUTLETS_FILE: invalid value '{path}': "), what
        assert err.count("\n") == 1 and reason in err, (what, err)
    for missing in (tmp_path / "missing.toml", tmp_path):  # no such file; a folder
        monkeypatch.setenv("NEWSBOT_OUTLETS_FILE", str(missing))
        code, _, err = run_cli(["feeds", "list"], capsys)
        assert code == 2 and err.startswith("error: NEWSBOT_OUTLETS_FILE: ") and str(missing) in err


def config_rows(out: str) -> dict[str, tuple[str, str]]:
    """`newsbot config`'s table as {name: (value, from)}, one row a line."""
    cells = [line.split("│")[1:4] for line in out.splitlines() if line.count("│") == 4]
    return {name.strip(): (value.strip(), source.strip()) for name, value, source in cells}


@pytest.mark.usefixtures("english")
def test_config_says_the_database_came_from_the_db_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["--db", "sqlite:///rel.db", "config"], capsys)
    assert code == 0
    value, source = config_rows(out)["NEWSBOT_DATABASE_URL"]
    assert source == "--db" and str(tmp_path / "rel.db") in value
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "sqlite:///env.db")
    code, out, _ = run_cli(["config", "--db", "sqlite:///rel.db"], capsys)
    assert config_rows(out)["NEWSBOT_DATABASE_URL"][1] == "--db"  # the option wins, and says so
    code, out, _ = run_cli(["config"], capsys)
    assert config_rows(out)["NEWSBOT_DATABASE_URL"][1] == "NEWSBOT_DATABASE_URL"


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("given", ["", "  "])
def test_an_empty_db_option_is_a_bad_argument_not_the_default(
    given: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["--db", given, "digest"], capsys)
    assert code == 2 and out == ""
    assert err == "error: --db: expected sqlite:///path or postgresql://user@host/db\n"
    assert not (tmp_path / "xdg-data").exists()  # the default database was not opened


def test_piped_config_keeps_every_name_and_value_whole_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / ("긴 폴더 이름" * 8) / "newsbot.db"
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", f"sqlite:///{deep}")
    monkeypatch.setenv("NEWSBOT_ADMINS", ",".join(f"U{n:010d}" for n in range(12)))
    code, out, _ = run_cli(["config"], capsys)  # stdout is not a terminal here
    assert code == 0
    rows = config_rows(out)
    assert {spec.env for spec in SPECS} <= rows.keys()  # every name, none cut or folded
    assert [line for line in out.splitlines() if "NEWSBOT_ALLOW_PRIVATE_FEEDS" in line]
    assert rows["NEWSBOT_DATABASE_URL"][0] == f"sqlite:///{deep}"
    assert rows["NEWSBOT_ADMINS"][0] == ",".join(f"U{n:010d}" for n in range(12))
