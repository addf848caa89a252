"""The one way to build a platform's poster (``serve``, ``digest --post`` and the Slack picture
share all come here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.errors import UserError

if TYPE_CHECKING:
    from bot.chat.base import Poster
    from bot.config.settings import Settings


def make_poster(platform: str, settings: Settings, *, option: str | None = None) -> Poster:
    """The poster of ``platform`` (``slack`` or ``discord``), or a :class:`UserError` naming the
    missing token (``option``: the command-line option the error is about, if any)."""
    if platform == "slack":
        if not settings.slack_bot_token:
            raise UserError("post.no_token", option=option, variable="SLACK_BOT_TOKEN")
        from bot.chat.slack.post import SlackPoster

        return SlackPoster(settings)
    if platform == "discord":
        if not settings.discord_bot_token:
            raise UserError("post.no_token", option=option, variable="DISCORD_BOT_TOKEN")
        from bot.chat.discord.post import DiscordPoster

        return DiscordPoster(settings)
    raise ValueError(f"no poster for platform {platform!r}")
