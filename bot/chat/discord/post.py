"""Posting to Discord channels with discord.py's REST client only (no gateway).

:class:`DiscordPoster` implements :class:`bot.chat.base.Poster`:

- one login (``GET /users/@me``) per poster, on the first send; a rejected token is
  :class:`DestinationBroken` ("DISCORD_BOT_TOKEN was rejected by Discord (401)"), never showing
  the token;
- every message carries ``allowed_mentions: {"parse": []}`` and the embeds of
  :func:`bot.chat.discord.render.render_reply`, and a reply's picture as an attachment of its
  first message (multipart; discord.py sends the file again, from its start, on each retry);
- part *i* of a delivery carries the nonce :func:`nonce_for` ``(key, channel, i)`` (25 characters,
  stable) with ``enforce_nonce: true``, so Discord answers a repeated post of the same part with
  the message it already created instead of posting it twice;
- 429: discord.py's rate limiter waits ``retry_after`` and retries (up to
  :data:`MAX_RATELIMIT_WAIT` seconds; a longer wait is :class:`TemporaryFailure` with
  ``retry_after``);
- 5xx: discord.py sends the same request (same nonce) again, up to 5 tries in all; still
  failing is :class:`TemporaryFailure`.  A dropped connection or timeout (the message may have
  been stored) is retried here with the same nonce, at most ``retries`` more times, then
  :class:`TemporaryFailure`.  Discord keeps nonces for a few minutes only: a delivery resumed
  later relies on the outbox's ``parts_sent`` instead;
- 401, 403 (Missing Access / Permissions) and 404 (Unknown Channel): one warning log line naming
  the channel and the status, then :class:`DestinationBroken` (the caller pauses the
  destination); any other failure is :class:`TemporaryFailure`.  Except for a message with a
  picture refused with 403 (the bot may post but not Attach Files): it is sent again at once
  without the picture, after one warning line, and the channel is not paused;

``DISCORD_API_URL`` is applied by :func:`use_api_url`: discord.py builds every REST URL, the
interaction webhooks included, from the class attribute ``discord.http.Route.BASE`` (the one
place the library itself changes, in ``_set_api_version``), so that is what it sets.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from typing import Any

import aiohttp
import discord
from discord.http import HTTPClient, Route, handle_message_parameters

from bot.chat.base import DestinationBroken, Poster, TemporaryFailure, not_set
from bot.chat.discord.render import render_reply
from bot.config.settings import Settings
from bot.present.reply import Reply

log = logging.getLogger(__name__)

TOKEN_REJECTED = "DISCORD_BOT_TOKEN was rejected by Discord (401)"
MAX_RATELIMIT_WAIT = 60.0
NONCE_LENGTH = 25


def use_api_url(url: str) -> None:
    """Point discord.py's REST calls (``Route.BASE``) at ``url`` (DISCORD_API_URL)."""
    Route.BASE = url.rstrip("/")


def nonce_for(key: str, channel: str, part: int) -> str:
    """The nonce of part ``part`` of delivery ``key`` in ``channel``: 25 hex characters.
    Discord dedupes nonces per author across channels, so the channel is part of it."""
    return hashlib.sha256(f"{key}\x00{channel}\x00{part}".encode()).hexdigest()[:NONCE_LENGTH]


def embeds_of(payload: dict[str, Any]) -> list[discord.Embed]:
    return [discord.Embed.from_dict(e) for e in payload.get("embeds", [])]


def file_of(payload: dict[str, Any]) -> discord.File | None:
    """The payload's picture as a fresh :class:`discord.File` (one per send: it is read once)."""
    found = payload.get("file")
    if not found:
        return None
    return discord.File(
        io.BytesIO(found["data"]),
        filename=found["filename"],
        description=found.get("description") or None,
    )


def _detail(exc: discord.HTTPException) -> str:
    text = (exc.text or "").strip().replace("\n", " ")[:200]
    return (
        f"HTTP {exc.status}"
        + (f" {text}" if text else "")
        + (f" (code {exc.code})" if exc.code else "")
    )


