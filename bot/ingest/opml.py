"""OPML subscription lists: import and export.

Import reads OPML 1.0 and 2.0: every ``<outline>`` at any depth (folders nest) that carries an
``xmlUrl`` (attribute names compared case-insensitively) is a feed; its name is ``title``, else
``text``, else None (stripped; a name equal to the URL counts as no name).  Only http(s) URLs are kept, each
once (first name wins), in document order.  A DTD or entity declaration is refused exactly as in
feeds; malformed XML is an error.  Both raise :class:`OpmlError` with a one-line message.

Export writes a UTF-8 OPML 2.0 document, one ``<outline type="rss">`` per feed with ``text``
(the name, or the URL when there is none, as OPML 2 requires ``text``), ``title`` (only when named)
and ``xmlUrl``; importing it gives back the same (url, name) pairs.

Keyword sources (Google News, Naver) are outlines of ``type="google"`` / ``type="naver"`` with
``query`` and ``lang`` besides ``xmlUrl`` (the search URL, for a reader that wants it): import
returns them apart (:func:`parse_opml_sources`) so that they are added again as sources, with
the importing installation's base URLs, never as RSS feeds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml
import defusedxml.ElementTree as DET

from bot.core.unicode import normalize_text
from bot.ingest.rss import decode_feed, dtd_refusal, to_utf8_document
from bot.ingest.text import UndecodableError

# Characters XML 1.0 cannot carry at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OpmlError(ValueError):
    """The OPML document is refused or unreadable; the message is one line (English).  ``key``
    names the catalog's wording of it (``opml.invalid``, :mod:`bot.present.i18n`) and
    ``detail`` the parser's own words, so a surface can say it in its language."""

    def __init__(self, message: str, key: str = "opml.refused", detail: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.detail = detail or message


def _attr(element: ET.Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if key.lower() == name.lower():
            return value.strip() or None
    return None


SOURCE_TYPES = ("google", "naver")


def _is_source(outline: ET.Element) -> bool:
    return (_attr(outline, "type") or "").lower() in SOURCE_TYPES and bool(_attr(outline, "query"))


def parse_opml_sources(data: bytes) -> list[tuple[str, str, str | None, str | None]]:
    """The keyword sources an OPML document lists: (kind, query, lang, name), each once."""
    found: list[tuple[str, str, str | None, str | None]] = []
    for outline in _outlines(data):
        if _is_source(outline):
            kind = (_attr(outline, "type") or "").lower()
            query = normalize_text(_attr(outline, "query") or "")
            entry = (kind, query, _attr(outline, "lang"), _attr(outline, "title"))
            if all(f[:3] != entry[:3] for f in found):
                found.append(entry)
    return found


def parse_opml(data: bytes) -> list[tuple[str, str | None]]:
    """The feeds an OPML document lists, as (url, name) pairs (rules in the module docstring)."""
    feeds: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for outline in _outlines(data):
        url = _attr(outline, "xmlUrl")
        if not url or not url.lower().startswith(("http://", "https://")) or url in seen:
            continue
        if _is_source(outline):
            continue
        name = _attr(outline, "title") or _attr(outline, "text")
        if name == url:
            name = None
        seen.add(url)
        feeds.append((url, normalize_text(name) if name else None))
    return feeds


def _outlines(data: bytes) -> list[ET.Element]:
    """The document's ``<outline>`` elements, in order; :class:`OpmlError` when refused."""
    try:
        text = decode_feed(data, None)
    except UndecodableError as exc:
        raise OpmlError(f"cannot decode OPML: {exc}", "opml.undecodable", str(exc)) from None
    refusal = dtd_refusal(text)
    if refusal:
        raise OpmlError(refusal, "opml.refused")
    try:
        root = DET.fromstring(
            to_utf8_document(text), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException:
        raise OpmlError(refusal or "refused: the document declares a DTD or entities") from None
    except ET.ParseError as exc:
        detail = " ".join(str(exc).split())
        raise OpmlError(f"not valid OPML: {detail}", "opml.invalid", detail) from None
    if root.tag.rpartition("}")[2].lower() != "opml":
        raise OpmlError(
            f"not an OPML document (root element <{root.tag}>)", "opml.not_opml", root.tag
        )
    return [e for e in root.iter() if e.tag.rpartition("}")[2].lower() == "outline"]


def _clean(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def export_opml(
    feeds: list[tuple[str, str | None]],
    now: datetime,
    title: str = "newsbot feeds",
    sources: Mapping[str, tuple[str, str, str | None]] | None = None,
) -> bytes:
    """An OPML 2.0 document listing ``feeds`` as (url, name) pairs; ``sources`` maps the URL of
    a keyword source to its (kind, query, lang)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean(title)
    ET.SubElement(head, "dateCreated").text = format_datetime(now.astimezone(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    for url, name in feeds:
        source = (sources or {}).get(url)
        attrs = {"type": source[0] if source else "rss", "text": _clean(name or url)}
        if source:
            attrs["text"] = _clean(name or source[1])
            attrs["query"] = _clean(source[1])
            if source[2]:
                attrs["lang"] = source[2]
        if name:
            attrs["title"] = _clean(name)
        attrs["xmlUrl"] = _clean(url)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
