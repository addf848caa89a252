"""A loopback fake of the Slack Web API and of ``response_url``, for tests.

A real threaded HTTP server on ``127.0.0.1`` (random port) that answers like Slack and records
every call.  It works from sync tests (the CLI's ``asyncio.run``) and async ones alike::

    with FakeSlack() as slack:    # or the ``fake_slack`` fixture: in a test module,
                                  # ``from tests.helpers.fakes.slack_api import fake_slack`` and list it
                                  # in ``__all__`` so linters keep the import
        env: SLACK_API_URL=slack.api_url, SLACK_BOT_TOKEN=slack.token
        slack.script("chat.postMessage", status=429, retry_after="1")   # next call: 429 once
        slack.script("chat.postMessage", error="channel_not_found")     # next call: ok false
        slack.script("chat.postMessage", drop=True)   # next call: connection closed, no answer
        ... run the code ...
        slack.posts("C1")            # accepted chat.postMessage bodies for channel C1
        slack.calls                  # every call: Call(method, body, headers, at, status)
        slack.response_url("abc")    # http://127.0.0.1:PORT/respond/abc
        slack.responses("abc")       # bodies posted there
        await slack.wait_async(lambda: slack.responses("abc"))
        assert slack.problems == []  # limit violations seen (answered invalid_blocks / 400)

Files API v2: ``files.getUploadURLExternal`` (``filename``, ``length``) hands out
``{url}/upload/F…``; a POST of the bytes there (script key ``"upload"``) stores them;
``files.completeUploadExternal`` (``files`` JSON, ``channel_id``) shares every listed file whose
bytes arrived with the declared length (else ``file_upload_not_found`` / ``invalid_length``) as
one message in the channel's history, and a file already shared is refused
(``already_completed``).  ``slack.uploads("C1")`` lists what was shared: name, title, alt,
bytes.

Methods answered: ``auth.test`` (``team_id`` T1, ``user_id`` UBOT), ``chat.postMessage``
(``ok`` with a fresh ``ts`` per message), ``conversations.history`` (the messages posted to a
channel, newest first, with their ``metadata`` when ``include_all_metadata`` is set; paged by
``limit`` and ``cursor``), ``apps.connections.open`` (with ``app_token``: the
``socket_url`` a test set, for a WebSocket server of its own), any other method
``unknown_method``.  A call without ``Authorization: Bearer <token>`` gets ``not_authed``, a
wrong token ``invalid_auth``.  Scripted answers are used once
each, in order, per method (``"respond"`` scripts the response_url).

Checked on every message (documented Slack limits, plus the undocumented cumulative one):
≤ 50 blocks, section text 1…3000, section fields ≤ 10 × 2000, header plain_text 1…150,
context ≤ 10 elements, fallback ``text`` ≤ 40,000, block text in total ≤ 12,000.

:func:`live_markup` lists what Slack would still parse as a mention, broadcast or link in a
text: ``<…>`` sequences and bare ``@here``/``@channel``/``@everyone``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

TOKEN = "xoxb-fake-token"
APP_TOKEN = "xapp-fake-token"
MAX_BLOCKS = 50
SECTION_TEXT = 3000
FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
MESSAGE_TEXT = 40000
CUMULATIVE_TEXT = 12000

_LIVE = re.compile(r"<[^<>\s][^<>]*>|(?<![\w\u2060])@(?:here|channel|everyone)\b", re.I)


def live_markup(text: str) -> list[str]:
    """What Slack would parse in ``text``: ``<!channel>``, ``<@U1>``, ``<url|label>``, bare
    ``@here``…  Escaped text (``&lt;…&gt;``, ``@\u2060here``) yields nothing."""
    return _LIVE.findall(text)


def texts(payload: Any) -> Iterator[str]:
    """Every ``text`` string in a payload (fallback, blocks, elements), depth first."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from texts(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from texts(value)


@dataclass
class Call:
    method: str  # "chat.postMessage", "auth.test", or "respond/<id>"
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int = 200
    ok: bool = True  # False when answered with an error (scripted, limits, auth)


