"""The Slack app: the ``/news`` slash command over HTTP (``POST /slack/events``) or Socket Mode.

Rules:

* **Verification first.**  An HTTP request is checked before anything parses it: the
  ``X-Slack-Request-Timestamp`` must be an integer within :data:`MAX_SKEW` seconds of now and
  ``X-Slack-Signature`` must equal ``v0=`` HMAC-SHA256(signing secret, ``v0:{ts}:{body}``).
  Anything else (missing, non-numeric or stale timestamp, wrong signature, a changed byte, no
  signing secret configured) is answered 401 with one log line that names the reason and never
  the body; nothing else happens (no ``auth.test``, no command).  The same check runs inside bolt
  (:class:`SignatureCheck`, in place of bolt's own, which logs bodies and answers 500 on a
  non-numeric timestamp), so the bolt app is safe behind any adapter.  Socket Mode requests
  come over the app-token WebSocket and skip it.
* **Ack within 3 s.**  ``/news`` acknowledges at once: with an ephemeral "working…" line for
  slow sub-commands (:meth:`Commands.is_slow`), empty otherwise.  The command then runs in a
  worker thread (``asyncio.to_thread``) and its reply goes to the ``response_url``, exactly once:
  the webhook client retries only on HTTP 429, never after a connection error.  A reply is
  ephemeral unless ``reply.ephemeral`` is False (then ``in_channel``).  Slack accepts
  :data:`MAX_RESPONSES` posts per ``response_url``; a reply of more messages than that sends
  the first ones and ends with a line saying how many were left out.
* **Pictures** (``/news trend``) cannot go through a ``response_url``: the bot shares them in the
  command's channel with the files API v2 (:meth:`bot.chat.slack.post.SlackPoster.upload`),
  after the text.  A 429 is waited out (Retry-After up to 30 s, :data:`UPLOAD_TRIES` tries in
  all) and the picture is uploaded again: nothing was shared by the refused try, so it shows
  once.  If the channel refuses (the bot is not in it, no token), the user is told so.
* **No request bodies in logs.**  They carry the ``response_url`` (a bearer capability).  Bolt
  gets a logger whose filter blanks any record mentioning one; our own lines never include
  bodies, URLs of responses or tokens.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.chat.base import DeliveryError, TemporaryFailure, not_set
from bot.chat.commands import Commands, Context
from bot.chat.commands.core import workspace_of
from bot.chat.slack.post import (
    MAX_RATE_WAIT,
    RetryAfterHandler,
    SlackPoster,
    api_error,
    classify,
    web_client,
)
from bot.chat.slack.render import CONFIRM_ACTION, MAX_BLOCKS, Payload, context, render_reply
from bot.config.settings import Settings
from bot.core.clock import wall_now
from bot.present.i18n import t
from bot.present.reply import Reply, error
from bot.runtime.app import App
from bot.runtime.http import BODY_TIMEOUT
from bot.services.watches import CONFIRM_WORD

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_SKEW = 300
MAX_BODY = 256 * 1024
MAX_RESPONSES = 5
UPLOAD_TRIES = 3


# -- verification ---------------------------------------------------------------------------


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` (what Slack sends)."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify(
    secret: str | None,
    body: bytes,
    timestamp: str | None,
    sig: str | None,
    now: float | None = None,
) -> str | None:
    """Why the request must be refused, or None when it is genuine.  Never raises."""
    if not secret:
        return "no signing secret configured"
    if not timestamp or not sig:
        return "missing signature headers"
    ts = timestamp.strip()
    if not ts.isascii() or not ts.isdigit() or len(ts) > 12:
        return "malformed timestamp"
    now = wall_now().timestamp() if now is None else now
    if abs(now - int(ts)) > MAX_SKEW:
        return "stale timestamp"
    if not hmac.compare_digest(signature(secret, ts, body), sig.strip()):
        return "bad signature"
    return None


def _first(headers: Mapping[str, Any], name: str) -> str | None:
    value = headers.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value)


class SignatureCheck(AsyncMiddleware):
    """Bolt middleware: the signature check of :func:`verify`, answering 401 without logging
    the body (Socket Mode requests skip it)."""

    def __init__(self, secret: str | None) -> None:
        self.secret = secret

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Any) -> Any:
        if req.mode == "socket_mode":
            return await next()
        reason = verify(
            self.secret,
            req.raw_body.encode(),
            _first(req.headers, "x-slack-request-timestamp"),
            _first(req.headers, "x-slack-signature"),
        )
        if reason:
            log.info("slack: refused a request: %s", reason)
            return BoltResponse(status=401, body={"error": "invalid request"})
        return await next()


class _NoResponseUrls(logging.Filter):
    """Blanks any log record that would carry a response_url (bolt logs bodies in places)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        if "response_url" in message or "hooks.slack.com" in message:
            record.msg = "%s (a line that held a Slack request body was redacted)"
            record.args = (record.name,)
        return True


