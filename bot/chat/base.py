"""What every chat platform's poster offers the rest of newsbot.

A poster turns a :class:`~bot.reply.Reply` into one or more platform messages (``render``) and
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

from collections.abc import Callable
from typing import Any, Protocol

from bot.reply import Reply


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
