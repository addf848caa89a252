"""Reading what reached the fake Slack and Discord: texts and the article ids shown."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers.fakes.discord_api import (
    Stored,
)
from tests.helpers.fakes.slack_api import texts

ITEM_REF = re.compile(r"(?<![\w#])#(\d+)\b")


def slack_text(body: dict[str, Any]) -> str:
    return "\n".join(texts(body.get("blocks") or []))


def slack_ids(body: dict[str, Any]) -> set[int]:
    """Item ids in a Slack message (each card's meta line ends with ``#id``)."""
    return {int(x) for x in ITEM_REF.findall(slack_text(body))}


def discord_ids(message: Stored) -> set[int]:
    return {int(x) for x in ITEM_REF.findall(message.visible())}
