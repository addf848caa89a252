"""Posting replies to Slack channels: :class:`SlackPoster`, the Slack :class:`~bot.chat.base.Poster`.

Rules:

* The Web API client is ``AsyncWebClient(token=SLACK_BOT_TOKEN, base_url=SLACK_API_URL)``.
  For ``auth.test`` and the like it has one retry handler, :class:`RetryAfterHandler`: on HTTP
  429 it waits what ``Retry-After`` says (seconds or an HTTP date; a missing or malformed header
  counts as 1 s) and tries again, at most :data:`RATE_LIMIT_RETRIES` times and only when the
  wait is at most :data:`MAX_RATE_WAIT` seconds.  The poster's client has none: a 429 is a
  :class:`~bot.chat.base.TemporaryFailure` with ``retry_after``, and the outbox's sender waits
  (claiming the row again before it posts once more).
* There is deliberately **no** connection-error retry handler: a post whose connection broke may
  have arrived, and posting it again would show it twice.  Such a failure is a
  ``TemporaryFailure`` whose reason says so; the caller decides.
* Messages go out with ``parse=none``, ``link_names=false`` and unfurling off, so nothing in a
  reply becomes a mention or a preview (the renderer has escaped the text already), and carry
  ``metadata`` (``newsbot_delivery``: the delivery key and part number).  When a part's earlier
  post was interrupted (a broken connection, a process that died or froze mid-post),
  :meth:`SlackPoster.find_part` looks for that metadata in ``conversations.history`` before the
  part is posted again (this needs the ``channels:history`` / ``groups:history`` scopes; without
  them one message may show twice, and a warning says so).
* Pictures (a part ``{"upload": …}``) go up with the files API v2: ``files.getUploadURLExternal``,
  the bytes POSTed to the URL it gives (a capability: never logged), then
  ``files.completeUploadExternal`` shares the file in the channel.  Only the last step posts
  anything, so a failure before it (a 429 included) leaves nothing behind and the part is tried
  again whole; the file's name carries the delivery key and part
  (``trend-outbox-12-1.png``), which is what :meth:`SlackPoster.find_part` looks for when the
  last step may have arrived.  A channel that refuses pictures (no ``files:write`` scope, the bot
  not a member: the codes of :data:`BROKEN`) is not paused for it: the picture is skipped with
  one warning line naming the channel and the code, the part counts as done (its id is
  ``skipped:<code>``), and the channel's digests and alerts go on.
* Errors: the codes in :data:`BROKEN` (bad token, channel gone, bot not in channel, archived,
  missing scope…) raise :class:`~bot.chat.base.DestinationBroken` after one log line naming the
  channel and the code; rate limits beyond the retries, 5xx and connection errors raise
  ``TemporaryFailure``; any other ``ok: false`` (the message itself was refused) raises
  :class:`~bot.chat.base.DeliveryError`.  The token is never logged.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat.base import DeliveryError, DestinationBroken, Poster, TemporaryFailure
from bot.chat.slack.render import Payload, render_reply
from bot.config.settings import Settings
from bot.core.http import parse_retry_after
from bot.present.reply import Reply

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
MAX_RATE_WAIT = 30.0
DEFAULT_RETRY_AFTER = 1.0
REQUEST_TIMEOUT = 20.0  # one Web API call; a part's claim outlasts it (bot.delivery.sender)
EVENT_TYPE = "newsbot_delivery"  # message metadata: which delivery and part a message is
HISTORY_PAGES = 5  # pages of 200 messages looked through for an interrupted part
BROKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "not_allowed_token_type",
        "team_access_not_granted",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "missing_scope",
        "restricted_action",
        "restricted_action_read_only_channel",
        "ekm_access_denied",
        "access_denied",
    }
)
TEMPORARY = frozenset(
    {"ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"}
)


def retry_wait(headers: Any) -> float:
    """How long a rate-limited request waits: ``Retry-After``, or a second when it is missing or
    malformed."""
    seconds = parse_retry_after(_header(headers, "retry-after"))
    return DEFAULT_RETRY_AFTER if seconds is None else seconds


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            if isinstance(value, list):
                return str(value[0]) if value else None
            return str(value)
    return None


class RetryAfterHandler(AsyncRetryHandler):
    """Retries HTTP 429 after ``Retry-After`` seconds; tolerates a malformed header.

    Unlike slack-sdk's stock handler it never crashes on ``Retry-After: soon`` (it waits
    :data:`DEFAULT_RETRY_AFTER`), adds no jitter, and gives up (so the caller can reschedule)
    when the server asks for more than ``max_wait`` seconds."""

    def __init__(
        self, max_retry_count: int = RATE_LIMIT_RETRIES, max_wait: float = MAX_RATE_WAIT
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def wait_for(self, response: HttpResponse) -> float:
        return retry_wait(response.headers)

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return self.wait_for(response) <= self.max_wait

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        delay = self.wait_for(response) if response is not None else DEFAULT_RETRY_AFTER
        log.info("slack: rate limited, retrying in %.1f s", delay)
        await asyncio.sleep(delay)
        state.increment_current_attempt()


def web_client(
    settings: Settings, token: str | None = None, *, wait_rate_limits: bool = True
) -> AsyncWebClient:
    """The Web API client of newsbot's Slack parts: no connection-error retries ever, and
    rate-limit retries unless ``wait_rate_limits`` is off (the poster's client: the outbox's
    sender waits itself, and claims the row again before posting once more)."""
    return AsyncWebClient(
        token=token if token is not None else settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=int(REQUEST_TIMEOUT),
        retry_handlers=[RetryAfterHandler()] if wait_rate_limits else [],
    )


def api_error(exc: Exception) -> str | None:
    """The Web API's error code (``invalid_auth``…) when ``exc`` is an ``ok: false`` answer."""
    if not isinstance(exc, SlackApiError):
        return None
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    code = data.get("error")
    return str(code) if code else None


