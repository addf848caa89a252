"""``POST /slack/events``: the HTTP route in front of the bolt app (as bolt's aiohttp adapter),
with its limits.

A request is refused before anything parses it when its body is larger than :data:`MAX_BODY`
(413), does not arrive within ``BODY_TIMEOUT`` (408) or is not signed by Slack (401,
:mod:`bot.chat.slack.verify`); a signed body that is not something Slack sends is refused with
400 (:func:`malformed`) so bolt never sees it.  Then bolt handles it, marked as checked.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.chat.base import not_set
from bot.chat.slack.verify import checked_context, refusal
from bot.core.http import BODY_TIMEOUT

if TYPE_CHECKING:
    from aiohttp import StreamReader

    from bot.chat.slack.adapter import NewsbotBolt

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY = 256 * 1024


def malformed(body: bytes, content_type: str) -> str | None:
    """Why a signed request is not something Slack sends (so bolt never sees it), or None.

    Slash commands and interactions come as a form (a ``command``, or a ``payload`` holding a
    JSON object with a ``type``; block actions with at least one action); the Events API as a
    JSON object with a ``type``."""
    text = body.decode("utf-8", errors="replace")
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            data = json.loads(text)
        except ValueError:
            return "malformed JSON body"
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            return "an event without a type"
        return None
    form = parse_qs(text, keep_blank_values=True)
    if "command" in form:
        return None if form["command"][0].startswith("/") else "a command that is not /…"
    if "payload" not in form:
        return "neither a command nor an interaction"
    try:
        payload = json.loads(form["payload"][0])
    except ValueError:
        return "an interaction payload that is not JSON"
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        return "an interaction without a type"
    if payload["type"] in ("block_actions", "interactive_message"):
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            return f"{payload['type']} without actions"
        if not all(
            isinstance(a, dict) and isinstance(a.get("action_id", ""), str) for a in actions
        ):
            return f"{payload['type']} with malformed actions"
    return None


async def _read_body(content: StreamReader) -> bytes:
    """The whole body, or its first ``MAX_BODY + 1`` bytes when it is longer: ``read(n)``
    returns what has arrived so far, so a body sent in several parts (a proxy, a slow link, a
    large interaction payload) is read until its end, not cut short (its signature would fail)."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BODY:
        chunk = await content.read(MAX_BODY + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def add_slack_routes(web_app: web.Application, bolt_app: NewsbotBolt) -> None:
    """Mount ``POST /slack/events`` on an aiohttp app (``serve`` shares one server with
    ``/healthz`` and ``/metrics``)."""
    secret = bolt_app.signing_secret
    if not secret:
        log.warning(
            "slack: %s; %s refuses every request", not_set("SLACK_SIGNING_SECRET"), EVENTS_PATH
        )

    async def events(request: web.Request) -> web.StreamResponse:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.json_response({"error": "too large"}, status=413)
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                body = await _read_body(request.content)
        except TimeoutError:
            log.info(
                "slack: refused a request: its body did not arrive within %.0f s", BODY_TIMEOUT
            )
            return web.json_response({"error": "request timeout"}, status=408)
        if len(body) > MAX_BODY:
            return web.json_response({"error": "too large"}, status=413)
        if refusal(secret, body, request.headers):
            return web.json_response({"error": "invalid request"}, status=401)
        problem = malformed(body, request.headers.get("Content-Type", ""))
        if problem:
            log.info("slack: refused a signed request: %s", problem)
            return web.json_response({"error": "bad request"}, status=400)
        try:
            bolt_request = AsyncBoltRequest(
                body=body.decode("utf-8", errors="replace"),
                query=request.query_string,
                headers=dict(request.headers),
                context=checked_context(),
            )
        except ValueError:  # a signed body bolt cannot parse
            return web.json_response({"error": "bad request"}, status=400)
        bolt_response = await bolt_app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    web_app.router.add_post(EVENTS_PATH, events)


def make_web_app(bolt_app: NewsbotBolt) -> web.Application:
    """A bare aiohttp app serving only ``/slack/events`` (tests, or Slack alone)."""
    web_app = web.Application(client_max_size=MAX_BODY)
    add_slack_routes(web_app, bolt_app)
    return web_app
