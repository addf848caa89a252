"""Slack request verification, in one place (as bolt's ``SignatureVerifier``): the
``X-Slack-Request-Timestamp`` must be an integer within :data:`MAX_SKEW` seconds of now and
``X-Slack-Signature`` must equal ``v0=`` HMAC-SHA256(signing secret, ``v0:{ts}:{body}``).

Each request is checked once: by the HTTP route (:mod:`bot.chat.slack.routes`) before anything
parses the body, which hands bolt a request marked as checked (:func:`checked_context`); or, for
a request that reached bolt some other way, by :class:`SignatureCheck` inside bolt (in place of
bolt's own check, which logs bodies and answers 500 on a non-numeric timestamp).  A refusal is
one log line naming the reason, never the body.  Socket Mode requests come over the app-token
WebSocket and are not signed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.core.clock import wall_now

log = logging.getLogger(__name__)

MAX_SKEW = 300
CHECKED = "newsbot_signature_checked"
_MARK = object()  # only this process can put it in a request's context


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` (what Slack sends)."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify(
    secret: str | None,
    body: bytes,
    timestamp: str | None,
    sig: str | None,
    now: float | None = None,
) -> str | None:
    """Why the request must be refused, or None when it is genuine.  Never raises."""
    if not secret:
        return "no signing secret configured"
    if not timestamp or not sig:
        return "missing signature headers"
    ts = timestamp.strip()
    if not ts.isascii() or not ts.isdigit() or len(ts) > 12:
        return "malformed timestamp"
    now = wall_now().timestamp() if now is None else now
    if abs(now - int(ts)) > MAX_SKEW:
        return "stale timestamp"
    if not hmac.compare_digest(signature(secret, ts, body), sig.strip()):
        return "bad signature"
    return None


def _first(headers: Mapping[str, Any], name: str) -> str | None:
    value = headers.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value)


def refusal(secret: str | None, body: bytes, headers: Mapping[str, Any]) -> str | None:
    """:func:`verify` of a request's body and headers (any case; lists or strings), logging a
    refusal; None when it is genuine."""
    lower = {str(k).lower(): v for k, v in headers.items()}
    reason = verify(
        secret,
        body,
        _first(lower, "x-slack-request-timestamp"),
        _first(lower, "x-slack-signature"),
    )
    if reason:
        log.info("slack: refused a request: %s", reason)
    return reason


def checked_context() -> dict[str, Any]:
    """The context of a bolt request whose signature the HTTP route has just checked."""
    return {CHECKED: _MARK}


class SignatureCheck(AsyncMiddleware):
    """Bolt middleware: :func:`refusal` for a request not checked yet, answering 401 (Socket
    Mode requests skip it)."""

    def __init__(self, secret: str | None) -> None:
        self.secret = secret

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Any) -> Any:
        if req.mode == "socket_mode" or req.context.get(CHECKED) is _MARK:
            return await next()
        if refusal(self.secret, req.raw_body.encode(), req.headers):
            return BoltResponse(status=401, body={"error": "invalid request"})
        return await next()
