"""The real ``POST /slack/events`` endpoint (bolt behind aiohttp on 127.0.0.1), signed like Slack
signs, with the fake Slack API and response_url on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.chat.commands import Commands
from bot.chat.slack.adapter import (
    SlackTokenError,
    build_bolt_app,
    check_token,
    run_socket_mode,
    start_socket_mode,
)
from bot.chat.slack.replies import MAX_RESPONSES, response_payloads
from bot.chat.slack.routes import EVENTS_PATH, make_web_app
from bot.chat.slack.verify import CHECKED
from bot.config.settings import Settings
from bot.present.i18n import t
from bot.present.reply import Card, Reply, Section
from bot.runtime.app import App
from tests.helpers import HEADLINES, settled
from tests.helpers.chat import SECRET, sign, slash_body
from tests.helpers.fakes.slack_api import FakeSlack, check_message, texts

SEARCH_HITS = [HEADLINES["000"], HEADLINES["001"], HEADLINES["004"]]  # the seeds naming 엔비디아


@dataclass
class Bot:
    url: str
    slack: FakeSlack
    session: aiohttp.ClientSession

    def body(self, text: str, rid: str = "1") -> bytes:
        return slash_body(text, self.slack.response_url(rid))

    async def post(
        self, body: bytes, headers: dict[str, str] | None = None
    ) -> tuple[int, str, float]:
        headers = sign(body) if headers is None else headers
        started = time.monotonic()
        async with self.session.post(
            self.url,
            data=body,
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
        ) as resp:
            text = await resp.text()
            return resp.status, text, time.monotonic() - started

    async def command(self, text: str, rid: str = "1") -> tuple[int, str, float]:
        """Post a signed /news; (status, the ack's text, seconds until the ack)."""
        status, raw, elapsed = await self.post(self.body(text, rid))
        ack = json.loads(raw).get("text", "") if raw.startswith("{") else raw
        return status, ack, elapsed


def copy_db(seeded_url: str, tmp_path: Path) -> tuple[str, Path]:
    source = Path(seeded_url.split("///", 1)[1])
    target = tmp_path / "bot.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}", target


async def serve(settings: Settings) -> tuple[web.AppRunner, str, App]:
    app = App(settings)
    bolt = build_bolt_app(app, Commands(app))
    runner = web.AppRunner(make_web_app(bolt))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/slack/events", app


@pytest.fixture
def db(seeded_url: str, tmp_path: Path) -> tuple[str, Path]:
    return copy_db(seeded_url, tmp_path)


@pytest.fixture
async def bot(fake_slack: FakeSlack, db: tuple[str, Path]) -> AsyncIterator[Bot]:
    settings = Settings(
        database_url=db[0],
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
    )
    runner, url, app = await serve(settings)
    # each request on its own connection: no keep-alive handler outlives it (see ``settled``)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
        yield Bot(url, fake_slack, session)
    await runner.cleanup()
    app.close()


# -- acceptance 1: a signed /news search ------------------------------------------------------


async def test_signed_search_acks_fast_and_answers_with_the_seed_titles(bot: Bot) -> None:
    status, ack, elapsed = await bot.command("search 엔비디아")
    assert status == 200 and elapsed < 3
    assert "찾는 중" in ack  # slow sub-command: an ephemeral "working" line first
    assert await bot.slack.wait_async(lambda: bot.slack.responses("1"), timeout=15)
    [response] = bot.slack.responses("1")
    assert response["response_type"] == "ephemeral"
    assert check_message(response) == []
    shown = "\n".join(texts(response["blocks"]))
    for title in SEARCH_HITS:
        assert title in shown
    assert "APEC" in shown and "엔비디아" in shown  # meta and snippet too
    await settled()
    assert len(bot.slack.calls_to("respond/1")) == 1  # exactly once


async def test_digest_goes_to_the_channel_and_help_is_immediate(bot: Bot) -> None:
    status, ack, _ = await bot.command("digest all", rid="d")
    assert status == 200
    assert await bot.slack.wait_async(lambda: bot.slack.responses("d"))
    [digest] = bot.slack.responses("d")
    assert digest["response_type"] == "in_channel"
    shown = "\n".join(texts(digest["blocks"]))
    for title in HEADLINES.values():
        assert shown.count(title) == 1
    status, ack, _ = await bot.command("help", rid="h")
    assert status == 200 and ack == ""  # fast sub-command: empty ack, answer follows
    assert await bot.slack.wait_async(lambda: bot.slack.responses("h"))
    assert "/news search" in "\n".join(texts(bot.slack.responses("h")[0]))


async def test_subscribe_from_slack_is_kept_per_channel(bot: Bot, db: tuple[str, Path]) -> None:
    await bot.command("subscribe apec at 08:30", rid="s")
    assert await bot.slack.wait_async(lambda: bot.slack.responses("s"))
    [answer] = bot.slack.responses("s")
    assert answer["response_type"] == "in_channel" and "08:30" in answer["text"]
    with sqlite3.connect(db[1]) as conn:
        rows = conn.execute(
            "SELECT d.platform, d.workspace, d.channel, s.topic FROM subscriptions s "
            "JOIN destinations d ON d.id = s.destination_id"
        ).fetchall()
    assert rows == [("slack", "T1", "C1", "apec")]


async def test_a_watch_is_previewed_from_slack_and_saved_only_by_its_signed_confirm_button(
    bot: Bot, db: tuple[str, Path]
) -> None:
    status, ack, elapsed = await bot.command("watch add hbm HBM 고대역폭메모리 -주가", rid="w")
    assert status == 200 and elapsed < 3
    assert await bot.slack.wait_async(lambda: bot.slack.responses("w"))
    [preview] = bot.slack.responses("w")
    assert preview["response_type"] == "ephemeral"  # a proposal: only its author sees it
    shown = "\n".join(texts(preview["blocks"]))
    assert "워치 ‘hbm’ 미리보기입니다. 아직 저장하지 않았습니다." in shown and "미리보기:" in shown
    [button] = [e for b in preview["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["text"]["text"] == "저장" and button["action_id"] == "newsbot_confirm"
    with sqlite3.connect(db[1]) as conn:
        assert conn.execute("SELECT count(*) FROM watches").fetchone() == (0,)  # not yet

    def press(rid: str) -> bytes:  # Slack's block_actions request for that button
        payload = {
            "type": "block_actions",
            "team": {"id": "T1", "domain": "fake"},
            "user": {"id": "U1", "team_id": "T1"},
            "channel": {"id": "C1"},
            "api_app_id": "A1",
            "response_url": bot.slack.response_url(rid),
            "trigger_id": "1.2.4",
            "actions": [{**button, "type": "button", "block_id": "b1", "action_ts": "1"}],
        }
        return urlencode({"payload": json.dumps(payload)}).encode()

    forged = press("x")
    status, _, _ = await bot.post(forged, headers=sign(forged, secret="not-the-secret"))
    assert status == 401
    status, _, elapsed = await bot.post(press("c"))
    assert status == 200 and elapsed < 3
    assert await bot.slack.wait_async(lambda: bot.slack.responses("c"))
    assert await bot.slack.wait_async(lambda: len(bot.slack.responses("c")) == 2)
    gone, saved = bot.slack.responses("c")
    assert gone == {"delete_original": True}  # the preview (only its author saw it) goes
    assert saved["response_type"] == "in_channel"  # the team sees what was saved
    assert "워치 ‘hbm’을 저장했습니다." in "\n".join(texts(saved["blocks"]))
    assert not [b for b in saved["blocks"] if b["type"] == "actions"]
    assert bot.slack.responses("x") == []
    await bot.command("subscribe hbm at 08:30", rid="s")
    assert await bot.slack.wait_async(lambda: bot.slack.responses("s"))
    with sqlite3.connect(db[1]) as conn:
        watches = conn.execute("SELECT id, platform, workspace, name FROM watches").fetchall()
        subs = conn.execute("SELECT topic FROM subscriptions").fetchall()
    [(watch_id, platform, workspace, name)] = watches
    assert (platform, workspace, name) == ("slack", "T1", "hbm")
    assert subs == [(f"watch:{watch_id}",)]


async def test_a_trend_chart_is_shared_in_the_channel_once_though_slack_said_429(bot: Bot) -> None:
    bot.slack.script("files.completeUploadExternal", status=429, retry_after="1")
    status, ack, elapsed = await bot.command("trend 2025-10-01", rid="t")
    assert status == 200 and elapsed < 3 and ack  # acked with "working…" first
    assert await bot.slack.wait_async(lambda: bot.slack.uploads("C1"), timeout=30)
    [answer] = bot.slack.responses("t")
    assert answer["response_type"] == "in_channel"
    assert "스토리" in "\n".join(texts(answer["blocks"]))
    [shared] = bot.slack.uploads("C1")
    assert shared["data"].startswith(b"\x89PNG\r\n\x1a\n") and len(shared["data"]) > 20_000
    assert shared["name"].startswith("trend-cmd-") and shared["name"].endswith(".png")
    assert "하루 스토리 수" in shared["title"]
    # the refused share is tried again whole (a new upload URL), and the file shows once
    assert len(bot.slack.calls_to("files.completeUploadExternal")) == 2
    assert len(bot.slack.calls_to("files.getUploadURLExternal")) == 2
    assert bot.slack.problems == []


async def test_a_channel_that_refuses_the_chart_is_explained_to_the_user(bot: Bot) -> None:
    bot.slack.script("files.completeUploadExternal", error="not_in_channel")
    await bot.command("trend apec 2025-10-01", rid="n")
    assert await bot.slack.wait_async(lambda: len(bot.slack.responses("n")) == 2, timeout=30)
    told = "\n".join(texts(bot.slack.responses("n")[1]["blocks"]))
    assert "그림을 이 채널에 올리지 못했습니다 (not_in_channel)" in told
    assert bot.slack.uploads() == []


async def test_a_chart_whose_share_answer_is_lost_is_said_to_be_on_its_way_not_refused(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 27, failure 11: Slack shares the picture but answers after the client's timeout
    (20 s; 1 s here): the user is told it may still arrive, not to invite the bot and share
    again."""
    monkeypatch.setattr("bot.chat.slack.post.REQUEST_TIMEOUT", 1.0)
    bot.slack.slow("files.completeUploadExternal", 2.5)
    await bot.command("trend apec 2025-10-01", rid="l")
    assert await bot.slack.wait_async(lambda: len(bot.slack.responses("l")) == 2, timeout=30)
    told = "\n".join(texts(bot.slack.responses("l")[1]["blocks"]))
    assert "잠시 뒤 채널에 나타날 수 있으니 다시 올리지 마세요" in told
    assert "초대" not in told and "올리지 못했습니다" not in told
    assert await bot.slack.wait_async(lambda: bot.slack.uploads("C1"), timeout=10)
    assert len(bot.slack.uploads("C1")) == 1


# -- acceptance 1: forged requests ------------------------------------------------------------


def flip_last_byte(body: bytes) -> bytes:
    return body[:-1] + bytes([body[-1] ^ 1])


Forgery = Callable[[bytes], tuple[bytes, dict[str, str]]]
FORGERIES: dict[str, Forgery] = {
    "unsigned": lambda b: (b, {}),
    "wrong signature": lambda b: (b, sign(b, secret="not-the-secret")),
    "body changed by one byte": lambda b: (flip_last_byte(b), sign(b)),
    "timestamp +301 s": lambda b: (b, sign(b, ts=str(int(time.time()) + 301))),
    "timestamp -301 s": lambda b: (b, sign(b, ts=str(int(time.time()) - 301))),
    "non-numeric timestamp": lambda b: (b, sign(b, ts="12e3abc")),
    "empty timestamp": lambda b: (b, {**sign(b), "X-Slack-Request-Timestamp": ""}),
    "signature only": lambda b: (b, {"X-Slack-Signature": sign(b)["X-Slack-Signature"]}),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_forged_requests_get_401_and_do_nothing(
    bot: Bot, forgery: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body, headers = FORGERIES[forgery](bot.body("subscribe apec", rid="forged"))
    status, text, _ = await bot.post(body, headers)
    assert status == 401, text
    await settled()
    assert bot.slack.calls == []  # no auth.test, no answer, no post
    assert "/respond/forged" not in caplog.text  # the body is never logged


async def test_a_signed_body_that_arrives_in_parts_is_read_whole_and_answered(bot: Bot) -> None:
    """A proxy or a slow link delivers a body in several parts: the request is still Slack's,
    so it is acknowledged, not refused as a bad signature."""
    body = bot.body("help", rid="parts")
    headers = {
        **sign(body),
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
        "Connection": "close",
    }
    host, port = bot.url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: {host}\r\n{head}\r\n".encode())
    writer.write(body[:40])
    await writer.drain()
    await asyncio.sleep(0.3)  # the rest comes later, as it does through a slow proxy
    writer.write(body[40:])
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=15)
    writer.close()
    status_line = answer.split(b"\r\n", 1)[0]
    assert b" 200 " in status_line, answer[:300]  # acknowledged, not 401
    assert await bot.slack.wait_async(lambda: bot.slack.responses("parts"))
    assert "/news search" in "\n".join(texts(bot.slack.responses("parts")[0]))


MALFORMED = {
    "block actions without actions": (
        "application/x-www-form-urlencoded",
        urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}).encode(),
    ),
    "interaction that is not JSON": (
        "application/x-www-form-urlencoded",
        urlencode({"payload": "{not json"}).encode(),
    ),
    "neither command nor interaction": ("application/x-www-form-urlencoded", b"hello=1"),
    "event without a type": ("application/json", b'{"event": {}}'),
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_signed_but_malformed_payloads_get_400_and_one_log_line(
    bot: Bot, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kind, body = MALFORMED[case]
    async with bot.session.post(
        bot.url, data=body, headers={**sign(body), "Content-Type": kind}
    ) as resp:
        assert resp.status == 400, await resp.text()
    ours = [r for r in caplog.records if r.name.startswith("bot.") and r.levelno >= logging.INFO]
    assert len(ours) == 1 and "refused a signed request" in ours[0].getMessage()
    assert all(r.exc_info is None for r in caplog.records), "no traceback"
    assert bot.slack.calls == []


async def test_a_command_bolt_has_no_listener_for_logs_one_line(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """Bolt answers an unknown slash command with a warning and a listener snippet to paste,
    over several lines; the operator's log gets one."""
    caplog.set_level(logging.DEBUG)
    body = bot.body("help").replace(b"command=%2Fnews", b"command=%2Fother")
    assert b"%2Fother" in body
    status, _text, _ = await bot.post(body)
    assert status in (200, 404)
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert lines, "the unhandled request is logged"
    assert all("\n" not in line for line in lines), lines
    assert not any("[Suggestion]" in line for line in lines)


async def test_the_bolt_app_itself_refuses_forgeries(
    fake_slack: FakeSlack, db: tuple[str, Path]
) -> None:
    """Mounted behind another adapter (bolt's own server), the check still runs first."""
    settings = Settings(
        database_url=db[0],
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
    )
    app = App(settings)
    bolt = build_bolt_app(app, Commands(app))
    body = b"command=%2Fnews&text=help&team_id=T1&channel_id=C1&user_id=U1"
    bad: dict[str, str | Sequence[str]] = {**sign(body), "X-Slack-Request-Timestamp": "soon"}
    forged = AsyncBoltRequest(body=body.decode(), headers=bad)
    assert (await bolt.async_dispatch(forged)).status == 401
    assert fake_slack.calls == []
    good: dict[str, str | Sequence[str]] = {**sign(body)}
    genuine = AsyncBoltRequest(body=body.decode(), headers=good)
    assert (await bolt.async_dispatch(genuine)).status == 200
    # the route's "already checked" mark cannot come from a request: not from its body, nor
    # from a context holding the mark's name
    marked = body + b"&newsbot_signature_checked=1"
    for request in (
        AsyncBoltRequest(body=marked.decode(), headers=bad),
        AsyncBoltRequest(body=body.decode(), headers=bad, context={CHECKED: True}),
    ):
        assert (await bolt.async_dispatch(request)).status == 401
    app.close()


async def test_request_bodies_never_reach_the_logs(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await bot.command("search 엔비디아", rid="secret-path")
    await bot.command("nonsense", rid="secret-path")
    assert await bot.slack.wait_async(lambda: len(bot.slack.responses("secret-path")) == 2)
    assert "secret-path" not in caplog.text


async def test_no_signing_secret_refuses_everything(
    fake_slack: FakeSlack, db: tuple[str, Path]
) -> None:
    settings = Settings(
        database_url=db[0], slack_bot_token=fake_slack.token, slack_api_url=fake_slack.api_url
    )
    runner, url, app = await serve(settings)
    try:
        body = b"command=%2Fnews&text=help"
        headers = sign(body, secret=" ")
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body, headers=headers) as resp,
        ):
            assert resp.status == 401
    finally:
        await runner.cleanup()
        app.close()
    assert fake_slack.calls == []


# -- acceptance 6: a slow command -------------------------------------------------------------


@pytest.fixture
def locked_store(db: tuple[str, Path]) -> Iterator[threading.Event]:
    """Another process holds the store exclusively (a VACUUM, a migration) for 4 s."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db[1], isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM articles").fetchall()
        locked.set()
        release.wait(4.0)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert locked.wait(5)
    yield release
    release.set()
    thread.join(5)


@pytest.mark.slow
async def test_slow_search_acks_within_3s_and_answers_once(
    locked_store: threading.Event, bot: Bot
) -> None:
    started = time.monotonic()
    status, ack, elapsed = await bot.command("search 엔비디아", rid="slow")
    assert status == 200 and elapsed < 3 and "찾는 중" in ack
    assert bot.slack.responses("slow") == []  # still working
    assert await bot.slack.wait_async(lambda: bot.slack.responses("slow"), timeout=15)
    assert time.monotonic() - started > 3.5  # it really was slow
    await settled()
    [response] = bot.slack.responses("slow")
    assert len(bot.slack.calls_to("respond/slow")) == 1
    shown = "\n".join(texts(response["blocks"]))
    for title in SEARCH_HITS:
        assert title in shown


# -- token check ------------------------------------------------------------------------------


async def test_check_token(fake_slack: FakeSlack) -> None:
    good = Settings(slack_bot_token=fake_slack.token, slack_api_url=fake_slack.api_url)
    identity = await check_token(good)
    assert identity["team_id"] == "T1" and identity["user_id"] == "UBOT"
    bad = Settings(slack_bot_token="xoxb-wrong-123", slack_api_url=fake_slack.api_url)
    with pytest.raises(SlackTokenError) as caught:
        await check_token(bad)
    assert str(caught.value) == "SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)"
    assert "xoxb-wrong-123" not in str(caught.value) and not caught.value.temporary


async def test_a_missing_token_is_said_in_one_wording_everywhere(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.chat.base import DestinationBroken
    from bot.chat.discord.adapter import check_token as discord_check
    from bot.chat.slack.replies import share_image
    from tests.helpers import run_cli

    unset = Settings()
    with pytest.raises(SlackTokenError) as slack:
        await check_token(unset)
    with pytest.raises(DestinationBroken) as discord:
        await discord_check(unset)
    image = await share_image(unset, "C1", Reply(text="x"))
    assert str(slack.value) == "SLACK_BOT_TOKEN is not set"
    assert discord.value.reason == "DISCORD_BOT_TOKEN is not set"
    assert image is not None and image.reason == "SLACK_BOT_TOKEN is not set"
    for platform, channel in (("slack", "C1"), ("discord", "1234567890")):
        args = ["digest", "--post", f"{platform}:{channel}", "--db", seeded_copy]
        code, _, err = await asyncio.to_thread(run_cli, args, capsys)
        said = t("post.no_token", "ko", variable=f"{platform.upper()}_BOT_TOKEN")
        assert code == 2 and said in err, err  # the same wording, in the CLI's language


def test_the_manifest_matches_the_endpoint() -> None:
    import yaml

    manifest = yaml.safe_load((Path(__file__).parent.parent / "slack-manifest.yml").read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/news"
    assert command["url"].endswith(EVENTS_PATH) and command["url"].startswith("https://")
    assert {"chat:write", "chat:write.public", "commands", "files:write"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    assert manifest["settings"]["socket_mode_enabled"] is False
    interactivity = manifest["settings"]["interactivity"]  # the watch preview's Save button
    assert interactivity["is_enabled"] is True
    assert interactivity["request_url"].endswith(EVENTS_PATH)


# -- Socket Mode ------------------------------------------------------------------------------


@dataclass
class SocketServer:
    """A WebSocket endpoint speaking Slack's Socket Mode: hello, one envelope, then listens."""

    url: str
    acks: list[dict[str, object]]


@pytest.fixture
async def socket_server(fake_slack: FakeSlack) -> AsyncIterator[SocketServer]:
    acks: list[dict[str, object]] = []
    envelope = {
        "envelope_id": "env-1",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "team_id": "T1",
            "channel_id": "C5",
            "user_id": "U1",
            "command": "/news",
            "text": "search 엔비디아",
            "response_url": fake_slack.response_url("sock"),
        },
    }

    async def link(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})
        await ws.send_json(envelope)
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                acks.append(json.loads(message.data))
        return ws

    server = web.Application()
    server.router.add_get("/link", link)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    fake_slack.socket_url = f"ws://{host}:{port}/link"
    yield SocketServer(fake_slack.socket_url, acks)
    await runner.cleanup()


async def test_socket_mode_answers_news(
    fake_slack: FakeSlack, socket_server: SocketServer, db: tuple[str, Path]
) -> None:
    settings = Settings(
        database_url=db[0],
        slack_bot_token=fake_slack.token,
        slack_app_token=fake_slack.app_token,
        slack_api_url=fake_slack.api_url,
    )  # no signing secret: Socket Mode needs none
    app = App(settings)
    task = asyncio.create_task(
        run_socket_mode(build_bolt_app(app, Commands(app)), fake_slack.app_token)
    )
    try:
        assert await fake_slack.wait_async(lambda: fake_slack.responses("sock"), timeout=10)
        assert await fake_slack.wait_async(lambda: socket_server.acks, timeout=3)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.close()
    [ack] = socket_server.acks
    assert ack["envelope_id"] == "env-1"
    assert "찾는 중" in json.dumps(ack.get("payload"), ensure_ascii=False)
    [response] = fake_slack.responses("sock")
    shown = "\n".join(texts(response["blocks"]))
    for title in SEARCH_HITS:
        assert title in shown


async def test_socket_mode_with_a_bad_app_token_fails_once(
    fake_slack: FakeSlack, socket_server: SocketServer, db: tuple[str, Path]
) -> None:
    settings = Settings(
        database_url=db[0], slack_bot_token=fake_slack.token, slack_api_url=fake_slack.api_url
    )
    app = App(settings)
    bolt = build_bolt_app(app, Commands(app))
    with pytest.raises(SlackTokenError) as caught:
        await asyncio.wait_for(start_socket_mode(bolt, "xapp-wrong"), timeout=5)
    assert str(caught.value) == "SLACK_APP_TOKEN was rejected by Slack (invalid_auth)"
    assert len(fake_slack.calls_to("apps.connections.open")) == 1
    app.close()


def test_a_reply_longer_than_five_responses_says_what_was_left_out() -> None:
    """Slack takes five posts per response_url; the fifth says how many messages did not fit."""
    cards = [
        Card(id=i, title=f"기사 {i}", url=None, meta="m", snippet="가" * 3000) for i in range(40)
    ]
    payloads = response_payloads(Reply(title="다이제스트", sections=[Section("", cards)]))
    assert len(payloads) == MAX_RESPONSES
    assert all(p["response_type"] == "ephemeral" and check_message(p) == [] for p in payloads)
    note = payloads[-1]["blocks"][-1]["elements"][0]["text"]
    assert note.startswith("(메시지 ") and "개가 더 있어 생략했습니다" in note


def test_starting_with_the_token_in_the_environment_prints_no_bolt_notice(
    fake_slack: FakeSlack,
    db: tuple[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """bolt reads SLACK_BOT_TOKEN itself and warned at every start that the client we give it
    wins over that token; the operator has nothing to do about it, so it is not printed."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake_slack.token)
    settings = Settings(
        database_url=db[0],
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
    )
    app = App(settings)
    caplog.set_level(logging.DEBUG)
    build_bolt_app(app, Commands(app))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    app.close()