class _Quiet(logging.Filter):
    """Drops every record below WARNING (the webhook client's debug lines hold the URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def _webhook_logger() -> logging.Logger:
    logger = logging.getLogger("bot.chat.slack_response")
    if not any(isinstance(f, _Quiet) for f in logger.filters):
        logger.addFilter(_Quiet())
    return logger


class _NoTokenNotice(logging.Filter):
    """Drops bolt's "As you gave `client` as well, `token` will be unused." printed at every
    start: bolt reads ``SLACK_BOT_TOKEN`` from the environment by itself, and newsbot gives it a
    client that already holds the token (read from the variable or its ``_FILE``), on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno == logging.WARNING
            and isinstance(record.msg, str)
            and "`client`" in record.msg
            and "`token` will be unused" in record.msg
        )


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("bot.chat.slack_bolt")
    for kind in (_NoResponseUrls, _NoTokenNotice):
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
    return logger


# -- the app --------------------------------------------------------------------------------


class NewsbotBolt(AsyncApp):
    """The bolt app, remembering what :func:`add_slack_routes` needs."""

    signing_secret: str | None = None


def build_bolt_app(app: App, commands: Commands) -> NewsbotBolt:
    """The bolt app with ``/news``; verification on when there is a signing secret."""
    settings = app.settings
    secret = settings.slack_signing_secret
    bolt = NewsbotBolt(
        name="newsbot",
        logger=_bolt_logger(),
        client=web_client(settings),
        signing_secret=secret or "",
        request_verification_enabled=False,
        before_authorize=SignatureCheck(secret),
    )
    bolt.signing_secret = secret

    async def news(ack: AsyncAck, command: dict[str, Any]) -> None:
        await handle_news(commands, settings, command, ack)

    async def on_error(error: Exception) -> None:  # one line, never a traceback
        log.error("slack: handling a request failed: %s: %s", error.__class__.__name__, error)

    async def confirm(ack: AsyncAck, body: dict[str, Any]) -> None:
        await handle_confirm(commands, settings, body, ack)

    bolt.command("/news")(news)
    bolt.action(CONFIRM_ACTION)(confirm)
    bolt.error(on_error)
    return bolt


def command_context(command: Mapping[str, Any], settings: Settings) -> Context:
    return Context(
        platform="slack",
        workspace=workspace_of(command.get("team_id"), command.get("user_id")),
        channel=str(command.get("channel_id") or ""),
        user=str(command.get("user_id") or ""),
        lang=settings.language,
    )


