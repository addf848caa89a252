"""OPML import and export: nested folders, OPML 1 and 2, refused DTDs, and a lossless round trip."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from bot.ingest.opml import OpmlError, export_opml, parse_opml

NOW = datetime(2025, 10, 1, tzinfo=UTC)
FIFTY = [
    (f"https://news{i}.example.kr/rss?section={i}&lang=ko", f'뉴스 {i} & <특보> "{i}"')
    for i in range(45)
] + [
    ("http://example.com/feed.xml", None),
    ("https://example.org/atom", "Example's Atom"),
    ("https://ex.net/rss?a=1&b=2", "double  spaced"),
    ("https://한국.example/rss", "IDN 호스트"),
    ("https://ex.com/tab", "tab\tand\nnewline"),
]


def test_fifty_feeds_round_trip_losslessly() -> None:
    assert len(FIFTY) == 50
    again = parse_opml(export_opml(FIFTY, NOW))
    assert again == FIFTY
    assert parse_opml(export_opml(again, NOW)) == FIFTY


def test_export_is_valid_opml_2() -> None:
    root = ET.fromstring(export_opml([*FIFTY[:3], ("http://example.com/feed.xml", None)], NOW))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title") is not None and root.find("head/dateCreated") is not None
    outlines = root.findall("body/outline")
    assert len(outlines) == 4
    assert all(o.get("text") and o.get("type") == "rss" and o.get("xmlUrl") for o in outlines)
    assert outlines[3].get("title") is None  # unnamed feed: no title, text is the URL


def test_nested_opml_1_with_title_and_text() -> None:
    doc = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>Reader export</title></head>
  <body>
    <outline text="Korea">
      <outline text="Yonhap" title="Yonhap News" type="rss" xmlUrl="https://yna.example/rss"/>
      <outline text="Policy">
        <outline text="MSIT briefing" type="rss" xmlurl="https://msit.example/rss"/>
      </outline>
    </outline>
    <outline text="Caf\xe9 tech" type="rss" xmlUrl="http://cafe.example/feed"/>
    <outline text="dup" xmlUrl="https://yna.example/rss"/>
    <outline text="not a feed" htmlUrl="https://site.example/"/>
    <outline text="bad scheme" xmlUrl="file:///etc/passwd"/>
  </body>
</opml>"""
    assert parse_opml(doc) == [
        ("https://yna.example/rss", "Yonhap News"),
        ("https://msit.example/rss", "MSIT briefing"),
        ("http://cafe.example/feed", "Café tech"),
    ]


def test_euc_kr_opml_without_a_charset_reads_as_hangul() -> None:
    doc = '<opml version="2.0"><body><outline text="연합뉴스 경제" xmlUrl="https://yna.example/e"/></body></opml>'
    assert parse_opml(doc.encode("euc-kr")) == [("https://yna.example/e", "연합뉴스 경제")]


@pytest.mark.parametrize(
    "doc",
    [
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
        b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<opml version="2.0"><body><outline text="&c;" xmlUrl="http://x.example/"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "http://127.0.0.1:1/opml.dtd">'
        b'<opml version="2.0"><body/></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="&x;" xmlUrl="http://x.example/"/></body></opml>',
    ],
)
def test_dtds_are_refused(doc: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(OpmlError, match=r"^refused"):
        parse_opml(doc)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (b"<opml><body><outline", "not valid OPML"),
        (b"<rss version='2.0'><channel/></rss>", "not an OPML document"),
        (bytes(range(256)) * 4, "cannot decode OPML"),
    ],
)
def test_broken_documents_raise_one_clear_error(doc: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message) as caught:
        parse_opml(doc)
    assert "\n" not in str(caught.value)


def test_empty_list_exports_and_imports() -> None:
    assert parse_opml(export_opml([], NOW)) == []
