"""Canonical URLs: one article, one URL, whatever campaign link brought it (the private-address
guard is :mod:`bot.ingest.netguard`).

Rules:

- scheme and host lower-case, a trailing dot dropped from the host, default port (80 / 443)
  dropped, an empty path becomes ``/``; the path keeps its case;
- the fragment is dropped;
- tracking parameters are dropped: every ``utm_*`` and the names in :data:`TRACKING_PARAMS`
  (compared case-insensitively); the remaining query parameters are sorted (stable, so repeated
  keys keep their order), blank values kept.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
        "igshid", "yclid", "ysclid", "_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking",
        "ref_src", "ref_url", "spm", "scm", "_ga", "_gl", "mkt_tok", "vero_id", "vero_conv",
        "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "wickedid", "twclid", "ttclid",
        "li_fat_id", "epik", "cmpid", "sr_share", "at_medium", "at_campaign", "ito", "ncid",
        "ocid", "trk", "trkcampaign", "guccounter", "guce_referrer", "guce_referrer_sig",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of ``url`` (rules in the module docstring).

    Never raises: a string that does not parse as a URL comes back stripped but otherwise as is.
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return raw
    if not scheme or not host:
        return raw
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if parts.username is not None or parts.password is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{host}"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = parts.path or ("/" if scheme in _DEFAULT_PORTS else "")
    query = ""
    if parts.query:
        # Keep each parameter exactly as written; filter and sort on the decoded name.
        named = [(unquote_plus(seg.split("=", 1)[0]), seg) for seg in parts.query.split("&") if seg]
        kept = sorted((p for p in named if not _is_tracking(p[0])), key=lambda p: p[0])
        query = "&".join(seg for _, seg in kept)
    return urlunsplit((scheme, netloc, path, query, ""))
