"""Parsing feed documents: Korean encodings with missing or wrong labels, XML attacks refused fast
and small, malformed feeds kept, and the drafts' identity, URLs, dates and text."""

from __future__ import annotations

import tracemalloc
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.ingest.fetch import fetch
from bot.ingest.rss import ParsedFeed, parse_feed
from tests.helpers.feedserver import FeedServer, atom, canned, rss, rss_text

FETCHED = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
URL = "http://news.example.kr/rss"
KOREAN_ITEMS = [
    {
        "title": "정부, 소버린 AI 전략 발표",
        "link": "http://news.example.kr/a/1",
        "guid": "a1",
        "description": "<p>엔비디아 GPU 26만 장을 확보했다고 밝혔다.</p>",
        "pubDate": "Tue, 01 Oct 2024 12:00:00 KST",
    }
]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


def _parse(data: bytes, charset: str | None = None, feed_name: str | None = None) -> ParsedFeed:
    return parse_feed(data, url=URL, charset=charset, fetched_at=FETCHED, feed_name=feed_name)


def _hangul_only(text: str) -> bool:
    """No mojibake: every non-ASCII character is a Hangul syllable."""
    return all(ord(ch) < 128 or "\uac00" <= ch <= "\ud7a3" for ch in text)


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared_in_xml", "header_charset"),
    [
        (None, None),  # no charset anywhere
        ("utf-8", None),  # XML declaration lies
        ("iso-8859-1", None),
        (None, "utf-8"),  # HTTP header lies
        (None, "iso-8859-1"),
        ("windows-1252", "ISO-8859-1"),
        ("euc-kr", None),  # honest labels still work
        ("euc-kr", "euc-kr"),
    ],
)
def test_euc_kr_feed_with_missing_or_wrong_charset_reads_as_hangul(
    declared_in_xml: str | None, header_charset: str | None
) -> None:
    data = rss(KOREAN_ITEMS, title="한국 뉴스", encoding="euc-kr", declare=declared_in_xml)
    feed = parse_feed(data, url=URL, charset=header_charset, fetched_at=FETCHED)
    assert feed.error is None
    assert feed.title == "한국 뉴스"
    [entry] = feed.entries
    assert entry.title == "정부, 소버린 AI 전략 발표"
    assert entry.body == "엔비디아 GPU 26만 장을 확보했다고 밝혔다."
    for text in (feed.title, entry.title, entry.body):
        assert "\ufffd" not in text and _hangul_only(text)


def test_cp949_only_syllables_survive_a_wrong_label() -> None:
    items = [{"title": "똠방각하 뷁 펲", "guid": "x", "description": "똠얌꿍"}]  # not in EUC-KR
    feed = _parse(rss(items, encoding="cp949", declare="iso-8859-1"), charset="utf-8")
    assert [(e.title, e.body) for e in feed.entries] == [("똠방각하 뷁 펲", "똠얌꿍")]


async def test_fetched_euc_kr_feed_labelled_utf8_reads_correctly(server: FeedServer) -> None:
    data = rss(KOREAN_ITEMS, title="한국 뉴스", encoding="euc-kr", declare=None)
    url = server.route("/rss", canned(data, headers={"Content-Type": "text/xml; charset=utf-8"}))
    fetched = await fetch(url, allow_private=True)
    assert fetched.ok and fetched.body is not None and fetched.charset == "utf-8"
    feed = parse_feed(fetched.body, url=url, charset=fetched.charset, fetched_at=FETCHED)
    assert feed.entries[0].title == "정부, 소버린 AI 전략 발표"


# --- attacks ----------------------------------------------------------------------------------

