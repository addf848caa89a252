"""Text utilities shared by every source: decoding bytes, HTML to text, normalisation.

Korean pages still come in EUC-KR / CP949 with a missing or wrong charset; we decode UTF-8 when
the bytes are valid UTF-8, otherwise ask chardet and map the whole EUC-KR family to CP949 (its
superset).  Binary data is refused rather than decoded into noise.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from html.parser import HTMLParser

import chardet

from bot.core.problem import Problem

KOREAN_FAMILY = frozenset(
    {"euc-kr", "euc_kr", "cp949", "uhc", "ks_c_5601-1987", "johab", "iso-2022-kr"}
)


class UndecodableError(Problem):
    """The bytes are binary or in no encoding we can read."""


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text; ``declared`` is a charset from headers or the document.

    Valid UTF-8 wins over any declaration (declarations are often wrong); then the declared
    charset if it decodes cleanly; then chardet's guess; CP949 stands in for the EUC-KR family.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if looks_binary(data):
        raise UndecodableError("seed.binary", "binary data")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    guess = chardet.detect(data[:65536]).get("encoding")
    if guess:
        candidates.append(guess)
    candidates.append("cp949")
    for name in candidates:
        name = _korean_superset(name)
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if name == "cp949" or _plausible(text):
            return text
    raise UndecodableError(
        "seed.encoding", "not valid UTF-8 or CP949/EUC-KR, and no other encoding fits"
    )


def _korean_superset(name: str) -> str:
    low = name.strip().lower().replace(" ", "")
    return "cp949" if low in KOREAN_FAMILY else low


def _plausible(text: str) -> bool:
    """Reject decodings that produce mostly control or private-use characters."""
    if not text:
        return True
    bad = sum(
        1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in "\t\n\r\f"
    )
    return bad / len(text) < 0.01


_TAG_HINT = re.compile(
    r"<\s*/?\s*(p|div|br|span|section|figure|strong|em|a|img|h[1-6]|li|ul|table|article|html|body)\b",
    re.I,
)


def looks_like_html(text: str) -> bool:
    return len(_TAG_HINT.findall(text[:200_000])) >= 2


class _TextExtractor(HTMLParser):
    """HTML to plain text: block elements become line breaks; scripts, styles, navigation and
    figures (image + caption) are dropped."""

    SKIP = frozenset(
        {
            "script",
            "style",
            "noscript",
            "template",
            "nav",
            "footer",
            "form",
            "button",
            "figure",
            "figcaption",
            "iframe",
            "svg",
            "select",
            "aside",
        }
    )
    BLOCK = frozenset(
        {
            "p",
            "div",
            "section",
            "article",
            "br",
            "li",
            "ul",
            "ol",
            "tr",
            "table",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "hr",
            "dd",
            "dt",
            "main",
            "title",
        }
    )
    VOID = frozenset(
        {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "col", "area", "base"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: str | None = None
        self.h1: str | None = None
        self._capture: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP and tag not in self.VOID:
            self.skip_depth += 1
            return
        if tag in self.BLOCK:
            self.parts.append("\n")
        if tag in ("title", "h1") and self._capture is None:
            self._capture, self._buf = tag, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and tag not in self.VOID:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == self._capture:
            captured = " ".join("".join(self._buf).split())
            if tag == "title" and self.title is None:
                self.title = captured
            elif tag == "h1" and self.h1 is None:
                self.h1 = captured
            self._capture = None
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self._capture:
            self._buf.append(data)
        if self._capture == "title":
            return  # the <title> is metadata, not body text
        self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Return (text, headline) where headline is the page's <h1> or <title> if any."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient; this is a last resort
        return html.unescape(re.sub(r"<[^>]+>", " ", markup)), None
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line), parser.h1 or parser.title


def strip_html(fragment: str) -> str:
    """A feed's HTML summary to one paragraph-preserving plain text."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    text, _ = html_to_text(fragment)
    return text.strip()
