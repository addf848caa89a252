"""Settings from the environment.

Every setting is read from an environment variable; every secret may instead be given as
``NAME_FILE`` pointing at a file that holds it (Docker/Kubernetes secrets).  A malformed value
raises :class:`SettingsError` naming the variable, and ``newsbot config`` prints the settings with
secrets redacted.  Secrets are never logged and never written to the database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from bot.config.outlets import check_outlets_file
from bot.config.paths import default_database_url
from bot.config.values import (
    parse_db_url,
    parse_feed_interval,
    parse_fetch_timeout,
    parse_grace,
    parse_hhmm,
    parse_host,
    parse_http_url,
    parse_int,
    parse_interval,
    parse_lang,
    parse_list,
    parse_log_level,
    parse_private,
    parse_retention,
    parse_sync,
    parse_tz,
)
from bot.core.oserrors import os_reason
from bot.core.problem import Problem
from bot.core.redact import redact_url

# the per-user data folder (bot/config/paths.py), never the current directory; as it was when
# this module was imported (Settings.from_env reads XDG_DATA_HOME at each call)
DEFAULT_DB_URL = default_database_url()
SLACK_DEFAULT_API = "https://slack.com/api/"
DISCORD_DEFAULT_API = "https://discord.com/api/v10"
GOOGLE_NEWS_DEFAULT_URL = "https://news.google.com"
NAVER_DEFAULT_API = "https://openapi.naver.com"


class SettingsError(ValueError):
    """A setting is missing or malformed: a catalog key (``setting.*``) and its values, the
    variable among them, worded by the surface in its language
    (:func:`bot.present.problems.settings_error_text`); ``problem`` says what a malformed value
    should have been.  ``str()`` is the English, for logs."""

    def __init__(
        self, key: str, english: str, *, problem: Problem | None = None, **params: Any
    ) -> None:
        self.key = key
        self.params = params
        self.problem = problem
        super().__init__(english)


@dataclass(frozen=True)
class Spec:
    env: str
    attr: str
    default: str | None
    parse: Callable[[str], Any]
    help: str
    secret: bool = False  # never shown; may come from NAME_FILE
    from_file: bool = False  # may come from NAME_FILE (shown with credentials redacted)


SPECS: tuple[Spec, ...] = (
    Spec(
        "NEWSBOT_DATABASE_URL",
        "database_url",
        None,  # default_database_url(env): $XDG_DATA_HOME/newsbot/newsbot.db
        parse_db_url,
        "SQLAlchemy URL: sqlite:///path (default: newsbot.db in the per-user data folder) "
        "or postgresql://user@host/db",
        from_file=True,
    ),
    Spec(
        "NEWSBOT_TOPICS_FILE",
        "topics_file",
        None,
        str,
        "TOML file with the topics; default: the one shipped in bot/topics.toml",
    ),
    Spec("NEWSBOT_TIMEZONE", "timezone", "Asia/Seoul", parse_tz, "time zone for digest times"),
    Spec(
        "NEWSBOT_DIGEST_TIME",
        "digest_time",
        "09:00",
        parse_hhmm,
        "default daily digest time (HH:MM) for new subscriptions",
    ),
    Spec(
        "NEWSBOT_DIGEST_GRACE",
        "digest_grace",
        "6h",
        parse_grace,
        "a digest missed while down is sent on start if still this recent",
    ),
    Spec(
        "NEWSBOT_HTTP_HOST",
        "http_host",
        "127.0.0.1",
        parse_host,
        "address `serve` listens on (0.0.0.0 in a container behind a proxy)",
    ),
    Spec(
        "NEWSBOT_HTTP_PORT",
        "http_port",
        "3000",
        parse_int(1, 65535),
        "port of `serve`: /slack/events, /healthz, /metrics",
    ),
    Spec(
        "NEWSBOT_OUTBOX_RETENTION",
        "outbox_retention",
        "30d",
        parse_retention,
        "sent deliveries are kept this long, then pruned",
    ),
    Spec("NEWSBOT_LEADER_LEASE", "leader_lease", "15s", parse_interval, "SQLite leader lease"),
    Spec("NEWSBOT_LEADER_RENEW", "leader_renew", "5s", parse_interval, "leadership check"),
    Spec("NEWSBOT_CLAIM_TTL", "claim_ttl", "45s", parse_interval, "outbox claim lifetime"),
    Spec(
        "NEWSBOT_ALLOW_PRIVATE_FEEDS",
        "allow_private_feeds",
        "0",
        parse_private,
        "1 allows feeds on private/loopback addresses; or a comma list of allowed hosts",
    ),
    Spec(
        "NEWSBOT_FETCH_TIMEOUT",
        "fetch_timeout",
        "20s",
        parse_fetch_timeout,
        "total deadline of one feed fetch",
    ),
    Spec(
        "NEWSBOT_FETCH_MAX_BYTES",
        "fetch_max_bytes",
        "15728640",
        parse_int(1024, 1 << 31),
        "largest feed body accepted, counted after decompression",
    ),
    Spec(
        "NEWSBOT_FEED_INTERVAL",
        "feed_interval",
        "15m",
        parse_feed_interval,
        "default poll interval of a new feed",
    ),
    Spec(
        "NEWSBOT_FEED_MAX_ERRORS",
        "feed_max_errors",
        "10",
        parse_int(1, 1000),
        "consecutive failures after which a feed is disabled",
    ),
    Spec("NEWSBOT_LANGUAGE", "language", "ko", parse_lang, "reply language: ko or en"),
    Spec(
        "NEWSBOT_OUTLETS_FILE",
        "outlets_file",
        None,
        check_outlets_file,
        'TOML file with more outlets ([outlets] "이름" = ["domain.kr"]), added to the built-in '
        "table bot/config/outlets.toml",
    ),
    Spec(
        "NEWSBOT_ADMINS",
        "admins",
        "",
        parse_list,
        "comma list of chat user ids allowed to manage feeds; empty: everyone",
    ),
    Spec(
        "NEWSBOT_ALERT_MIN_GPUS",
        "alert_min_gpus",
        "10000",
        parse_int(0, 10**9),
        "instant alert for a GPU deal of at least this many units",
    ),
    Spec("NEWSBOT_LOG_LEVEL", "log_level", "INFO", parse_log_level, "log level"),
    Spec("SLACK_BOT_TOKEN", "slack_bot_token", None, str, "Slack bot token (xoxb-…)", True),
    Spec(
        "SLACK_SIGNING_SECRET",
        "slack_signing_secret",
        None,
        str,
        "Slack signing secret (HTTP mode)",
        True,
    ),
    Spec(
        "SLACK_APP_TOKEN",
        "slack_app_token",
        None,
        str,
        "Slack app-level token (xapp-…): enables Socket Mode",
        True,
    ),
    Spec(
        "SLACK_API_URL",
        "slack_api_url",
        SLACK_DEFAULT_API,
        parse_http_url,
        "Slack Web API base URL",
    ),
    Spec("DISCORD_BOT_TOKEN", "discord_bot_token", None, str, "Discord bot token", True),
    Spec(
        "DISCORD_API_URL",
        "discord_api_url",
        DISCORD_DEFAULT_API,
        parse_http_url,
        "Discord REST API base URL",
    ),
    Spec(
        "NEWSBOT_GOOGLE_NEWS_URL",
        "google_news_url",
        GOOGLE_NEWS_DEFAULT_URL,
        parse_http_url,
        "Google News base URL (keyword sources: sources add google)",
    ),
    Spec(
        "NEWSBOT_NAVER_API_URL",
        "naver_api_url",
        NAVER_DEFAULT_API,
        parse_http_url,
        "Naver Open API base URL (keyword sources: sources add naver)",
    ),
    Spec("NAVER_CLIENT_ID", "naver_client_id", None, str, "Naver Open API client id", True),
    Spec(
        "NAVER_CLIENT_SECRET",
        "naver_client_secret",
        None,
        str,
        "Naver Open API client secret",
        True,
    ),
    Spec(
        "NEWSBOT_NAVER_DAILY_QUOTA",
        "naver_daily_quota",
        "25000",
        parse_int(1, 10**9),
        "Naver search API calls allowed a day (the application's quota)",
    ),
    Spec(
        "NEWSBOT_DISCORD_SYNC",
        "discord_sync",
        "global",
        parse_sync,
        "register /news globally, to NEWSBOT_DISCORD_GUILD_ID only (development), or off",
    ),
    Spec(
        "NEWSBOT_DISCORD_GUILD_ID",
        "discord_guild_id",
        None,
        parse_int(1, 2**63 - 1),
        "guild for development command registration",
    ),
)


def _default(attr: str) -> Any:
    """The parsed default of the setting ``attr``: the one table of defaults is :data:`SPECS`."""
    spec = next(spec for spec in SPECS if spec.attr == attr)
    return None if spec.default is None else spec.parse(spec.default)


def _secret() -> Any:
    return field(default=None, repr=False)


@dataclass(frozen=True)
class Settings:
    """The settings; each default is the one in :data:`SPECS` (made in code: ``Settings()``)."""

    database_url: str = field(default_factory=default_database_url)  # read when made
    topics_file: str | None = _default("topics_file")
    outlets_file: str | None = _default("outlets_file")
    timezone: str = _default("timezone")
    digest_time: time = _default("digest_time")  # noqa: RUF009 (a time is immutable)
    digest_grace: float = _default("digest_grace")
    http_host: str = _default("http_host")
    http_port: int = _default("http_port")
    outbox_retention: float = _default("outbox_retention")
    leader_lease: float = _default("leader_lease")
    leader_renew: float = _default("leader_renew")
    claim_ttl: float = _default("claim_ttl")
    allow_private_feeds: tuple[str, ...] | bool = _default("allow_private_feeds")
    fetch_timeout: float = _default("fetch_timeout")
    fetch_max_bytes: int = _default("fetch_max_bytes")
    feed_interval: float = _default("feed_interval")
    feed_max_errors: int = _default("feed_max_errors")
    language: str = _default("language")
    admins: tuple[str, ...] = _default("admins")
    alert_min_gpus: int = _default("alert_min_gpus")
    log_level: str = _default("log_level")
    slack_bot_token: str | None = _secret()
    slack_signing_secret: str | None = _secret()
    slack_app_token: str | None = _secret()
    slack_api_url: str = _default("slack_api_url")
    discord_bot_token: str | None = _secret()
    discord_api_url: str = _default("discord_api_url")
    discord_sync: str = _default("discord_sync")
    discord_guild_id: int | None = _default("discord_guild_id")
    google_news_url: str = _default("google_news_url")
    naver_api_url: str = _default("naver_api_url")
    naver_client_id: str | None = _secret()
    naver_client_secret: str | None = _secret()
    naver_daily_quota: int = _default("naver_daily_quota")
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    # each non-secret setting's text as given (``6h``), to show it the way it was set
    given: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        given: dict[str, str] = {}
        for spec in SPECS:
            raw, source = _raw_value(spec, env)
            if raw is None:
                raw, source = spec.default, "default"
                if spec.attr == "database_url":
                    raw = default_database_url(env)
            if raw is not None and not spec.secret:
                given[spec.attr] = raw.strip()
            if raw is None:
                values[spec.attr] = None
            else:
                try:
                    values[spec.attr] = spec.parse(raw)
                except ValueError as exc:
                    shown = (
                        "<redacted>"
                        if spec.secret
                        else repr(redact_url(raw) if spec.from_file else raw)
                    )
                    problem = (
                        exc
                        if isinstance(exc, Problem)
                        else Problem("expect.other", str(exc), detail=str(exc))
                    )
                    raise SettingsError(
                        "setting.invalid",
                        f"{source}: invalid value {shown}: {exc}",
                        problem=problem,
                        var=source,
                        value=shown,
                    ) from None
            sources[spec.attr] = source
        values.update(overrides)
        if values.get("discord_sync") == "guild" and not values.get("discord_guild_id"):
            raise SettingsError(
                "setting.guild_required",
                "NEWSBOT_DISCORD_GUILD_ID: required when NEWSBOT_DISCORD_SYNC=guild",
            )
        for attr in ("leader_lease", "claim_ttl"):
            if values[attr] <= values["leader_renew"]:
                env_name = next(spec.env for spec in SPECS if spec.attr == attr)
                raise SettingsError(
                    "setting.longer_than_renew",
                    f"{env_name}: must be longer than NEWSBOT_LEADER_RENEW",
                    var=env_name,
                )
        return cls(**values, sources=sources, given=given)

    def redacted(self) -> list[tuple[str, str, str]]:
        """(variable, shown value, where it came from) for ``newsbot config``: see
        :mod:`bot.config.shown`."""
        from bot.config.shown import shown_rows

        return shown_rows(self)

    def as_json(self) -> dict[str, Any]:
        """``newsbot config --format json``: see :mod:`bot.config.shown`."""
        from bot.config.shown import shown_json

        return shown_json(self)


def _raw_value(spec: Spec, env: Mapping[str, str]) -> tuple[str | None, str]:
    if spec.env in env and env[spec.env] != "":
        return env[spec.env], spec.env
    file_var = f"{spec.env}_FILE"
    if (spec.secret or spec.from_file) and env.get(file_var):
        path = Path(env[file_var])
        try:
            return path.read_text(encoding="utf-8").strip(), file_var
        except OSError as exc:
            key = "setting.no_file" if isinstance(exc, FileNotFoundError) else "setting.unreadable"
            reason, values = os_reason(exc)  # worded by the surface, not the system's English
            raise SettingsError(
                key,
                f"{file_var}: cannot read {path}: {exc.strerror}",
                problem=Problem(reason, exc.strerror or type(exc).__name__, **values),
                var=file_var,
                path=path,
            ) from None
        except UnicodeDecodeError:
            raise SettingsError(
                "setting.not_utf8", f"{file_var}: {path} is not UTF-8 text", var=file_var, path=path
            ) from None
    return None, spec.env