@dataclass
class Script:
    status: int = 200
    error: str | None = None
    retry_after: str | None = None
    drop: bool = False
    delay: float = 0.0


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    scripts: dict[str, list[Script]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ts: int = 0
    delays: dict[str, float] = field(default_factory=dict)  # every call of a method waits
    history: list[dict[str, Any]] = field(default_factory=list)  # posted messages
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> upload in progress
    shared: list[dict[str, Any]] = field(default_factory=list)  # completed uploads, in order


def check_message(body: dict[str, Any]) -> list[str]:
    """Limit violations in one message payload (empty when Slack would accept it)."""
    problems: list[str] = []
    text = body.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT:
        problems.append(f"text has {len(text)} characters")
    blocks = body.get("blocks")
    if blocks is None:
        return problems
    if not isinstance(blocks, list):
        return [*problems, "blocks is not a list"]
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks")
    total = sum(len(s) for s in texts(blocks))
    if total > CUMULATIVE_TEXT:
        problems.append(f"msg_blocks_too_long: {total} characters of block text")
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "section":
            if "text" in block:
                n = len(block["text"].get("text", ""))
                if not 1 <= n <= SECTION_TEXT or not block["text"]["text"].strip():
                    problems.append(f"block {i}: section text of {n} characters")
            fields = block.get("fields") or []
            if len(fields) > 10 or any(len(f.get("text", "")) > FIELD_TEXT for f in fields):
                problems.append(f"block {i}: section fields too many or too long")
        elif kind == "header":
            head = block.get("text", {})
            n = len(head.get("text", ""))
            if head.get("type") != "plain_text" or not 1 <= n <= HEADER_TEXT:
                problems.append(f"block {i}: header of {n} characters")
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= CONTEXT_ELEMENTS:
                problems.append(f"block {i}: context with {len(elements)} elements")
            if any(len(e.get("text", "")) > SECTION_TEXT for e in elements):
                problems.append(f"block {i}: context text too long")
        elif kind == "actions":  # buttons: Slack's limits on their text, id and value
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"block {i}: actions with {len(elements)} elements")
            for e in elements:
                label = (e.get("text") or {}).get("text", "")
                if (
                    e.get("type") != "button"
                    or not 1 <= len(label) <= 75
                    or not 1 <= len(e.get("action_id", "")) <= 255
                    or len(e.get("value", "")) > 2000
                ):
                    problems.append(f"block {i}: a malformed button")
        elif kind != "divider":
            problems.append(f"block {i}: unexpected type {kind}")
    return problems


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # conversations.history and other reads come as GET ?query
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        self._dispatch({k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.startswith("/upload/"):
            self._dispatch({"_bytes": raw})
            return
        body = _parse(raw, self.headers.get("Content-Type") or "")
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        self._dispatch({**params, **body})  # slack_sdk sends some methods' arguments as params

    def _dispatch(self, body: dict[str, Any]) -> None:
        fake = self.server.fake
        path = self.path.split("?", 1)[0]
        if path.startswith("/api/"):
            method = path[len("/api/") :]
            script_key = method
        elif path.startswith("/respond/"):
            method = "respond/" + path[len("/respond/") :]
            script_key = "respond"
        elif path.startswith("/upload/"):
            method = "upload/" + path[len("/upload/") :]
            script_key = "upload"
        else:
            self._answer(404, {"ok": False, "error": "unknown_path"})
            return
        call = Call(method, body, dict(self.headers.items()), time.monotonic())
        script = fake._take(script_key)
        fake._record(call)
        delay = script.delay if script and script.delay else fake._delay(script_key)
        if delay:
            time.sleep(delay)
        if script and script.drop:
            call.ok = False
            self.close_connection = True
            self.connection.close()
            return
        if script and (script.status != 200 or script.error):
            call.status, call.ok = script.status, False
            headers = {"Retry-After": script.retry_after} if script.retry_after else {}
            error = script.error or ("ratelimited" if script.status == 429 else "fatal_error")
            if script_key == "respond":
                self._answer(script.status, error, headers)
            else:
                self._answer(script.status, {"ok": False, "error": error}, headers)
            return
        if script_key == "upload":
            answer_text = fake._receive_bytes(method[len("upload/") :], body["_bytes"])
            call.ok = answer_text.startswith("OK")
            self._answer(200 if call.ok else 404, answer_text)
            return
        if script_key == "respond":
            problems = check_message(body)
            if problems:
                fake._problem(method, problems)
                call.status, call.ok = 400, False
                self._answer(400, "invalid_blocks")
            else:
                self._answer(200, "ok")
            return
        auth = self.headers.get("Authorization") or ""
        token = fake.app_token if method == "apps.connections.open" else fake.token
        if not auth.startswith("Bearer "):
            answer: dict[str, Any] = {"ok": False, "error": "not_authed"}
        elif auth[len("Bearer ") :] != token:
            answer = {"ok": False, "error": "invalid_auth"}
        else:
            answer = fake._api(method, body)
        call.ok = bool(answer.get("ok"))
        self._answer(200, answer)

    def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(payload, str):
            data, kind = payload.encode(), "text/plain; charset=utf-8"
        else:
            data, kind = json.dumps(payload).encode(), "application/json; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            value = json.loads(text or "{}")
        except ValueError:
            return {"_raw": text}
        return value if isinstance(value, dict) else {"_raw": value}
    body: dict[str, Any] = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    for key in ("blocks", "metadata"):
        if isinstance(body.get(key), str):
            with contextlib.suppress(ValueError):
                body[key] = json.loads(body[key])
    return body


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class FakeSlack:
    """The fake; see the module docstring."""

    def __init__(self, token: str = TOKEN, app_token: str = APP_TOKEN) -> None:
        self.token = token
        self.app_token = app_token
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self.history_error: str | None = None  # e.g. "missing_scope": conversations.history fails
        self._lock = threading.Lock()
        self._state = _State()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeSlack:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    @property
    def url(self) -> str:
        assert self._server is not None, "FakeSlack is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL should be."""
        return self.url + "/api/"

    def response_url(self, rid: str = "1") -> str:
        return f"{self.url}/respond/{rid}"

    # -- scripting and inspection ---------------------------------------------------------

    def script(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: str | None = None,
        drop: bool = False,
        delay: float = 0.0,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"respond"``: the response_url)
        this way instead of normally."""
        with self._lock:
            queue = self._state.scripts.setdefault(method, [])
            queue.extend(Script(status, error, retry_after, drop, delay) for _ in range(times))

    def slow(self, method: str, seconds: float) -> None:
        """Answer every call of ``method`` only after ``seconds`` (a scripted answer keeps its
        own delay).  The message is stored first, as Slack does."""
        with self._lock:
            self._state.delays[method] = seconds

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._state.calls)

    @property
    def problems(self) -> list[str]:
        with self._lock:
            return list(self._state.problems)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Accepted chat.postMessage bodies (to ``channel`` when given), in order."""
        return [
            c.body
            for c in self.calls_to("chat.postMessage")
            if c.ok and (channel is None or c.body.get("channel") == channel)
        ]

    def uploads(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Files shared by ``files.completeUploadExternal`` (in ``channel`` when given): dicts
        with ``id``, ``name``, ``title``, ``alt``, ``channel`` and ``data`` (the bytes)."""
        with self._lock:
            shared = list(self._state.shared)
        return [f for f in shared if channel is None or f["channel"] == channel]

    def responses(self, rid: str = "1") -> list[dict[str, Any]]:
        """Bodies posted to ``response_url(rid)`` and accepted, in order."""
        return [c.body for c in self.calls_to(f"respond/{rid}") if c.ok]

    def wait(self, condition: Callable[[], Any], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return bool(condition())

    async def wait_async(self, condition: Callable[[], Any], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            await asyncio.sleep(0.02)
        return bool(condition())

    # -- the server's side ----------------------------------------------------------------

    def _delay(self, key: str) -> float:
        with self._lock:
            return self._state.delays.get(key, 0.0)

    def _take(self, key: str) -> Script | None:
        with self._lock:
            queue = self._state.scripts.get(key)
            return queue.pop(0) if queue else None

    def _record(self, call: Call) -> None:
        with self._lock:
            self._state.calls.append(call)

    def _problem(self, method: str, problems: list[str]) -> None:
        with self._lock:
            self._state.problems.extend(f"{method}: {p}" for p in problems)

    def _api(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "newsbot",
                "team_id": "T1",
                "user_id": "UBOT",
                "bot_id": "BBOT",
            }
        if method == "chat.postMessage":
            channel = body.get("channel")
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            problems = check_message(body)
            if problems:
                self._problem(method, problems)
                return {"ok": False, "error": "invalid_blocks"}
            with self._lock:
                self._state.ts += 1
                ts = f"{1_700_000_000 + self._state.ts}.{self._state.ts:06d}"
                self._state.history.append(
                    {
                        "channel": channel,
                        "ts": ts,
                        "text": body.get("text"),
                        "meta": body.get("metadata"),
                    }
                )
            return {"ok": True, "channel": channel, "ts": ts, "message": {"text": body.get("text")}}
        if method == "conversations.history":
            return self._history(body)
        if method == "files.getUploadURLExternal":
            return self._upload_url(body)
        if method == "files.completeUploadExternal":
            return self._complete_upload(body)
        if method == "apps.connections.open":
            if not self.socket_url:
                return {"ok": False, "error": "socket_mode_not_enabled"}
            return {"ok": True, "url": self.socket_url}
        return {"ok": False, "error": "unknown_method"}

    def _upload_url(self, body: dict[str, Any]) -> dict[str, Any]:
        name, length = body.get("filename"), str(body.get("length") or "")
        if not name or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            file_id = f"F{len(self._state.files) + 1:06d}"
            self._state.files[file_id] = {
                "id": file_id,
                "name": name,
                "length": int(length),
                "alt": body.get("alt_txt"),
                "data": None,
                "done": False,
            }
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _receive_bytes(self, file_id: str, data: bytes) -> str:
        with self._lock:
            upload = self._state.files.get(file_id)
            if upload is None:
                return "unknown upload"
            upload["data"] = data
        return f"OK - {len(data)}"

    def _complete_upload(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            files = json.loads(body.get("files") or "[]")
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        channel = body.get("channel_id")
        if not files or not channel:
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            found = []
            for f in files:
                upload = self._state.files.get(str(f.get("id")))
                if upload is None or upload["data"] is None:
                    return {"ok": False, "error": "file_upload_not_found"}
                if upload["done"]:
                    return {"ok": False, "error": "already_completed"}
                if len(upload["data"]) != upload["length"]:
                    return {"ok": False, "error": "invalid_length"}
                found.append((upload, f.get("title") or upload["name"]))
            shares = []
            for upload, title in found:
                upload["done"] = True
                share = {
                    "id": upload["id"],
                    "name": upload["name"],
                    "title": title,
                    "alt": upload["alt"],
                    "channel": channel,
                    "data": upload["data"],
                }
                self._state.shared.append(share)
                shares.append(share)
            self._state.ts += 1
            ts = f"{1_700_000_000 + self._state.ts}.{self._state.ts:06d}"
            self._state.history.append(
                {
                    "channel": channel,
                    "ts": ts,
                    "text": "",
                    "meta": None,
                    "files": [{k: f[k] for k in ("id", "name", "title")} for f in shares],
                }
            )
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shares]}

    def _history(self, body: dict[str, Any]) -> dict[str, Any]:
        """Newest first, ``limit`` at a time from ``cursor``; metadata only when asked for."""
        if self.history_error:
            return {"ok": False, "error": self.history_error}
        channel = body.get("channel")
        oldest = float(body.get("oldest") or 0)
        limit = int(body.get("limit") or 100)
        start = int(body.get("cursor") or 0)
        with_meta = str(body.get("include_all_metadata")).lower() in ("true", "1")
        with self._lock:
            found = [
                m
                for m in reversed(self._state.history)
                if m["channel"] == channel and float(m["ts"]) >= oldest
            ]
        page = found[start : start + limit]
        messages = [
            {
                "type": "message",
                "ts": m["ts"],
                "text": m["text"],
                **({"metadata": m["meta"]} if with_meta and m["meta"] else {}),
                **({"files": m["files"]} if m.get("files") else {}),
            }
            for m in page
        ]
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": messages,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started :class:`FakeSlack`, stopped after the test (import it into a test module)."""
    with FakeSlack() as slack:
        yield slack