async def handle_news(
    commands: Commands, settings: Settings, command: Mapping[str, Any], ack: AsyncAck
) -> None:
    """Ack at once, run the command in a thread, answer through the response_url once."""
    text = str(command.get("text") or "")
    ctx = command_context(command, settings)
    if Commands.is_slow(text):
        await ack(text=t("working", ctx.lang), response_type="ephemeral")
    else:
        await ack()
    try:
        reply = await asyncio.to_thread(commands.handle, text, ctx)
    except Exception as exc:  # handle() already turns failures into replies; belt and braces
        log.error("slack: /news failed: %s", exc.__class__.__name__)
        reply = error(t("internal_error", ctx.lang))
    url = command.get("response_url")
    if not url:
        log.warning("slack: /news without a response_url; reply not sent")
        return
    await respond(str(url), reply, settings.language)
    if reply.image is not None:
        problem = await share_image(settings, str(command.get("channel_id") or ""), reply)
        if problem is not None:
            key = "image.may_arrive" if problem.uncertain else "image.not_shared"
            await respond(str(url), error(t(key, ctx.lang, reason=problem.reason)))


async def handle_confirm(
    commands: Commands, settings: Settings, body: Mapping[str, Any], ack: AsyncAck
) -> None:
    """A confirm button (a watch's preview → save): ack at once, run the command the button
    carries as the user who pressed it, and replace the preview with the answer."""
    await ack()
    actions = body.get("actions") or [{}]
    text = str(actions[0].get("value") or "")
    if not (text.startswith("watch ") and text.endswith(CONFIRM_WORD)):
        log.info("slack: ignored a confirm button that carries no watch to save")
        return
    user = body.get("user") or {}
    ctx = Context(
        platform="slack",
        workspace=str((body.get("team") or {}).get("id") or user.get("team_id") or ""),
        channel=str((body.get("channel") or {}).get("id") or ""),
        user=str(user.get("id") or ""),
        lang=settings.language,
    )
    reply = await asyncio.to_thread(commands.handle, text, ctx)
    url = body.get("response_url")
    if url:
        await respond(str(url), reply, settings.language, replace=True)


@dataclass(frozen=True, slots=True)
class ImageProblem:
    reason: str
    uncertain: bool = False  # the share was sent and its answer lost: it may still arrive


async def share_image(settings: Settings, channel: str, reply: Reply) -> ImageProblem | None:
    """Share the reply's picture in ``channel`` (rules in the module docstring); None when it
    arrived, else why not (``uncertain`` when the answer was lost after the share went out, a
    timeout: the picture may still show, and sharing again could show it twice)."""
    if not settings.slack_bot_token:
        return ImageProblem(not_set("SLACK_BOT_TOKEN"))
    (payload,) = [p for p in render_reply(reply) if "upload" in p]
    poster = SlackPoster(settings)
    key = "cmd-" + hashlib.sha256(f"{channel}|{wall_now().isoformat()}".encode()).hexdigest()[:12]
    try:
        for attempt in range(1, UPLOAD_TRIES + 1):
            try:
                shared = await poster.post_part(channel, payload, key=key, part=0, parts=1)
                if shared.startswith("skipped:"):
                    return ImageProblem(shared.removeprefix("skipped:"))
                return None
            except TemporaryFailure as exc:
                wait = exc.retry_after
                if exc.uncertain:
                    return ImageProblem(exc.reason, uncertain=True)
                if wait is None or wait > MAX_RATE_WAIT or attempt == UPLOAD_TRIES:
                    return ImageProblem(exc.reason)
                log.info("slack: picture upload rate limited; trying again in %.0f s", wait)
                await asyncio.sleep(wait)
            except DeliveryError as exc:
                return ImageProblem(exc.reason)
    finally:
        await poster.close()
    return None


def response_payloads(reply: Reply, lang: str = "ko") -> list[Payload]:
    """The payloads for a response_url: at most :data:`MAX_RESPONSES`, each with its
    ``response_type``; the last one says how many messages were left out, if any."""
    payloads = [p for p in render_reply(reply) if "upload" not in p]  # pictures: share_image
    if len(payloads) > MAX_RESPONSES:
        left = len(payloads) - MAX_RESPONSES
        payloads = payloads[:MAX_RESPONSES]
        last = dict(payloads[-1])
        blocks = list(last["blocks"])
        note = context(t("left_out", lang, n=left))
        last["blocks"] = [*blocks[: MAX_BLOCKS - 1], note]
        payloads[-1] = last
    kind = "ephemeral" if reply.ephemeral else "in_channel"
    return [{**p, "response_type": kind} for p in payloads]


