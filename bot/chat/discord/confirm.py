"""The Save button under a watch's preview on Discord: a dynamic item, so a button works on any
message that carries one (after a restart too).  Its custom_id holds a key; the command it
confirms is kept in the store under that key (a custom_id holds at most 100 characters, a
watch's words may be longer), and the adapter's client runs it as the user who pressed it."""

from __future__ import annotations

import hashlib
from typing import Any

import discord

CONFIRM_ID = "newsbot:confirm:"  # a confirm button's custom_id: this and the command's key


def confirm_key(command: str) -> str:
    """The key a confirm button carries for ``command`` (a custom_id holds 100 characters at
    most, a watch's words may be longer; the command itself is kept in the store)."""
    return hashlib.sha256(command.encode("utf-8")).hexdigest()[:32]


class ConfirmButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=CONFIRM_ID + r"(?P<key>[0-9a-f]{32})"
):
    """The Save button under a watch's preview.  A dynamic item: it works for any message that
    carries one, after a restart too, and runs the command stored under its key."""

    def __init__(self, key: str, label: str = "저장") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80], style=discord.ButtonStyle.success, custom_id=CONFIRM_ID + key
            )
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> ConfirmButton:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client: Any = interaction.client  # the adapter's NewsClient
        await client.confirm(interaction, self.key)
