"""A loopback fake of Discord's REST API (v10): an aiohttp server on 127.0.0.1, random port.

It behaves like Discord where our code can tell the difference, and records what arrived::

    async with FakeDiscord() as fake:
        settings = Settings(discord_bot_token=fake.token, discord_api_url=fake.api_url)
        ...
        fake.channel_messages("123")      # what was stored in channel 123, in order
        fake.rejected                     # every 4xx we answered, with Discord's error JSON

Routes (under ``/api/v10``; JSON answers carry exactly ``Content-Type: application/json``, which
discord.py needs to parse them):

- ``GET /users/@me``, ``GET /oauth2/applications/@me``: need ``Authorization: Bot <fake.token>``,
  else 401 (so a wrong token is "rejected by Discord");
- ``POST /channels/{id}/messages``: limits, nonces, scripts and sticky failures below;
- ``PUT|GET /applications/{app}/commands`` and ``…/guilds/{guild}/commands``: each command is
  checked with :func:`check_command` and kept in ``fake.commands[None | guild_id]``;
- ``POST /interactions/{id}/{token}/callback``: only for interactions made with
  :meth:`FakeDiscord.interaction`, once, within 3 s of their creation (else 404 Unknown
  interaction, as Discord); ``POST /webhooks/{app}/{token}``: follow-ups, only after the
  acknowledgement; ``GET|PATCH /webhooks/{app}/{token}/messages/{id|@original}``.

Interactions: ``payload = fake.interaction("search", {"query": "엔비디아"})`` is an
INTERACTION_CREATE payload (guild :data:`GUILD_ID`, channel :data:`CHANNEL_ID`, user
:data:`USER_ID`; ``focused="topic"`` makes it an autocomplete); ``fake.replies(payload["token"])``
are its response and follow-ups (``kind`` ``response`` or ``followup``, ``ephemeral`` as a user
would see it: the first follow-up after a deferral inherits the deferral's).

Every message body is checked against Discord's documented limits (content 2,000; 10 embeds;
title 256, description 4,096, 25 fields of name 256 / value 1,024, footer 2,048, author 256,
6,000 characters of embed text per message; a non-empty message; nonce ≤ 25; embed URLs http(s)),
counted in UTF-16 code units; a breach is answered ``400 {"code": 50035, "errors": …,
"message": "Invalid Form Body"}`` and recorded in ``rejected``.

``nonce`` with ``enforce_nonce: true``: a nonce the bot used in the last ``nonce_window``
seconds returns the message it created (200) instead of storing another one, as Discord does.

Scripted answers, consumed in order per route (``"create_message"``, ``"callback"``,
``"followup"``, ``"commands"``): ``fake.script("create_message", rate_limited(1.5))`` answers the
next message post with 429 ``{"retry_after": 1.5, "global": false}`` plus the rate-limit headers
(and ``Via``, which discord.py requires to trust a 429); ``server_error(502, after_store=True)``
stores the message and then answers 502; ``disconnect(after_store=True)`` stores it and drops
the connection; ``missing_access()`` is 403 / 50001, ``unknown_channel()`` 404 / 10003.  Sticky
failures per channel: ``fake.forbidden.add(id)`` (403) and ``fake.missing.add(id)`` (404);
``fake.no_attach.add(id)``: 403 Missing Permissions for a message with an attachment only.

A stored :class:`Stored` message tells what a reader would see: :meth:`Stored.visible` (the text
with markdown escapes resolved), :meth:`Stored.links` (masked links and autolinks that Discord
would render from the text) and :meth:`Stored.pings` (who the content would notify, under its
``allowed_mentions``).  ``fake.requests`` logs every request (method, path, query, JSON).
:func:`wait_until` polls a condition, for code that posts from a background task (the scheduler).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import aiohttp
import discord.http
from aiohttp import web

API = "/api/v10"
APP_ID = "1300000000000000001"
BOT_ID = "1300000000000000002"
BOT_USER = {
    "id": BOT_ID,
    "username": "newsbot",
    "discriminator": "0",
    "global_name": "newsbot",
    "avatar": None,
    "bot": True,
}
GUILD_ID = "1300000000000000003"
CHANNEL_ID = "1300000000000000004"
USER_ID = "1300000000000000005"
MARKDOWN_FIELDS = ("title", "description")
JSON = cast("web.RequestKey[Any]", web.RequestKey("json", object))


@dataclass
class Scripted:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    after_store: bool = False
    drop: bool = False


def rate_limited(retry_after: float = 1.5, global_: bool = False) -> Scripted:
    headers = {
        "Retry-After": str(math.ceil(retry_after)),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset-After": str(retry_after),
        "X-RateLimit-Bucket": "fakebucket",
        "X-RateLimit-Scope": "user",
        "Via": "1.1 google",
    }
    if global_:
        headers["X-RateLimit-Global"] = "true"
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": global_}
    return Scripted(429, body, headers)


def server_error(status: int = 502, after_store: bool = True) -> Scripted:
    return Scripted(status, "<html>502 Bad Gateway</html>", after_store=after_store)


def disconnect(after_store: bool = True) -> Scripted:
    return Scripted(0, after_store=after_store, drop=True)


def missing_access() -> Scripted:
    return Scripted(403, {"message": "Missing Access", "code": 50001})


def unknown_channel() -> Scripted:
    return Scripted(404, {"message": "Unknown Channel", "code": 10003})


def dlen(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _markup(text: str) -> str:
    """The text as Discord's parser sees its syntax: escaped characters become inert."""
    return re.sub(r"\\([^0-9A-Za-z\s])", "\x00", text)


