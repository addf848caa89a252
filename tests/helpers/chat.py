"""Reading what reached the fake Slack and Discord: texts and the article ids shown."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.helpers.fakes.discord_api import (
    Stored,
)
from tests.helpers.fakes.slack_api import texts

if TYPE_CHECKING:
    from bot.runtime.app import App

ITEM_REF = re.compile(r"(?<![\w#])#(\d+)\b")


def slack_text(body: dict[str, Any]) -> str:
    return "\n".join(texts(body.get("blocks") or []))


def slack_ids(body: dict[str, Any]) -> set[int]:
    """Item ids in a Slack message (each card's meta line ends with ``#id``)."""
    return {int(x) for x in ITEM_REF.findall(slack_text(body))}


def discord_ids(message: Stored) -> set[int]:
    return {int(x) for x in ITEM_REF.findall(message.visible())}


SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the Slack signing secret of the tests


def sign(body: bytes, ts: str | None = None, secret: str = SECRET) -> dict[str, str]:
    """The headers Slack sends with ``body``, signed with ``secret``."""
    ts = str(int(time.time())) if ts is None else ts
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def slash_body(
    text: str, response_url: str, channel: str = "C1", team: str = "T1", user: str = "U1"
) -> bytes:
    """A ``/news <text>`` slash command as Slack posts it (from ``team`` and ``user``)."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "kim",
            "command": "/news",
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    ).encode()


@asynccontextmanager
async def slack_endpoint(app: App) -> AsyncIterator[str]:
    """``app``'s Slack HTTP endpoint (bolt on aiohttp) served on 127.0.0.1; its events URL."""
    from aiohttp import web

    from bot.chat.commands import Commands
    from bot.chat.slack.adapter import build_bolt_app
    from bot.chat.slack.routes import make_web_app

    runner = web.AppRunner(make_web_app(build_bolt_app(app, Commands(app))))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/slack/events"
    finally:
        await runner.cleanup()
