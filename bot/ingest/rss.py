"""RSS / Atom documents (bytes) to drafts.

Rules:

- Safety first: any DTD or entity declaration (``<!DOCTYPE``, ``<!ENTITY``...) before the root
  element is refused before anything is parsed (a cheap scan of the prolog), and the document is
  then run through defusedxml's expat reader with DTDs, entities and external references
  forbidden.  Billion-laughs, quadratic blowup and external entities are therefore refused in
  milliseconds with no expansion.  feedparser only ever sees bytes in a stream (never a URL or a
  path it might open).
- Encoding: valid UTF-8 wins; otherwise, when the declared charset is missing, UTF-8 or a Western
  single-byte one (labels Korean sites get wrong), bytes that decode as CP949 into mostly Hangul
  are read as CP949; otherwise :func:`bot.ingest.text.decode_bytes` decides.  feedparser gets
  UTF-8 with the XML declaration rewritten to say so.
- Malformed XML keeps whatever entries feedparser recovers; the problem is reported in
  ``error``, not fatal.  Nothing here raises.
- Entries: title and body are HTML-stripped, NFC text (the body is the longest of the content and
  summary); the link must be http(s) and gets a canonical form; dates go through
  :func:`bot.ingest.dates.parse_date` rules (missing / bad -> unknown, None: shown as
  collected that day, never as published then).  An entry with no
  title takes the first line of its body (at most 120 characters), then its link; an entry with
  no title, body or link is dropped.
- Identity: the guid; ``guid|canonical link`` for every entry whose guid the same document
  repeats with different links; no guid -> the canonical link; neither -> None.
- ``<ttl>`` (minutes) is reported when it is a positive integer.
"""

from __future__ import annotations

import io
import re
import time
import xml.sax
import xml.sax.handler
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import defusedxml
import defusedxml.sax
import feedparser

from bot.core.unicode import normalize_text
from bot.ingest.dates import sane_date, try_parse_date
from bot.ingest.text import (
    KOREAN_FAMILY,
    UndecodableError,
    decode_bytes,
    strip_html,
)
from bot.ingest.urls import canonical_url
from bot.store.drafts import Draft

REFUSED_DTD = "refused: the document declares a DTD or entities, which feeds never need"
NOT_A_FEED_HTML = "not a feed: this is an HTML page (add the site's RSS or Atom address)"
# an HTML page: <!DOCTYPE html> or <html> first (after a BOM, comments and an XML declaration)
_HTML_PAGE = re.compile(
    r"\A\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html\b|<html\b)",
    re.I | re.S,
)
_UNTRUSTED_LABELS = {
    "utf-8", "utf8", "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "windows-1252",
    "cp1252", "us-ascii", "ascii",
}  # fmt: skip
_XML_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_DECL_REWRITE = re.compile(r"^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)([\"'])[^\"']*[\"']")
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.I)
_FIRST_ELEMENT = re.compile(r"<\w")
_TITLE_FROM_BODY = 120


@dataclass
class ParsedFeed:
    title: str | None = None
    entries: list[Draft] = field(default_factory=list)
    ttl_minutes: int | None = None
    error: str | None = None  # why the document was refused, or what was malformed
    refused: bool = False  # True: refused for safety, nothing parsed


# --- bytes to safe UTF-8 ----------------------------------------------------------------------


def _hangul_share(text: str) -> float:
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return 0.0
    return sum(1 for ch in wide if "\uac00" <= ch <= "\ud7a3") / len(wide)


def decode_feed(data: bytes, charset: str | None) -> str:
    """Feed bytes to text (rules in the module docstring); raises UndecodableError."""
    match = _XML_DECL_ENCODING.match(data[:512])
    in_doc = match.group(1).decode("ascii").lower() if match else None
    declared = (charset or "").strip().lower() or in_doc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        labels = {label for label in (charset and charset.lower(), in_doc) if label}
        if labels <= _UNTRUSTED_LABELS | KOREAN_FAMILY:
            try:
                text = data.decode("cp949")
            except UnicodeDecodeError:
                pass
            else:
                if _hangul_share(text) >= 0.5:
                    return text
    return decode_bytes(data, declared)


def to_utf8_document(text: str) -> bytes:
    """Text to UTF-8 bytes whose XML declaration (if any) says utf-8."""
    text = text.lstrip("\ufeff")
    return _DECL_REWRITE.sub(r'\1"utf-8"', text, count=1).encode("utf-8")