def visible(text: str) -> str:
    """What a reader sees: escapes resolved, bold markers and zero-width spaces gone."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and re.match(r"[^0-9A-Za-z\s]", text[i + 1]):
            out.append(text[i + 1])
            i += 2
        elif text.startswith("**", i):
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace("\u200b", "")


@dataclass
class Stored:
    id: str
    channel_id: str
    body: dict[str, Any]
    kind: str  # channel | response | followup
    ephemeral: bool = False
    token: str | None = None  # the interaction's, for its response and follow-ups
    created: float = field(default_factory=time.monotonic)

    @property
    def content(self) -> str:
        return str(self.body.get("content") or "")

    @property
    def files(self) -> list[tuple[str, bytes]]:
        """The attachments that came with the message: (filename, bytes)."""
        return list(self.body.get("_files") or [])

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.body.get("embeds") or [])

    def markdown_texts(self) -> list[str]:
        """Every string Discord renders as markdown in this message."""
        texts = [self.content]
        for e in self.embeds:
            texts += [str(e.get(k) or "") for k in MARKDOWN_FIELDS]
            texts += [str(f.get(k) or "") for f in e.get("fields", []) for k in ("name", "value")]
        return [t for t in texts if t]

    def visible(self) -> str:
        parts = [visible(self.content)] if self.content else []
        for e in self.embeds:
            parts += [e.get("author", {}).get("name", "")]
            parts += [visible(str(e.get(k) or "")) for k in MARKDOWN_FIELDS]
            parts += [visible(f"{f['name']}: {f['value']}") for f in e.get("fields", [])]
            parts += [e.get("footer", {}).get("text", "")]
        return "\n".join(p for p in parts if p)

    def links(self) -> list[str]:
        found = []
        for text in self.markdown_texts():
            view = _markup(text)
            found += re.findall(r"\[[^\]\n]*\]\(\s*<?(\w+://[^)\s>]+)>?\s*\)", view)
            found += re.findall(r"(?<![\w(<])(https?://[^\s<]+)", view)
        return found

    def pings(self) -> list[str]:
        allowed = self.body.get("allowed_mentions")
        parse = ["everyone", "users", "roles"] if allowed is None else allowed.get("parse", [])
        users = [str(u) for u in (allowed or {}).get("users", [])]
        roles = [str(r) for r in (allowed or {}).get("roles", [])]
        view, out = _markup(self.content), []
        if "everyone" in parse:
            out += re.findall(r"@(everyone|here)\b", view)
        out += [
            f"user:{u}" for u in re.findall(r"<@!?(\d+)>", view) if "users" in parse or u in users
        ]
        out += [
            f"role:{r}" for r in re.findall(r"<@&(\d+)>", view) if "roles" in parse or r in roles
        ]
        return out


def _error(code: str, message: str) -> dict[str, Any]:
    return {"_errors": [{"code": code, "message": message}]}


def _too_long(limit: int) -> dict[str, Any]:
    return _error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def check_message(body: dict[str, Any]) -> dict[str, Any] | None:
    """Discord's 400 body for a message payload that breaks a documented limit, else None."""
    errors: dict[str, Any] = {}
    content = body.get("content") or ""
    if dlen(content) > 2000:
        errors["content"] = _too_long(2000)
    embeds = body.get("embeds") or []
    attached = {name for name, _data in body.get("_files") or []}
    if not content.strip() and not embeds and not attached:
        return {"message": "Cannot send an empty message", "code": 50006}
    if len(embeds) > 10:
        errors["embeds"] = _too_long(10)
    total = 0
    for index, embed in enumerate(embeds[:10]):
        bad: dict[str, Any] = {}
        texts = {
            "title": (embed.get("title"), 256),
            "description": (embed.get("description"), 4096),
            "footer": ((embed.get("footer") or {}).get("text"), 2048),
            "author": ((embed.get("author") or {}).get("name"), 256),
        }
        for key, (text, limit) in texts.items():
            total += dlen(text or "")
            if text is not None and dlen(text) > limit:
                bad[key] = _too_long(limit)
        url = embed.get("url")
        if url is not None and not re.match(r"^https?://[^\s/]+\S*$", url):
            bad["url"] = _error("URL_TYPE_INVALID_URL", "Not a well formed URL.")
        image = str((embed.get("image") or {}).get("url") or "")
        if image.startswith("attachment://") and image[len("attachment://") :] not in attached:
            bad["image"] = _error("ATTACHMENT_NOT_FOUND", "The attachment is not in the message.")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            bad["fields"] = _too_long(25)
        for n, f in enumerate(fields):
            for key, limit in (("name", 256), ("value", 1024)):
                text = str(f.get(key) or "")
                total += dlen(text)
                if not text.strip() or dlen(text) > limit:
                    bad.setdefault("fields", {}).setdefault(str(n), {})[key] = _too_long(limit)
        if bad:
            errors.setdefault("embeds", {})[str(index)] = bad
    if total > 6000:
        errors.setdefault("embeds", {}).update(
            _error("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        )
    nonce = body.get("nonce")
    if nonce is not None and dlen(str(nonce)) > 25:
        errors["nonce"] = _too_long(25)
    return {"code": 50035, "errors": errors, "message": "Invalid Form Body"} if errors else None


def check_command(cmd: dict[str, Any]) -> dict[str, Any] | None:
    """Discord's rules for a command or option: lower-case name of 1-32, description of 1-100,
    at most 25 options and 25 choices, required options before optional ones."""
    name, description = str(cmd.get("name", "")), str(cmd.get("description", ""))
    if not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower():
        return _error("APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")
    if not 1 <= len(description) <= 100:
        return _error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    options, choices = cmd.get("options") or [], cmd.get("choices") or []
    if len(options) > 25 or len(choices) > 25:
        return _too_long(25)
    required = [bool(o.get("required")) for o in options]
    if required != sorted(required, reverse=True):
        return _error(
            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
            "Required options must be placed before non-required options",
        )
    for option in options:
        problem = check_command(option)
        if problem:
            return {"options": problem}
    return None


class FakeDiscord:
    def __init__(self, token: str = "fake-bot-token", nonce_window: float = 300.0) -> None:
        self.token = token
        self.nonce_window = nonce_window
        self.stored: list[Stored] = []
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.rejected: list[tuple[str, int, Any]] = []
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self.forbidden: set[str] = set()
        self.missing: set[str] = set()
        self.no_attach: set[str] = set()  # channels where the bot lacks Attach Files
        self.scripts: dict[str, list[Scripted]] = defaultdict(list)
        self.interactions: dict[str, dict[str, Any]] = {}  # id -> {token, created, acked, ...}
        self._nonces: dict[str, Stored] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._saved_base = discord.http.Route.BASE
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(middlewares=[self._log])
        r = app.router
        r.add_get(API + "/users/@me", self._me)
        r.add_get(API + "/oauth2/applications/@me", self._application)
        r.add_post(API + "/channels/{channel}/messages", self._create_message)
        for path in ("/applications/{app}/commands", "/applications/{app}/guilds/{guild}/commands"):
            r.add_put(API + path, self._sync)
            r.add_get(API + path, self._list_commands)
        r.add_post(API + "/interactions/{id}/{token}/callback", self._callback)
        r.add_post(API + "/webhooks/{app}/{token}", self._followup)
        r.add_get(API + "/webhooks/{app}/{token}/messages/{message}", self._get_webhook_message)
        r.add_patch(API + "/webhooks/{app}/{token}/messages/{message}", self._edit_webhook_message)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        discord.http.Route.BASE = self._saved_base  # our code points it here; put it back

    # -- test API --------------------------------------------------------------------------

    def script(self, route: str, *answers: Scripted) -> None:
        self.scripts[route].extend(answers)

    def channel_messages(self, channel_id: str) -> list[Stored]:
        return [m for m in self.stored if m.kind == "channel" and m.channel_id == str(channel_id)]

    def callbacks(self, token: str) -> list[dict[str, Any]]:
        """The bodies posted to one interaction's callback (autocomplete choices among them)."""
        return [
            body
            for method, path, _, body in self.requests
            if method == "POST" and path.endswith(f"/{token}/callback")
        ]

    def replies(self, token: str) -> list[Stored]:
        """The interaction response and follow-ups of one interaction, in order."""
        return [m for m in self.stored if m.token == token]

    def interaction(
        self,
        sub: str,
        options: dict[str, Any] | None = None,
        *,
        focused: str = "",
        guild_id: str = GUILD_ID,
        channel_id: str = CHANNEL_ID,
        user_id: str = USER_ID,
        locale: str = "ko",
        dm: bool = False,
    ) -> dict[str, Any]:
        """A recorded-shape INTERACTION_CREATE payload for ``/news <sub> [options]`` (type 2, or 4
        for autocomplete when ``focused`` names the option being typed), registered here.  With
        ``dm`` it comes from a direct message: no guild, a ``user`` instead of a ``member``, the
        DM channel (type 1) and the bot-DM context."""
        kinds = {bool: 5, int: 4, float: 10, str: 3}
        opts = [
            {
                "name": k,
                "type": kinds[type(v)],
                "value": v,
                **({"focused": True} if k == focused else {}),
            }
            for k, v in (options or {}).items()
        ]
        number = next(self._ids)
        ident = str(discord.utils.time_snowflake(datetime.now(UTC)) + number)
        token = f"itoken-{number}"
        user = {
            "id": user_id,
            "username": "reader",
            "discriminator": "0",
            "global_name": "Reader",
            "avatar": None,
        }
        payload: dict[str, Any] = {
            "id": ident,
            "application_id": APP_ID,
            "type": 4 if focused else 2,
            "token": token,
            "version": 1,
            "guild_id": guild_id,
            "channel_id": channel_id,
            "locale": locale,
            "guild_locale": "ko",
            "app_permissions": "2147485696",
            "attachment_size_limit": 8388608,
            "entitlements": [],
            "authorizing_integration_owners": {"0": guild_id},
            "context": 0,
            "channel": {
                "id": channel_id,
                "type": 0,
                "name": "news",
                "guild_id": guild_id,
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
            "member": {
                "user": user,
                "roles": [],
                "joined_at": "2025-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": "2147485696",
            },
            "data": {
                "id": "1300000000000000009",
                "name": "news",
                "type": 1,
                "guild_id": guild_id,
                "options": [{"name": sub, "type": 1, "options": opts}],
            },
        }
        if dm:
            for key in ("guild_id", "member", "guild_locale"):
                payload.pop(key)
            payload["data"].pop("guild_id")
            payload["user"] = user
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"1": user_id}
            payload["channel"] = {"id": channel_id, "type": 1, "recipients": [user]}
        self.interactions[ident] = {
            "token": token,
            "created": time.monotonic(),
            "acked": None,
            "channel": channel_id,
        }
        return payload

    # -- helpers ---------------------------------------------------------------------------

    @web.middleware
    async def _log(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.content_type.startswith("multipart/"):
            body = await _read_multipart(request)
        else:
            body = await request.json() if request.can_read_body else None
        request[JSON] = body
        self.requests.append((request.method, request.path, dict(request.query), body))
        response = await handler(request)
        if 400 <= response.status < 500 and response.status != 429:
            text = getattr(response, "text", None)  # Discord's error JSON
            self.rejected.append((request.path, response.status, text))
        return response

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # exactly "application/json", as Discord sends it: discord.py compares the whole header
        head = {**(headers or {}), "Content-Type": "application/json"}
        return web.Response(body=json.dumps(data).encode(), status=status, headers=head)

    def _unauthorized(self) -> web.Response:
        return self._json({"message": "401: Unauthorized", "code": 0}, 401)

    def _message(self, stored: Stored) -> dict[str, Any]:
        body = stored.body
        return {
            "id": stored.id,
            "channel_id": stored.channel_id,
            "type": 0 if stored.kind == "channel" else 20,
            "content": body.get("content") or "",
            "author": BOT_USER,
            "embeds": [{"type": "rich", **e} for e in stored.embeds],
            "attachments": [
                {"id": str(n), "filename": name, "size": len(data)}
                for n, (name, data) in enumerate(stored.files)
            ],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "flags": 64 if stored.ephemeral else 0,
            "components": [],
            "nonce": body.get("nonce"),
        }

    def _store(
        self,
        channel_id: str,
        body: dict[str, Any],
        kind: str,
        ephemeral: bool = False,
        token: str | None = None,
    ) -> Stored:
        stored = Stored(
            str(discord.utils.time_snowflake(datetime.now(UTC)) + next(self._ids)),
            channel_id,
            body,
            kind,
            ephemeral,
            token,
        )
        self.stored.append(stored)
        if body.get("nonce") is not None and body.get("enforce_nonce"):
            self._nonces[str(body["nonce"])] = stored
        return stored

    async def _answer(
        self, request: web.Request, answer: Scripted, store: Any
    ) -> web.StreamResponse:
        if answer.after_store:
            store()
        if answer.drop:
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        if isinstance(answer.body, str):
            return web.Response(status=answer.status, text=answer.body, headers=answer.headers)
        return self._json(answer.body, answer.status, answer.headers)

    # -- routes ----------------------------------------------------------------------------

    async def _me(self, request: web.Request) -> web.Response:
        return self._json(BOT_USER) if self._authorized(request) else self._unauthorized()

    async def _application(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._unauthorized()
        return self._json(
            {
                "id": APP_ID,
                "name": "newsbot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": BOT_USER,
                "verify_key": "0" * 64,
                "flags": 0,
                "summary": "",
            }
        )

    async def _create_message(self, request: web.Request) -> web.StreamResponse:
        if not self._authorized(request):
            return self._unauthorized()
        channel, body = request.match_info["channel"], request[JSON] or {}
        if channel in self.forbidden:
            return self._json(missing_access().body, 403)
        if channel in self.missing or not channel.isdigit():
            return self._json(unknown_channel().body, 404)
        if channel in self.no_attach and (request[JSON] or {}).get("_files"):
            return self._json({"message": "Missing Permissions", "code": 50013}, 403)
        problem = check_message(body)
        if problem:
            return self._json(problem, 400)
        nonce = body.get("nonce")
        earlier = self._nonces.get(str(nonce)) if body.get("enforce_nonce") else None
        if earlier is not None and time.monotonic() - earlier.created < self.nonce_window:
            return self._json(self._message(earlier))
        if self.scripts["create_message"]:
            answer = self.scripts["create_message"].pop(0)
            return await self._answer(
                request, answer, lambda: self._store(channel, body, "channel")
            )
        return self._json(self._message(self._store(channel, body, "channel")))

    async def _sync(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._unauthorized()
        if self.scripts["commands"]:
            answer = self.scripts["commands"].pop(0)
            return self._json(answer.body, answer.status, answer.headers)
        guild = request.match_info.get("guild")
        commands, errors = [], {}
        for n, cmd in enumerate(request[JSON] or []):
            problem = check_command(cmd)
            if problem:
                errors[str(n)] = problem
            commands.append(
                {
                    **cmd,
                    "id": str(1400000000000000000 + n),
                    "application_id": APP_ID,
                    "version": "1",
                    "type": cmd.get("type", 1),
                    **({"guild_id": guild} if guild else {}),
                }
            )
        if errors:
            return self._json(
                {"code": 50035, "errors": errors, "message": "Invalid Form Body"}, 400
            )
        self.commands[guild] = commands
        return self._json(commands)

    async def _list_commands(self, request: web.Request) -> web.Response:
        return self._json(self.commands.get(request.match_info.get("guild"), []))

    async def _callback(self, request: web.Request) -> web.StreamResponse:
        known = self.interactions.get(request.match_info["id"])
        if (
            known is None
            or known["token"] != request.match_info["token"]
            or time.monotonic() - known["created"] > 3.0
        ):
            return self._json({"message": "Unknown interaction", "code": 10062}, 404)
        if known["acked"] is not None:
            return self._json(
                {"message": "Interaction has already been acknowledged.", "code": 40060}, 400
            )
        body = request[JSON] or {}
        kind, data = body.get("type"), body.get("data") or {}
        ephemeral = bool(int(data.get("flags") or 0) & 64)
        if kind == 4:
            problem = check_message(data)
            if problem:
                return self._json(problem, 400)
        if self.scripts["callback"]:
            answer = self.scripts["callback"].pop(0)
            return self._json(answer.body, answer.status, answer.headers)
        known["acked"] = {"type": kind, "ephemeral": ephemeral, "followups": 0}
        resource: dict[str, Any] = {"type": kind}
        if kind == 4:
            stored = self._store(known["channel"], data, "response", ephemeral, known["token"])
            resource["message"] = self._message(stored)
        return self._json(
            {
                "interaction": {
                    "id": request.match_info["id"],
                    "type": 2,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": ephemeral,
                },
                "resource": resource,
            }
        )

    def _acked(self, token: str) -> dict[str, Any] | None:
        for known in self.interactions.values():
            if known["token"] == token and known["acked"] is not None:
                return known
        return None

    async def _followup(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        known = self._acked(token)
        if request.match_info["app"] != APP_ID or known is None:
            return self._json({"message": "Unknown Webhook", "code": 10015}, 404)
        body = request[JSON] or {}
        problem = check_message(body)
        if problem:
            return self._json(problem, 400)
        acked = known["acked"]
        ephemeral = bool(int(body.get("flags") or 0) & 64)
        if acked["type"] == 5 and acked["followups"] == 0:
            ephemeral = acked["ephemeral"]  # the first follow-up replaces the "thinking" message
        acked["followups"] += 1
        if self.scripts["followup"]:
            answer = self.scripts["followup"].pop(0)
            return await self._answer(
                request,
                answer,
                lambda: self._store(known["channel"], body, "followup", ephemeral, token),
            )
        return self._json(
            self._message(self._store(known["channel"], body, "followup", ephemeral, token))
        )

    def _webhook_message(self, request: web.Request) -> Stored | None:
        replies = self.replies(request.match_info["token"])
        wanted = request.match_info["message"]
        if wanted == "@original":
            return replies[0] if replies else None
        return next((m for m in replies if m.id == wanted), None)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        stored = self._webhook_message(request)
        if stored is None:
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        return self._json(self._message(stored))

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        stored = self._webhook_message(request)
        if stored is None:
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        body = {**stored.body, **(request[JSON] or {})}
        problem = check_message(body)
        if problem:
            return self._json(problem, 400)
        stored.body = body
        return self._json(self._message(stored))


async def _read_multipart(request: web.Request) -> dict[str, Any]:
    """A multipart message as discord.py sends it: ``payload_json`` and ``files[n]`` parts.
    The files go under the body's ``_files`` as (filename, bytes); for an interaction
    callback, under its ``data``."""
    body: dict[str, Any] = {}
    files: list[tuple[str, bytes]] = []
    reader = await request.multipart()
    while True:
        part = await reader.next()
        if part is None:
            break
        assert isinstance(part, aiohttp.BodyPartReader)
        if part.name == "payload_json":
            body = json.loads(await part.text())
        elif part.name and part.name.startswith("files["):
            files.append((part.filename or "", bytes(await part.read())))
    target = body["data"] if isinstance(body.get("data"), dict) else body
    target["_files"] = files
    return body


async def wait_until(condition: Any, timeout: float = 5.0) -> None:
    """Poll ``condition()`` until true (for code that sends in a background task)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)
