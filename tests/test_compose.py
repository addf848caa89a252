"""docker-compose.yml, the Dockerfile and .env.example, read as files (no Docker engine here):
what `docker compose up` would start, and what an operator fills in."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

SECRETS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DISCORD_BOT_TOKEN")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f".env.example: not KEY=VALUE: {line!r}"
            values[key.strip()] = value.strip()
    return values


def command_text(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_services_are_newsbot_and_postgres(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"newsbot", "db"}


def test_postgres_keeps_its_data_in_a_named_volume_and_has_a_healthcheck(
    compose: dict[str, Any],
) -> None:
    db = compose["services"]["db"]
    assert str(db["image"]).startswith("postgres")
    volumes = [str(v) for v in db["volumes"]]
    named = [v.split(":", 1)[0] for v in volumes if v.endswith(":/var/lib/postgresql/data")]
    assert named and named[0] in (compose.get("volumes") or {}), volumes
    test = db["healthcheck"]["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))
    env = db["environment"]
    assert env["POSTGRES_USER"] and env["POSTGRES_DB"] and env["POSTGRES_PASSWORD"]


def test_newsbot_waits_for_a_healthy_db_and_points_at_it(compose: dict[str, Any]) -> None:
    newsbot, db = compose["services"]["newsbot"], compose["services"]["db"]
    assert newsbot["depends_on"]["db"]["condition"] == "service_healthy"
    url = newsbot["environment"]["NEWSBOT_DATABASE_URL"]
    m = re.fullmatch(r"postgres(?:ql)?://([^:@/]+)(?::([^@/]*))?@db(?::5432)?/(\w+)", url)
    assert m, url
    assert m.group(1) == db["environment"]["POSTGRES_USER"]
    assert m.group(2) == db["environment"]["POSTGRES_PASSWORD"]
    assert m.group(3) == db["environment"]["POSTGRES_DB"]


def test_migrations_run_before_serve_and_serve_gets_the_signals(compose: dict[str, Any]) -> None:
    for command in (
        command_text(compose["services"]["newsbot"]),
        " ".join(re.findall(r'"([^"]*)"', (ROOT / "Dockerfile").read_text().split("CMD", 1)[1])),
    ):
        upgrade, serve = command.find("newsbot db upgrade"), command.find("newsbot serve")
        assert 0 <= upgrade < serve, command
        between = command[upgrade:serve]
        assert "&&" in between, "serve starts only when the migrations succeeded"
        assert "exec newsbot serve" in command, "SIGTERM must reach newsbot, not the shell"


def test_health_port_is_published_and_probed(compose: dict[str, Any]) -> None:
    newsbot = compose["services"]["newsbot"]
    port = str(
        newsbot["environment"].get("NEWSBOT_HTTP_PORT") or env_example()["NEWSBOT_HTTP_PORT"]
    )
    published = [str(p) for p in newsbot["ports"]]
    assert any(p.split(":")[-1] == port for p in published), published
    probe = newsbot["healthcheck"]["test"]
    probe = probe if isinstance(probe, str) else " ".join(probe)
    assert f"127.0.0.1:{port}/healthz" in probe or f"localhost:{port}/healthz" in probe
    assert newsbot.get("stop_grace_period"), "time to finish the post in flight on SIGTERM"


def test_env_files_exist_and_list_the_tokens_empty(compose: dict[str, Any]) -> None:
    entries = compose["services"]["newsbot"]["env_file"]
    entries = entries if isinstance(entries, list) else [entries]
    required = [
        e if isinstance(e, str) else e["path"]
        for e in entries
        if isinstance(e, str) or e.get("required", True)
    ]
    assert ".env.example" in required
    for path in required:
        assert (ROOT / path).is_file(), path
    values = env_example()
    for name in SECRETS:
        assert values.get(name, "missing") == "", f"{name} should be listed, empty"
    assert not any(re.match(r"(xox[bap]-|[MN][A-Za-z\d]{23}\.)", v) for v in values.values())


def test_the_image_runs_newsbot_with_the_migrations(compose: dict[str, Any]) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert compose["services"]["newsbot"]["build"] == "."
    for needed in ("bot", "pyproject.toml"):
        assert re.search(rf"^COPY .*\b{re.escape(needed)}\b", dockerfile, re.M), needed
        assert (ROOT / needed).exists(), needed
    assert (ROOT / "bot" / "store" / "migrations" / "env.py").is_file(), "migrations in the package"
    assert len(re.findall(r"pip install", dockerfile)) == 1, "installed once"
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M), "runs as a non-root user"
    assert "[postgres]" in dockerfile, "psycopg for NEWSBOT_DATABASE_URL=postgresql://"
    assert re.search(r"^EXPOSE 3000$", dockerfile, re.M)


def test_the_readme_says_how_to_start_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker compose up" in readme
    assert ".env.example" in readme and "/healthz" in readme