def dtd_refusal(text: str) -> str | None:
    """:data:`REFUSED_DTD` when a DTD / entity declaration precedes the root element.

    Walks the prolog (whitespace, processing instructions, comments); a markup declaration there
    is refused, and so is one anywhere before the first ``<name`` (the region feedparser itself
    mines for entity declarations when its strict parser gives up).  Case is ignored."""
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                break
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                break
            i = end + 3
        elif _DECLARATION.match(text, i):
            return REFUSED_DTD
        else:
            break
    first = _FIRST_ELEMENT.search(text)
    head = text[: first.start() if first else n]
    return REFUSED_DTD if _DECLARATION.search(head) else None


class _QuietErrors(xml.sax.handler.ErrorHandler):
    def warning(self, exception: BaseException) -> None:  # the default prints to stdout
        pass


def _expat_check(document: bytes) -> tuple[str | None, str | None]:
    """Run expat (through defusedxml, nothing expanded): (refusal, malformation) or Nones."""
    try:
        defusedxml.sax.parseString(
            document,
            xml.sax.handler.ContentHandler(),
            _QuietErrors(),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
    except defusedxml.DefusedXmlException:
        return REFUSED_DTD, None
    except xml.sax.SAXParseException as exc:
        return (
            None,
            f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}",
        )
    except (xml.sax.SAXException, ValueError, UnicodeError) as exc:
        return None, _one_line(str(exc)) or "not well-formed"
    return None, None


_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.S)
_BARE_AMP = re.compile(rb"&(?!(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_][A-Za-z0-9._-]*);)")


def repair_ampersands(document: bytes) -> bytes:
    """Escape bare ``&`` outside CDATA (the commonest feed malformation), so that "AT&T" stays
    "AT&T" instead of feedparser's loose-mode "AT&T;"."""
    parts = _CDATA.split(document)
    return b"".join(p if i % 2 else _BARE_AMP.sub(b"&amp;", p) for i, p in enumerate(parts))


# --- entries ----------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _http_link(entry: Any, base: str) -> str | None:
    """The entry's link, joined to the feed URL when relative; only http(s) links count.  A link
    feedparser copied from a guid is used only when the guid is itself an absolute URL."""
    link = entry.get("link")
    if entry.get("guidislink") and not str(link or "").lower().startswith(("http://", "https://")):
        link = None
    candidates = [link]
    candidates += [
        alt.get("href")
        for alt in entry.get("links", [])
        if alt.get("rel", "alternate") == "alternate"
    ]
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        try:
            joined = urljoin(base, candidate.strip())
        except ValueError:
            continue
        if joined.lower().startswith(("http://", "https://")):
            return joined
    return None


def _body(entry: Any) -> str:
    texts = [str(c.get("value", "")) for c in entry.get("content", []) or []]
    texts.append(str(entry.get("summary", "") or ""))
    stripped = [normalize_text(strip_html(t)) for t in texts if t and t.strip()]
    return max(stripped, key=len, default="")


def _published(entry: Any, fetched_at: datetime) -> tuple[datetime | None, bool]:
    """(publication time, or None when the entry gives none that can be trusted; whether the
    feed gave a date alone): the first trustworthy of ``published``, ``updated``, ``created``
    as :func:`~bot.ingest.dates.try_parse_date` reads them.  feedparser's own reading is used
    only for an entry with no date text at all: it reads garbage leniently (``2026-13-45`` as
    the next year, a ``+9900`` zone as 99 hours)."""
    # dict.get: FeedParserDict.get would map "updated" to "published" with a warning.
    written = False
    for key in ("published", "updated", "created"):
        raw = dict.get(entry, key)
        if raw:
            written = True
            parsed = try_parse_date(str(raw))
            if parsed is not None:
                when = sane_date(parsed[0], fetched_at, has_time=parsed[1])
                if when is not None:
                    return when, not parsed[1]
    if written:
        return None, False
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)
        if isinstance(value, time.struct_time):
            try:
                when = sane_date(datetime(*value[:6], tzinfo=UTC), fetched_at)
            except (ValueError, OverflowError, TypeError):
                continue  # feedparser's reading of a zero date ("year -1")
            if when is not None:
                return when, False
    return None, False


