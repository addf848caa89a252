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


def image_env() -> dict[str, str]:
    """The ``ENV`` lines of the Dockerfile, as NAME=VALUE pairs."""
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return dict(re.findall(r"(\w+)=(\S+)", " ".join(re.findall(r"^ENV (.*)$", dockerfile, re.M))))


def test_health_port_is_published_on_loopback_only_and_probed(compose: dict[str, Any]) -> None:
    newsbot = compose["services"]["newsbot"]
    port = image_env()["NEWSBOT_HTTP_PORT"]
    published = [str(p) for p in newsbot["ports"]]
    assert any(p.split(":")[-1] == port for p in published), published
    # /metrics is not for every interface of the host: a reverse proxy reaches the loopback
    assert all(p.startswith("127.0.0.1:") for p in published), published
    probe = newsbot["healthcheck"]["test"]
    probe = probe if isinstance(probe, str) else " ".join(probe)
    assert f"127.0.0.1:{port}/healthz" in probe or f"localhost:{port}/healthz" in probe
    assert newsbot.get("stop_grace_period"), "time to finish the post in flight on SIGTERM"


def test_environment_pins_nothing_that_env_example_offers(compose: dict[str, Any]) -> None:
    """A setting in .env.example (so in .env) is the operator's: `environment:` would win over
    it silently."""
    pinned = set(compose["services"]["newsbot"]["environment"])
    offered = set(env_example())
    assert not pinned & offered, pinned & offered
    assert "NEWSBOT_DATABASE_URL" in pinned


def test_the_compose_version_its_syntax_needs_is_said(compose: dict[str, Any]) -> None:
    entries = compose["services"]["newsbot"]["env_file"]
    if any(isinstance(e, dict) for e in entries):  # `path:`/`required:` came in Compose 2.24
        text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
        assert "Compose 2.24" in text
        assert "Compose 2.24" in (ROOT / "README.md").read_text(encoding="utf-8")


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
    assert (ROOT / "migrations" / "env.py").is_file(), "the migrations at the top level"
    assert re.search(r"^COPY migrations\b", dockerfile, re.M), "shipped in the package"
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M), "runs as a non-root user"
    assert "['postgres']" in dockerfile, "psycopg for NEWSBOT_DATABASE_URL=postgresql://"
    assert "seeds" in dockerfile and (ROOT / "setup.py").is_file(), "the seeds are package data"
    assert re.search(r"^EXPOSE 3000$", dockerfile, re.M)


def test_the_dependencies_are_a_layer_of_their_own_before_the_code() -> None:
    """A code edit must not reinstall every dependency: they are installed from pyproject.toml
    before `COPY bot`, and newsbot itself after it without fetching anything."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = [m.start() for m in re.finditer(r"pip install", dockerfile)]
    copy_bot = re.search(r"^COPY bot\b", dockerfile, re.M)
    assert copy_bot and len(installs) == 2, installs
    assert installs[0] < copy_bot.start() < installs[1]
    before = dockerfile[: copy_bot.start()]
    assert "COPY pyproject.toml" in before and "COPY bot" not in before
    assert "--no-deps" in dockerfile[installs[1] :].split("\n", 1)[0]


def test_dockerignore_keeps_the_virtualenv_and_secrets_out_of_the_context() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for name in (".venv", ".git", ".env", "var"):
        assert name in ignored, name
    assert not {"bot", "seeds", "pyproject.toml", "setup.py", "README.md"} & ignored


def test_the_readme_starts_it_and_checks_it_on_the_published_port() -> None:
    """The start block copies the example settings that exist, brings compose up, and asks
    ``/healthz`` on the address compose publishes."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Run with compose", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).strip().splitlines()]
    assert commands[0] == "cp .env.example .env" and (ROOT / ".env.example").is_file()
    assert commands[1].startswith("docker compose up")
    [published] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))[
        "services"
    ]["newsbot"]["ports"]
    host, port, _inside = str(published).split(":")
    assert commands[2] == f"curl {host}:{port}/healthz"


def test_the_readme_says_what_to_run_after_up() -> None:
    """After `up` the database is empty: the section shows the first commands, each a real
    newsbot command run in the container."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Run with compose", 1)[1]
    section = section.split("\n## ", 1)[0]
    after_up = section.split("docker compose up", 1)[1]
    for command in ("newsbot db upgrade", "newsbot ingest", "newsbot feeds add", "newsbot digest"):
        assert f"docker compose exec newsbot {command}" in after_up, command
