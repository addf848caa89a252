"""What every chat platform's poster offers the rest of newsbot.

A poster turns a :class:`~bot.present.reply.Reply` into one or more platform messages (``render``) and
sends them (``send``).  The parts of a reply are deterministic, so a delivery interrupted after
part *k* resumes at part *k+1* (the outbox keeps ``parts_sent``), and each part carries a stable
key (Discord's ``nonce``) derived from the delivery.

Errors: :class:`DestinationBroken` means the destination cannot take posts until a human acts
(invalid token, channel gone, bot not in channel, archived, missing permission): the caller pauses
the destination and says so once.  :class:`TemporaryFailure` means try again later (after
``retry_after`` seconds when known).  A poster never retries a post blindly after a connection
error, because the first attempt may have arrived.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.present.reply import Reply


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DestinationBroken(DeliveryError):
    """Auth or permission problem: pause the destination."""


class TemporaryFailure(DeliveryError):
    """Network trouble, 5xx, rate limits beyond what the client waited for: retry later."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


PartSent = Callable[[int, str], None]  # (part index, platform message id)


async def post_parts(
    payloads: list[dict[str, Any]],
    start_part: int,
    post: Callable[[int, dict[str, Any]], Awaitable[str]],
    on_part: PartSent | None,
) -> list[str]:
    """Post ``payloads[start_part:]`` in order with ``post(index, payload)``, telling
    ``on_part`` about each one as soon as the platform confirmed it."""
    ids: list[str] = []
    for index in range(start_part, len(payloads)):
        message_id = await post(index, payloads[index])
        ids.append(message_id)
        if on_part is not None:
            on_part(index, message_id)
    return ids


class Poster(Protocol):
    platform: str

    def render(self, reply: Reply) -> list[dict[str, Any]]:
        """The message payloads of a reply, in order (deterministic)."""
        ...

    async def send(
        self,
        channel: str,
        reply: Reply,
        *,
        key: str,
        start_part: int = 0,
        on_part: PartSent | None = None,
    ) -> list[str]:
        """Post parts ``start_part``… of ``reply`` to ``channel``; returns their message ids.
        ``key`` identifies the delivery (Discord nonces are derived from it and the part)."""
        ...

    async def close(self) -> None: ...
