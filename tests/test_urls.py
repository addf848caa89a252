"""Canonical URLs (one story, one URL whatever campaign link brought it) and the address guard's
judgement of every spelling of a private address."""

from __future__ import annotations

import pytest

from bot.ingest.netguard import host_allowed, is_blocked_ip, parse_host_ip
from bot.ingest.urls import canonical_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # tracking parameters and fragments go; the rest is sorted
        (
            "https://news.example.kr/a/B?utm_source=rss&utm_medium=feed&id=7&fbclid=x#comments",
            "https://news.example.kr/a/B?id=7",
        ),
        (
            "http://example.com/p?z=1&gclid=a&dclid=b&msclkid=c&a=2&mc_cid=d&mc_eid=e",
            "http://example.com/p?a=2&z=1",
        ),
        (
            "http://example.com/p?igshid=1&yclid=2&_hsenc=3&_hsmi=4&ref_src=5&spm=6&UTM_Campaign=7",
            "http://example.com/p",
        ),
        # scheme and host lower-case, default port dropped, path case kept
        ("HTTP://News.Example.COM:80/Path/Case.html", "http://news.example.com/Path/Case.html"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("http://example.com./x", "http://example.com/x"),
        # parameters keep their exact spelling (Korean search terms stay percent-encoded)
        ("http://ex.com/s?q=%ED%95%9C&b=a+b", "http://ex.com/s?b=a+b&q=%ED%95%9C"),
        ("http://ex.com/s?flag", "http://ex.com/s?flag"),
        ("http://[::1]:8080/x#top", "http://[::1]:8080/x"),
    ],
)
def test_canonical_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


def test_campaign_variants_of_one_story_share_a_canonical_url() -> None:
    variants = [
        "https://news.example.kr/view?id=42&utm_source=twitter",
        "https://NEWS.example.kr/view?utm_campaign=x&id=42#reply",
        "https://news.example.kr:443/view?id=42&fbclid=abc",
    ]
    assert len({canonical_url(v) for v in variants}) == 1


def test_canonical_url_never_raises_on_junk() -> None:
    assert canonical_url("  not a url  ") == "not a url"
    assert canonical_url("http://[broken/") == "http://[broken/"


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.0.1", "172.31.255.255", "169.254.169.254",
        "100.64.0.1", "224.0.0.1", "0.0.0.0", "255.255.255.255", "240.0.0.1", "::1", "::",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "fc00::1", "ff02::1",
        "2002:7f00:1::", "64:ff9b::a00:1",
        # numeric spellings of 127.0.0.1
        "2130706433", "0x7f.1", "127.1", "017700000001", "0177.0.0.1", "0x7f000001", "[::1]",
    ],
)  # fmt: skip
def test_private_addresses_are_blocked(host: str) -> None:
    ip = parse_host_ip(host)
    assert ip is not None, host
    assert is_blocked_ip(ip)


@pytest.mark.parametrize("host", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.215.14"])
def test_public_addresses_pass(host: str) -> None:
    ip = parse_host_ip(host)
    assert ip is not None
    assert not is_blocked_ip(ip)


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("10.0x10.1", "10.16.0.1"),
        ("3232235521", "192.168.0.1"),
    ],
)
def test_numeric_host_spellings_are_read_like_inet_aton(spelling: str, address: str) -> None:
    assert str(parse_host_ip(spelling)) == address


@pytest.mark.parametrize("name", ["example.com", "news.naver.com", "1.2.3.4.5", "127.0.0.1.nip.io"])
def test_names_are_not_mistaken_for_addresses(name: str) -> None:
    assert parse_host_ip(name) is None


def test_allow_setting() -> None:
    assert host_allowed("anything.internal", True)
    assert not host_allowed("localhost", False)
    assert not host_allowed("localhost", ())
    assert host_allowed("LocalHost.", ("localhost",))
    assert not host_allowed("127.0.0.1", ("localhost",))  # the name, not what it resolves to