def _draft(entry: Any, url: str, source: str | None, fetched_at: datetime) -> Draft | None:
    link = _http_link(entry, url)
    title = _one_line(normalize_text(strip_html(str(entry.get("title") or ""))))
    body = _body(entry)
    if not title:
        first_line = body.strip().split("\n", 1)[0] if body.strip() else ""
        title = first_line[:_TITLE_FROM_BODY].strip() or (link or "")
    if not title and not body:
        return None
    published, date_only = _published(entry, fetched_at)
    canonical = canonical_url(link) if link else None
    listed = entry.get("source")
    listed_source = None
    if isinstance(listed, dict) and (listed.get("href") or listed.get("title")):
        name = _one_line(normalize_text(str(listed.get("title") or ""))) or None
        listed_source = (name, str(listed.get("href") or "").strip() or None)
    return Draft(
        title=title,
        body=body,
        origin=url,
        kind="feed",
        source=source,
        published_at=published,
        date_only=date_only,
        url=canonical,  # what is shown and posted: the link without tracking parameters
        canonical_url=canonical,
        identity=_one_line(str(entry.get("id") or "")) or None,  # the guid; settled below
        listed_source=listed_source,
    )


def _drafts(
    entries: list[Any], url: str, source: str | None, fetched_at: datetime
) -> tuple[list[Draft], int]:
    """The entries' drafts and how many entries could not be read."""
    drafts: list[Draft] = []
    failed = 0
    for entry in entries:
        try:
            draft = _draft(entry, url, source, fetched_at)
        except Exception:  # one odd entry must not cost the others
            failed += 1
            continue
        if draft is not None:
            drafts.append(draft)
    links_by_guid: dict[str, set[str | None]] = {}
    for draft in drafts:
        if draft.identity:
            links_by_guid.setdefault(draft.identity, set()).add(draft.canonical_url)
    for draft in drafts:
        guid = draft.identity
        if guid is None:
            draft.identity = draft.canonical_url
        elif len(links_by_guid[guid]) > 1:
            draft.identity = f"{guid}|{draft.canonical_url or ''}"
    return drafts, failed


def _ttl(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def parse_feed(
    data: bytes,
    *,
    url: str,
    charset: str | None,
    fetched_at: datetime,
    feed_name: str | None = None,
) -> ParsedFeed:
    """Parse an RSS / Atom document fetched from ``url``; never raises (rules above)."""
    try:
        return _parse(data, url, charset, fetched_at, feed_name)
    except Exception as exc:  # a broken feed must never break a poll
        return ParsedFeed(error=f"cannot parse feed: {type(exc).__name__}: {_one_line(str(exc))}")


def _parse(
    data: bytes, url: str, charset: str | None, fetched_at: datetime, feed_name: str | None
) -> ParsedFeed:
    if not data.strip():
        return ParsedFeed(error="empty document")
    try:
        text = decode_feed(data, charset)
    except UndecodableError as exc:
        return ParsedFeed(error=f"cannot decode feed: {exc}")
    if _HTML_PAGE.match(text):  # an HTML page has a DOCTYPE too, but it is no attack
        return ParsedFeed(error=NOT_A_FEED_HTML)
    refusal = dtd_refusal(text)
    document = to_utf8_document(text)
    malformed = None
    if not refusal:
        refusal, malformed = _expat_check(document)
    if refusal:
        return ParsedFeed(error=refusal, refused=True)
    if malformed:
        document = repair_ampersands(document)
    # No base URI for feedparser: it would "resolve" plain guids into URLs.  Links are joined
    # to the feed URL below instead.
    # Markup in titles and bodies becomes plain text here (bot.ingest.text.strip_html drops
    # scripts, styles and every tag), so feedparser's own HTML sanitizing and link resolving
    # would be work thrown away: a third of parsing a multi-megabyte item.
    parsed = feedparser.parse(
        io.BytesIO(document),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    feed_title = _one_line(normalize_text(strip_html(str(parsed.feed.get("title") or "")))) or None
    source = feed_name or feed_title or (urlsplit(url).hostname or None)
    drafts, failed = _drafts(list(parsed.entries), url, source, fetched_at)
    result = ParsedFeed(title=feed_title, entries=drafts, ttl_minutes=_ttl(parsed.feed.get("ttl")))
    if malformed or parsed.get("bozo"):
        reason = malformed or _one_line(str(parsed.get("bozo_exception") or "malformed XML"))
        if not parsed.entries and not parsed.get("version"):
            result.error = f"not a feed: {reason}"
        else:
            result.error = f"malformed feed (kept {len(result.entries)} entries): {reason}"
    elif not parsed.get("version") and not parsed.entries:
        result.error = "not an RSS or Atom feed"
    if failed:
        skipped = f"skipped {failed} unreadable entries"
        result.error = f"{result.error}; {skipped}" if result.error else skipped
    return result