async def login(settings: Settings) -> tuple[HTTPClient, dict[str, Any]]:
    """A logged-in REST client for ``settings`` (the caller closes it) and the bot user."""
    if not settings.discord_bot_token:
        raise DestinationBroken(not_set("DISCORD_BOT_TOKEN"))
    use_api_url(settings.discord_api_url)
    http = HTTPClient(asyncio.get_running_loop(), max_ratelimit_timeout=MAX_RATELIMIT_WAIT)
    try:
        me = await http.static_login(settings.discord_bot_token.strip())
    except discord.LoginFailure:
        await http.close()
        log.warning("discord: %s", TOKEN_REJECTED)
        raise DestinationBroken(TOKEN_REJECTED) from None
    except discord.HTTPException as exc:
        await http.close()
        raise TemporaryFailure(f"discord login failed: {_detail(exc)}") from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        await http.close()
        raise TemporaryFailure(f"discord unreachable: {exc.__class__.__name__}") from None
    return http, dict(me)


def without_picture(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload less its attachment and the embed image that showed it."""
    embeds = [{k: v for k, v in e.items() if k != "image"} for e in payload.get("embeds", [])]
    return {**{k: v for k, v in payload.items() if k != "file"}, "embeds": embeds}


class DiscordPoster(Poster):
    """Posts replies to Discord channels by id (see the module rules)."""

    platform = "discord"

    def __init__(self, settings: Settings, *, retries: int = 2, retry_delay: float = 2.0) -> None:
        self.settings = settings
        self.retries = retries
        self.retry_delay = retry_delay
        self._http: HTTPClient | None = None

    def render(self, reply: Reply) -> list[dict[str, Any]]:
        return render_reply(reply)

    async def post_part(
        self, channel: str, payload: dict[str, Any], *, key: str, part: int, parts: int
    ) -> str:
        channel = str(channel).strip()
        if not channel.isdigit():
            raise DestinationBroken(f"not a Discord channel id: {channel[:40]!r}")
        if self._http is None:
            self._http, _ = await login(self.settings)
        return await self._send_part(self._http, channel, payload, nonce_for(key, channel, part))

    async def _send_part(
        self, http: HTTPClient, channel: str, payload: dict[str, Any], nonce: str
    ) -> str:
        problem = "not sent"
        for attempt in range(self.retries + 1):
            if attempt:
                await asyncio.sleep(self.retry_delay * attempt)
            picture = file_of(payload)
            params = handle_message_parameters(
                content=payload.get("content") or discord.utils.MISSING,
                embeds=embeds_of(payload),
                file=picture if picture is not None else discord.utils.MISSING,
                nonce=nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            try:
                data = await http.send_message(channel, params=params)
                return str(data["id"])
            except discord.RateLimited as exc:
                raise TemporaryFailure(
                    f"discord: channel {channel}: rate limited", retry_after=exc.retry_after
                ) from None
            except discord.DiscordServerError as exc:  # discord.py already tried 5 times
                raise TemporaryFailure(f"discord: channel {channel}: {_detail(exc)}") from None
            except discord.HTTPException as exc:
                if exc.status == 403 and payload.get("file"):
                    log.warning(
                        "discord: channel %s refused the picture (%s): give the bot Attach "
                        "Files; sending the message without it",
                        channel,
                        _detail(exc),
                    )
                    return await self._send_part(http, channel, without_picture(payload), nonce)
                if exc.status in (401, 403, 404):
                    reason = TOKEN_REJECTED if exc.status == 401 else _detail(exc)
                    log.debug(  # the caller says so, once (it pauses)
                        "discord: channel %s: %s; pausing this destination", channel, reason
                    )
                    raise DestinationBroken(reason) from None
                raise TemporaryFailure(f"discord: channel {channel}: {_detail(exc)}") from None
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                problem = f"connection error {exc.__class__.__name__}"
        raise TemporaryFailure(f"discord: channel {channel}: {problem}", uncertain=True)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None