_LOLS = "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
).replace("&lol0;", "lol")
BILLION_LAUGHS = f'<?xml version="1.0"?>\n<!DOCTYPE rss [{_LOLS}]>\n' + (
    "<rss version='2.0'><channel><title>&lol9;</title><item><title>&lol9;</title>"
    "<description>&lol9;</description></item></channel></rss>"
)
QUADRATIC = (
    f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{"A" * 100_000}">]>\n'
    f"<rss version='2.0'><channel><title>t</title><item><title>x</title>"
    f"<description>{'&a;' * 100_000}</description></item></channel></rss>"
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<rss version='2.0'><channel><title>&xxe;</title><item><title>&xxe;</title>"
    "</item></channel></rss>"
)
ATTACKS = {
    "billion-laughs": BILLION_LAUGHS.encode(),
    "quadratic-blowup": QUADRATIC.encode(),
    "external-entity": XXE.encode(),
    "parameter-entity": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
        b"<rss version='2.0'><channel><title>t</title></channel></rss>"
    ),
    "after-a-comment": b"<!-- hello <a> --><!DOCTYPE r [<!ENTITY e 'x'>]><rss><channel/></rss>",
    "lower-case": b"<?xml version='1.0'?><!doctype rss [<!entity e 'x'>]><rss><channel/></rss>",
    "utf-16": BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode(
        "utf-16"
    ),
    "euc-kr-labelled": (
        '<?xml version="1.0" encoding="euc-kr"?><!DOCTYPE r [<!ENTITY e "한글">]>'
        "<rss><channel><title>&e;</title></channel></rss>"
    ).encode("euc-kr"),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_entity_attacks_are_refused_unexpanded(name: str) -> None:
    tracemalloc.start()
    try:
        feed = _parse(ATTACKS[name])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert feed.refused and feed.entries == []
    assert feed.error is not None and feed.error.startswith("refused")
    assert peak < 200 * 1024 * 1024  # nothing expanded (a bound no machine load can move)
    assert "root:" not in repr(feed)  # nothing from /etc/passwd


def test_external_dtd_is_never_fetched(server: FeedServer) -> None:
    server.route("/evil.dtd", canned(b'<!ENTITY e "pwned">'))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{server.url("/evil.dtd")}">'
        "<rss version='2.0'><channel><title>&e;</title></channel></rss>"
    ).encode()
    feed = _parse(data)
    assert feed.refused
    assert server.total_hits == 0


def test_feeds_after_an_attack_parse_normally() -> None:
    assert _parse(ATTACKS["billion-laughs"]).refused
    feed = _parse(rss(KOREAN_ITEMS))
    assert not feed.refused and feed.error is None
    assert feed.entries[0].title == "정부, 소버린 AI 전략 발표"


def test_html_doctype_inside_cdata_is_not_mistaken_for_a_dtd() -> None:
    text = rss_text([{"title": "t", "guid": "1"}]).replace(
        "<title>t</title>",
        "<title>t</title><description><![CDATA[<!DOCTYPE html><p>본문</p>]]></description>",
    )
    feed = _parse(text.encode())
    assert not feed.refused and feed.entries[0].body == "본문"


def test_feedparser_is_never_handed_a_path_or_url(server: FeedServer) -> None:
    for data in (b"/etc/passwd", server.url("/").encode(), b"file:///etc/passwd"):
        feed = _parse(data)
        assert feed.entries == [] and feed.error is not None
        assert "root:" not in repr(feed)
    assert server.total_hits == 0


# --- malformed and non-feeds ------------------------------------------------------------------


def test_malformed_xml_keeps_its_entries_and_says_so() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>AT&T and SK</title><link>http://a.example/1</link></item>"
        b"<item><title>Second</title><link>http://a.example/2</link></item>"
    )  # a bare "&" and no closing tags
    feed = _parse(data)
    assert not feed.refused
    assert [e.title for e in feed.entries] == ["AT&T and SK", "Second"]
    assert feed.error is not None and feed.error.startswith("malformed feed")
    assert "\n" not in feed.error


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"<html><body><p>Not a feed</p></body></html>", bytes(range(256)) * 4],
)
def test_non_feeds_are_reported_not_raised(data: bytes) -> None:
    feed = _parse(data)
    assert feed.entries == [] and feed.error and not feed.refused


# --- entries ----------------------------------------------------------------------------------


def test_repeated_guid_with_different_links_gives_distinct_identities() -> None:
    items = [
        {"title": "one", "guid": "dup", "link": "http://ex.com/a?utm_source=rss"},
        {"title": "two", "guid": "dup", "link": "http://ex.com/b"},
        {"title": "three", "guid": "solo", "link": "http://ex.com/c"},
        {"title": "three again", "guid": "solo", "link": "http://ex.com/c#top"},
        {"title": "no guid", "link": "http://ex.com/d?fbclid=1&x=2"},
        {"title": "nothing to go on"},
    ]
    identities = [e.identity for e in _parse(rss(items)).entries]
    assert identities == [
        "dup|http://ex.com/a",
        "dup|http://ex.com/b",
        "solo",
        "solo",
        "http://ex.com/d?x=2",
        None,
    ]