def classify(exc: Exception) -> DeliveryError:
    """The delivery error for a failed Web API call; other exceptions propagate."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        data = response.data if isinstance(response.data, dict) else {}
        code = str(data.get("error") or f"http_{response.status_code}")
        if response.status_code == 429 or code == "ratelimited":
            wait = retry_wait(response.headers)
            return TemporaryFailure("ratelimited", retry_after=wait)
        if code in BROKEN:
            return DestinationBroken(code)
        if response.status_code >= 500 or code in TEMPORARY or not data:
            return TemporaryFailure(code)
        return DeliveryError(f"slack refused the message: {code}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return TemporaryFailure("cannot connect to the Slack API")
    if isinstance(exc, (aiohttp.ClientError, TimeoutError, OSError, SlackClientError)):
        return TemporaryFailure(
            f"connection to the Slack API failed ({exc.__class__.__name__}); "
            "the message may or may not have arrived",
            uncertain=True,
        )
    raise exc


def upload_name(filename: str, key: str, part: int) -> str:
    """``trend.png`` as part 1 of ``outbox-12``: ``trend-outbox-12-1.png``."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    return f"{stem}-{key}-{part}{dot}{ext}"


def is_upload_of(name: str, key: str, part: int) -> bool:
    return re.search(rf"-{re.escape(key)}-{part}(\.\w+)?$", name) is not None


def _failure(exc: Exception, channel: str, *, uncertain: bool = True) -> DeliveryError:
    """The delivery error of a failed call to post in ``channel``, logged at the right level."""
    error = classify(exc)
    if not uncertain and isinstance(error, TemporaryFailure):
        error.uncertain = False  # nothing was shared yet
    if isinstance(error, DestinationBroken):  # the caller says so, once (it pauses)
        log.debug("slack: cannot post to %s: %s", channel, error.reason)
    elif isinstance(error, TemporaryFailure) and error.retry_after is not None:
        log.debug("slack: post to %s rate limited (%.0f s)", channel, error.retry_after)
    else:
        log.warning("slack: post to %s failed: %s", channel, error.reason)
    return error


def _skipped(error: DeliveryError, channel: str) -> str:
    """A picture the channel refuses is skipped (rules in the module docstring); any other
    failure is raised for the sender to retry."""
    if not isinstance(error, DestinationBroken):
        raise error
    log.warning(
        "slack: picture not shared in %s (%s): grant files:write and invite the bot to the "
        "channel; the rest is posted",
        channel,
        error.reason,
    )
    return f"skipped:{error.reason}"


