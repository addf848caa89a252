"""A ``/news`` answer on its way back to Slack: the messages through the command's
``response_url``, the picture shared in its channel.

* A ``response_url`` is posted to exactly once per message: the webhook client retries only on
  HTTP 429, never after a connection error.  A reply is ephemeral unless ``reply.ephemeral`` is
  False (then ``in_channel``).  Slack accepts :data:`MAX_RESPONSES` posts per ``response_url``; a
  reply of more messages than that sends the first ones and ends with a line saying how many
  were left out.
* Pictures (``/news trend``) cannot go through a ``response_url``: the bot shares them in the
  command's channel with the files API v2 (:meth:`bot.chat.slack.post.SlackPoster.upload`),
  after the text.  A refusal for now is retried by the outbox sender's rule
  (:func:`bot.chat.base.wait_in_place`: a Retry-After of up to 30 s is waited out), at most
  :data:`UPLOAD_TRIES` tries in all; nothing was shared by the refused try, so it shows once.
  If the channel refuses (the bot is not in it, no token), the user is told so.
* The webhook client's log lines below WARNING are dropped: they hold the ``response_url`` (a
  bearer capability).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.chat.base import DeliveryError, TemporaryFailure, not_set, wait_in_place
from bot.chat.posters import make_poster
from bot.chat.slack.post import RetryAfterHandler
from bot.chat.slack.render import MAX_BLOCKS, Payload, context, render_reply
from bot.config.settings import Settings
from bot.core.clock import wall_now
from bot.present.i18n import t
from bot.present.reply import Reply

log = logging.getLogger(__name__)

MAX_RESPONSES = 5
UPLOAD_TRIES = 3


class _Quiet(logging.Filter):
    """Drops every record below WARNING (the webhook client's debug lines hold the URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def _webhook_logger() -> logging.Logger:
    logger = logging.getLogger("bot.chat.slack_response")
    if not any(isinstance(f, _Quiet) for f in logger.filters):
        logger.addFilter(_Quiet())
    return logger


@dataclass(frozen=True, slots=True)
class ImageProblem:
    reason: str
    uncertain: bool = False  # the share was sent and its answer lost: it may still arrive


async def share_image(settings: Settings, channel: str, reply: Reply) -> ImageProblem | None:
    """Share the reply's picture in ``channel`` (rules in the module docstring); None when it
    arrived, else why not (``uncertain`` when the answer was lost after the share went out, a
    timeout: the picture may still show, and sharing again could show it twice)."""
    if not settings.slack_bot_token:
        return ImageProblem(not_set("SLACK_BOT_TOKEN"))
    (payload,) = [p for p in render_reply(reply) if "upload" in p]
    poster = make_poster("slack", settings)
    key = "cmd-" + hashlib.sha256(f"{channel}|{wall_now().isoformat()}".encode()).hexdigest()[:12]
    try:
        for attempt in range(1, UPLOAD_TRIES + 1):
            try:
                shared = await poster.post_part(channel, payload, key=key, part=0, parts=1)
            except DeliveryError as exc:
                wait = wait_in_place(exc)
                if wait is None or attempt == UPLOAD_TRIES:
                    uncertain = isinstance(exc, TemporaryFailure) and exc.uncertain
                    return ImageProblem(exc.reason, uncertain=uncertain)
                log.info("slack: picture upload rate limited; trying again in %.0f s", wait)
                await asyncio.sleep(wait)
                continue
            if shared.startswith("skipped:"):
                return ImageProblem(shared.removeprefix("skipped:"))
            return None
    finally:
        await poster.close()
    return None


def response_payloads(reply: Reply, lang: str = "ko") -> list[Payload]:
    """The payloads for a response_url: at most :data:`MAX_RESPONSES`, each with its
    ``response_type``; the last one says how many messages were left out, if any."""
    payloads = [p for p in render_reply(reply) if "upload" not in p]  # pictures: share_image
    if len(payloads) > MAX_RESPONSES:
        left = len(payloads) - MAX_RESPONSES
        payloads = payloads[:MAX_RESPONSES]
        last = dict(payloads[-1])
        blocks = list(last["blocks"])
        note = context(t("left_out", lang, n=left))
        last["blocks"] = [*blocks[: MAX_BLOCKS - 1], note]
        payloads[-1] = last
    kind = "ephemeral" if reply.ephemeral else "in_channel"
    return [{**p, "response_type": kind} for p in payloads]


async def respond(url: str, reply: Reply, lang: str = "ko", *, replace: bool = False) -> int:
    """Post the reply to a response_url; returns how many messages arrived.  Failures are
    logged (without the URL) and not retried, except after HTTP 429."""
    client = AsyncWebhookClient(
        url=url, retry_handlers=[RetryAfterHandler()], logger=_webhook_logger()
    )
    sent = 0
    payloads = response_payloads(reply, lang)
    if replace:  # the answer takes the place of the (ephemeral) message that asked
        payloads = [{"delete_original": True}, *payloads[: MAX_RESPONSES - 1]]
    for payload in payloads:
        try:
            response = await client.send_dict(payload)
        except Exception as exc:
            log.warning("slack: response_url post failed: %s", exc.__class__.__name__)
            break
        if response.status_code != 200:
            log.warning(
                "slack: response_url answered %s %s", response.status_code, str(response.body)[:80]
            )
            break
        sent += 1
    return sent
