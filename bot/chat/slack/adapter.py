"""The Slack app: the ``/news`` slash command over HTTP (``POST /slack/events``) or Socket Mode.

The adapter is thin, as bolt's: it wires bolt (``/news`` and the confirm button), acks within
3 s and runs the command in a worker thread, runs Socket Mode, and checks the token.  Around it:

* :mod:`bot.chat.slack.verify`: the signature check, once per request (an HTTP request is
  checked before anything parses it; the same check runs inside bolt for a request that reached
  it any other way; Socket Mode requests are not signed);
* :mod:`bot.chat.slack.routes`: ``POST /slack/events`` and its limits (body size, body time,
  a signed body that is not something Slack sends);
* :mod:`bot.chat.slack.replies`: the answer through the ``response_url`` (exactly once, at most
  five messages) and the picture shared in the channel (the sender's retry rule).

Rules kept here:

* **Ack within 3 s.**  ``/news`` acknowledges at once: with an ephemeral "working…" line for
  slow sub-commands (:meth:`Commands.is_slow`), empty otherwise.  The command then runs in a
  worker thread (``asyncio.to_thread``) and its reply goes to the ``response_url``.
* **No request bodies in logs.**  They carry the ``response_url`` (a bearer capability).  Bolt
  gets a logger whose filter blanks any record mentioning one; our own lines never include
  bodies, URLs of responses or tokens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.chat.base import TemporaryFailure, not_set
from bot.chat.commands import Commands, Context
from bot.chat.commands.core import workspace_of
from bot.chat.slack.post import api_error, classify, web_client
from bot.chat.slack.render import CONFIRM_ACTION
from bot.chat.slack.replies import respond, share_image
from bot.chat.slack.verify import SignatureCheck
from bot.config.settings import Settings
from bot.core.logcause import cause
from bot.present.i18n import t
from bot.present.reply import error
from bot.services.context import ServiceContext
from bot.services.watches import CONFIRM_WORD

log = logging.getLogger(__name__)

# -- logging ----------------------------------------------------------------------------------


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


class _OneLine(logging.Filter):
    """Bolt's own lines kept to one: its "Unhandled request" warning goes on with a listener
    snippet to paste ("[Suggestion] ... @app.command(...)") over several lines; the operator's
    log gets the first line only."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        if "\n" in message:
            first = message.split("\n", 1)[0].strip()
            record.msg, record.args = "%s (more lines left out)", (first[:300],)
        return True


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("bot.chat.slack_bolt")
    for kind in (_NoResponseUrls, _NoTokenNotice, _OneLine):
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
    return logger


# -- the app --------------------------------------------------------------------------------


class NewsbotBolt(AsyncApp):
    """The bolt app, remembering what :func:`add_slack_routes` needs."""

    signing_secret: str | None = None


def build_bolt_app(app: ServiceContext, commands: Commands) -> NewsbotBolt:
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
        log.error("slack: handling a request failed: %s", cause(error))

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


# -- Socket Mode ----------------------------------------------------------------------------


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
