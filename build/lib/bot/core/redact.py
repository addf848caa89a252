"""Hiding credentials in URLs before they are shown or logged (database URLs, feed URLs)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

HIDDEN = "***"
SECRET_PARAMS = frozenset(
    {"password", "passwd", "pass", "pwd", "sslpassword", "token", "access_token", "secret",
     "api_key", "apikey", "key", "auth", "signature", "sig"}
)  # fmt: skip
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)([^/?#@]*)@", re.I)


def redact_url(url: str) -> str:
    """``url`` with the password of its user info and the values of secret-looking query
    parameters replaced by ``***`` (``postgresql://u:***@h/db?password=***``).  Anything that
    does not parse is cut after the scheme rather than shown."""
    shown = _USERINFO.sub(
        lambda m: (
            m.group(1)
            + (m.group(2).split(":", 1)[0] + ":" + HIDDEN if ":" in m.group(2) else m.group(2))
            + "@"
        ),
        url,
        count=1,
    )
    try:
        parts = urlsplit(shown)
    except ValueError:
        return shown.split("://", 1)[0] + "://" + HIDDEN
    if not parts.query:
        return shown
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(k.lower() in SECRET_PARAMS for k, _ in pairs):
        return shown
    query = urlencode(
        [(k, HIDDEN if k.lower() in SECRET_PARAMS else v) for k, v in pairs], safe="*"
    )
    return urlunsplit(parts._replace(query=query))