async def respond(url: str, reply: Reply, lang: str = "ko", *, replace: bool = False) -> int:
    """Post the reply to a response_url; returns how many messages arrived.  Failures are
    logged (without the URL) and not retried, except after HTTP 429."""
    client = AsyncWebhookClient(
        url=url, retry_handlers=[RetryAfterHandler()], logger=_webhook_logger()
    )
    sent = 0
    payloads = response_payloads(reply, lang)
    if replace:  # the answer takes the place of the (ephemeral) message that asked
        payloads = [{"delete_original": True}, *payloads[: MAX_RESPONSES - 1]]
    for payload in payloads:
        try:
            response = await client.send_dict(payload)
        except Exception as exc:
            log.warning("slack: response_url post failed: %s", exc.__class__.__name__)
            break
        if response.status_code != 200:
            log.warning(
                "slack: response_url answered %s %s", response.status_code, str(response.body)[:80]
            )
            break
        sent += 1
    return sent


# -- HTTP and Socket Mode -------------------------------------------------------------------


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
                body = await request.content.read(MAX_BODY + 1)
        except TimeoutError:
            log.info(
                "slack: refused a request: its body did not arrive within %.0f s", BODY_TIMEOUT
            )
            return web.json_response({"error": "request timeout"}, status=408)
        if len(body) > MAX_BODY:
            return web.json_response({"error": "too large"}, status=413)
        reason = verify(
            secret,
            body,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )
        if reason:
            log.info("slack: refused a request: %s", reason)
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


async def start_socket_mode(bolt_app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    """Connect over Socket Mode; the caller closes the handler (``await h.close_async()``).

    The app token is tried once first, so a bad one raises :class:`SlackTokenError` instead of
    slack-sdk's endless reconnect loop."""
    handler = AsyncSocketModeHandler(bolt_app, app_token, logger=_bolt_logger())
    try:
        handler.client.wss_uri = await handler.client.issue_new_wss_url()
    except Exception as exc:
        await handler.close_async()
        raise _token_error("SLACK_APP_TOKEN", exc) from None
    await handler.connect_async()
    log.info("slack: connected in Socket Mode")
    return handler


async def run_socket_mode(bolt_app: AsyncApp, app_token: str) -> None:
    """Run Socket Mode until cancelled, then disconnect."""
    handler = await start_socket_mode(bolt_app, app_token)
    try:
        await asyncio.Event().wait()
    finally:
        await handler.close_async()


# -- token check ----------------------------------------------------------------------------


class SlackTokenError(Exception):
    """The bot token cannot be used; the message names the variable, never the token."""

    def __init__(self, message: str, temporary: bool = False) -> None:
        super().__init__(message)
        self.temporary = temporary


def _token_error(variable: str, exc: Exception) -> SlackTokenError:
    code = api_error(exc)
    failure = classify(exc)  # re-raises what is not a Slack or network error
    if code and not isinstance(failure, TemporaryFailure):
        return SlackTokenError(f"{variable} was rejected by Slack ({code})")
    return SlackTokenError(f"cannot reach the Slack API: {failure.reason}", temporary=True)


async def check_token(settings: Settings) -> dict[str, Any]:
    """``auth.test`` with SLACK_BOT_TOKEN: the bot's identity (``team_id``, ``user_id``…), or
    :class:`SlackTokenError` ("SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)")."""
    if not settings.slack_bot_token:
        raise SlackTokenError(not_set("SLACK_BOT_TOKEN"))
    try:
        response = await web_client(settings).auth_test()
    except Exception as exc:
        raise _token_error("SLACK_BOT_TOKEN", exc) from None
    return dict(response.data) if isinstance(response.data, dict) else {}