async def _send_bytes(url: str, data: bytes) -> None:
    """POST a file's bytes to the upload URL Slack gave (never logged: it is a capability)."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(
                url, data=data, headers={"Content-Type": "application/octet-stream"}
            ) as response,
        ):
            if response.status == 429:
                wait = retry_wait(response.headers)
                raise TemporaryFailure("ratelimited", retry_after=wait)
            if response.status != 200:
                raise TemporaryFailure(f"slack file upload answered HTTP {response.status}")
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise TemporaryFailure(f"slack file upload failed ({exc.__class__.__name__})") from None


class SlackPoster(Poster):
    """Posts replies with ``chat.postMessage``; see the module docstring for the rules."""

    platform = "slack"

    def __init__(self, settings: Settings, client: AsyncWebClient | None = None) -> None:
        self.settings = settings
        self._own_client = client is None
        self.client = client or web_client(settings, wait_rate_limits=False)
        self._history_refused = False

    def render(self, reply: Reply) -> list[dict[str, Any]]:
        return render_reply(reply)

    async def post_part(
        self, channel: str, payload: Payload, *, key: str, part: int, parts: int
    ) -> str:
        """Post one payload; returns the message ts (a picture's file id)."""
        if "upload" in payload:
            return await self.upload(channel, payload["upload"], key=key, part=part)
        try:
            response = await self.client.chat_postMessage(
                channel=channel,
                text=payload["text"],
                blocks=payload["blocks"],
                parse="none",
                link_names=False,
                unfurl_links=False,
                unfurl_media=False,
                metadata={
                    "event_type": EVENT_TYPE,
                    "event_payload": {"key": key, "part": part, "parts": parts},
                },
            )
        except Exception as exc:
            raise _failure(exc, channel) from None
        ts = response.get("ts")
        if not ts:
            raise TemporaryFailure("slack answered without a message ts")
        return str(ts)

    async def upload(self, channel: str, upload: dict[str, Any], *, key: str, part: int) -> str:
        """Share a picture in ``channel`` (files API v2; rules in the module docstring);
        returns the file id."""
        data: bytes = upload["data"]
        name = upload_name(str(upload["filename"]), key, part)
        try:
            grant = await self.client.files_getUploadURLExternal(
                filename=name, length=len(data), alt_txt=upload.get("alt") or None
            )
        except Exception as exc:
            return _skipped(_failure(exc, channel, uncertain=False), channel)
        file_id, url = str(grant["file_id"]), str(grant["upload_url"])
        await _send_bytes(url, data)
        try:
            await self.client.files_completeUploadExternal(
                files=[{"id": file_id, "title": str(upload.get("title") or name)}],
                channel_id=channel,
            )
        except Exception as exc:
            return _skipped(_failure(exc, channel), channel)
        return file_id

    async def find_part(self, channel: str, *, key: str, part: int) -> str | None:
        """Look among the channel's latest messages (``conversations.history`` with metadata,
        newest first, :data:`HISTORY_PAGES` pages) for the message of this part.  Without the
        history scopes (or on any error) it cannot tell: None, after one warning line."""
        if self._history_refused:
            return None
        cursor: str | None = None
        try:
            for _page in range(HISTORY_PAGES):
                response = await self.client.conversations_history(
                    channel=channel,
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
                for message in response.get("messages") or []:
                    meta = message.get("metadata") or {}
                    data = meta.get("event_payload") or {}
                    if (
                        meta.get("event_type") == EVENT_TYPE
                        and data.get("key") == key
                        and data.get("part") == part
                        and message.get("ts")
                    ):
                        return str(message["ts"])
                    for shared in message.get("files") or []:  # a picture of this part
                        if is_upload_of(str(shared.get("name") or ""), key, part):
                            return str(shared.get("id") or message.get("ts"))
                cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return None
        except Exception as exc:
            code = api_error(exc)
            reason = code or exc.__class__.__name__
            self._history_refused = code is not None  # a refusal stays; a network error may not
            log.warning(
                "slack: cannot read %s's history (%s): a message whose post was interrupted "
                "may show twice (grant channels:history and groups:history to avoid it)",
                channel,
                reason,
            )
        return None

    async def close(self) -> None:
        session = self.client.session
        if self._own_client and session is not None and not session.closed:
            await session.close()