def test_links_are_shown_and_posted_without_tracking_parameters() -> None:
    items = [{"title": "t", "guid": "g", "link": "http://Ex.COM:80/Story?utm_medium=x&id=3#c"}]
    [entry] = _parse(rss(items)).entries
    assert entry.canonical_url == "http://ex.com/Story?id=3"
    assert entry.url == entry.canonical_url  # no utm_* reaches a channel


def test_plain_guid_is_not_turned_into_a_link() -> None:
    [entry] = _parse(rss([{"title": "t", "guid": "article-123"}])).entries
    assert entry.url is None and entry.identity == "article-123"


def test_entry_dates() -> None:
    items = [
        {"title": "kst", "guid": "1", "pubDate": "Tue, 01 Oct 2024 12:00:00 KST"},
        {"title": "korean", "guid": "2", "pubDate": "2021년 07월 16일 (금)요일 18:00"},
        {"title": "missing", "guid": "3"},
        {"title": "future", "guid": "4", "pubDate": "Fri, 01 Jan 2999 00:00:00 GMT"},
        {"title": "zero", "guid": "5", "pubDate": "0000-00-00 00:00:00"},
        {"title": "no zone on Earth", "guid": "6", "pubDate": "Mon, 02 Sep 2024 10:00:00 +9900"},
        {"title": "month 13", "guid": "7", "pubDate": "2024-13-45T25:61:00Z"},
        {"title": "words", "guid": "8", "pubDate": "not a date at all"},
    ]
    dates = [e.published_at for e in _parse(rss(items)).entries]
    # missing or untrustworthy: unknown (shown as collected that day), never the fetch time,
    # and never feedparser's lenient reading (month 13 as next January, +9900 as 99 hours)
    assert dates == [
        datetime(2024, 10, 1, 3, 0, tzinfo=UTC),
        datetime(2021, 7, 16, 9, 0, tzinfo=UTC),
        None,
        None,
        None,
        None,
        None,
        None,
    ]


def test_text_is_plain_nfc_and_html_free() -> None:
    decomposed = unicodedata.normalize("NFD", "소버린 AI")
    items = [
        {
            "title": f"<b>{decomposed}</b> &amp; <i>GPU</i>",
            "guid": "1",
            "description": "<div><p>첫 문단</p><script>alert(1)</script><p>둘째 문단</p></div>",
        }
    ]
    [entry] = _parse(rss(items)).entries
    assert entry.title == "소버린 AI & GPU"
    assert unicodedata.is_normalized("NFC", entry.title)
    assert entry.body == "첫 문단\n둘째 문단"


def test_feed_metadata_ttl_source_and_origin() -> None:
    feed = _parse(rss(KOREAN_ITEMS, title="연합뉴스 IT", ttl=30))
    assert feed.ttl_minutes == 30 and feed.title == "연합뉴스 IT"
    [entry] = feed.entries
    assert (entry.kind, entry.origin, entry.source) == ("feed", URL, "연합뉴스 IT")
    named = _parse(rss(KOREAN_ITEMS, ttl=0), feed_name="My name")
    assert named.ttl_minutes is None and named.entries[0].source == "My name"


def test_atom_entries_resolve_relative_links() -> None:
    data = atom(
        [
            {
                "title": "Atom <em>entry</em>",
                "link": "/news/1?utm_campaign=x",
                "id": "urn:uuid:1",
                "summary": "요약",
                "updated": "2024-05-01T09:00:00+09:00",
            }
        ]
    )
    [entry] = parse_feed(
        data, url="https://ex.com/feeds/atom.xml", charset=None, fetched_at=FETCHED
    ).entries
    assert entry.url == "https://ex.com/news/1"  # shown without the tracking parameter
    assert entry.canonical_url == "https://ex.com/news/1"
    assert entry.identity == "urn:uuid:1"
    assert entry.published_at == datetime(2024, 5, 1, 0, 0, tzinfo=UTC)
    assert (entry.title, entry.body) == ("Atom entry", "요약")
