"""``newsbot digest --post slack:CHANNEL`` / ``discord:CHANNEL_ID``: a one-off digest post."""

from __future__ import annotations

import asyncio
import hashlib

from bot.chat.base import DeliveryError, DestinationBroken, Poster
from bot.cli.common import UsageError, err, out
from bot.config.settings import Settings
from bot.present.compose import digest_reply
from bot.runtime.app import App
from bot.services.digests import Digest


def parse_target(target: str) -> tuple[str, str]:
    platform, sep, channel = target.partition(":")
    platform = platform.lower()
    if not sep or platform not in ("slack", "discord") or not channel.strip():
        raise UsageError(f"--post: expected slack:CHANNEL or discord:CHANNEL_ID, got {target!r}")
    if platform == "discord" and not channel.isdigit():
        raise UsageError(f"--post: a Discord channel id is a number, got {channel!r}")
    return platform, channel.strip()


def make_poster(platform: str, settings: Settings) -> Poster:
    """The poster for a platform, or a UsageError naming the missing token."""
    if platform == "slack":
        if not settings.slack_bot_token:
            raise UsageError("--post slack: SLACK_BOT_TOKEN is not set")
        from bot.chat.slack.post import SlackPoster

        return SlackPoster(settings)
    if not settings.discord_bot_token:
        raise UsageError("--post discord: DISCORD_BOT_TOKEN is not set")
    from bot.chat.discord.post import DiscordPoster

    return DiscordPoster(settings)


def post_digest(app: App, target: str, digest: Digest) -> int:
    platform, channel = parse_target(target)
    reply = digest_reply(digest, app.topics, app.settings.timezone, app.settings.language)
    poster = make_poster(platform, app.settings)
    key = (
        "cli-"
        + hashlib.sha256(
            f"{platform}:{channel}:{[i.id for i in digest.items]}".encode()
        ).hexdigest()[:16]
    )

    async def run() -> list[str]:
        try:
            return await poster.send(channel, reply, key=key)
        finally:
            await poster.close()

    try:
        ids = asyncio.run(run())
    except DestinationBroken as exc:
        err.print(
            f"error: {platform}:{channel}: cannot post: {exc.reason}", highlight=False, markup=False
        )
        return 1
    except DeliveryError as exc:
        err.print(f"error: {platform}:{channel}: {exc.reason}", highlight=False, markup=False)
        return 1
    out.print(
        f"posted {len(digest.entries)} stories to {platform}:{channel} in {len(ids)} message(s)",
        highlight=False,
    )
    return 0
