"""What every chat platform's poster offers the rest of newsbot.

A poster turns a :class:`~bot.present.reply.Reply` into one or more platform messages
(``render``) and posts them one part at a time (``post_part``).  The parts of a reply are
deterministic, so a delivery interrupted after part *k* resumes at part *k+1* (the outbox keeps
``parts_sent``), and each part carries a stable mark of its delivery and number (Slack message
metadata, Discord's ``nonce``), by which ``find_part`` can tell whether an earlier attempt at a
part arrived.

Errors: :class:`DestinationBroken` means the destination cannot take posts until a human acts
(invalid token, channel gone, bot not in channel, archived, missing permission): the caller pauses
the destination and says so once.  :class:`TemporaryFailure` means try again later (after
``retry_after`` seconds when known).  A poster never retries a post blindly after a connection
error, because the first attempt may have arrived: it says so (``uncertain``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.present.i18n import t
from bot.present.reply import Reply


def not_set(variable: str) -> str:
    """The one wording of a missing token or secret, as logs and errors say it
    (``SLACK_BOT_TOKEN is not set``): the message ``post.no_token`` that ``--post`` shows."""
    return t("post.no_token", "en", variable=variable)


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DestinationBroken(DeliveryError):
    """Auth or permission problem: pause the destination."""


class TemporaryFailure(DeliveryError):
    """Network trouble, 5xx, rate limits beyond what the client waited for: retry later.
    ``uncertain``: the connection broke after the request went out, so the message may have
    arrived (whoever posts that part next looks for it first)."""

    def __init__(
        self, reason: str, retry_after: float | None = None, *, uncertain: bool = False
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.uncertain = uncertain


INLINE_WAIT = 30.0  # a Retry-After up to this long is waited out in place


def wait_in_place(exc: DeliveryError) -> float | None:
    """The one retry rule for a part the platform refused for now: the seconds to wait before
    posting it again in place (a rate limit's Retry-After of at most :data:`INLINE_WAIT`), or
    None: not again in place (the outbox sender puts the row off and backs off; a command's
    picture share says why).  Never after an ``uncertain`` failure: the part may have arrived."""
    if not isinstance(exc, TemporaryFailure) or exc.uncertain or exc.retry_after is None:
        return None
    return exc.retry_after if exc.retry_after <= INLINE_WAIT else None


PartSent = Callable[[int, str], None]  # (part index, platform message id)


class Poster:
    """A platform's poster: subclasses render replies and post one part at a time."""

    platform: str

    def render(self, reply: Reply) -> list[dict[str, Any]]:
        """The message payloads of a reply, in order (deterministic)."""
        raise NotImplementedError

    async def post_part(
        self, channel: str, payload: dict[str, Any], *, key: str, part: int, parts: int
    ) -> str:
        """Post one payload (part ``part`` of ``parts`` of delivery ``key``); the platform's
        message id.  Raises the errors above."""
        raise NotImplementedError

    async def find_part(self, channel: str, *, key: str, part: int) -> str | None:
        """The id of part ``part`` of delivery ``key`` if it is already among ``channel``'s
        recent messages, or None: not there, or this platform cannot tell."""
        return None

    async def send(
        self,
        channel: str,
        reply: Reply,
        *,
        key: str,
        start_part: int = 0,
        on_part: PartSent | None = None,
    ) -> list[str]:
        """Post parts ``start_part``… of ``reply`` in order, telling ``on_part(i, id)`` as soon
        as each one arrived; returns their message ids.  (The outbox's sender posts part by
        part itself, claiming the row before each one.)"""
        payloads = self.render(reply)
        ids: list[str] = []
        for index in range(start_part, len(payloads)):
            message_id = await self.post_part(
                channel, payloads[index], key=key, part=index, parts=len(payloads)
            )
            ids.append(message_id)
            if on_part is not None:
                on_part(index, message_id)
        return ids

    async def close(self) -> None:
        return None
