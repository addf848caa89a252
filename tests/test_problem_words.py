"""Problems found below the surfaces, in the reader's language: why a fetch failed, as stored
(English data, as the fetcher and the poller write it) and as shown
(:func:`bot.present.problems.fetch_reason` words each known cause from the catalog), and the
catalog keys that settings, values and seed files raise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.ingest.rss import NOT_A_FEED_HTML
from bot.present.i18n import MESSAGES
from bot.present.problems import fetch_reason
from tests.test_one_language import leaks

STORED = [  # as bot/ingest/fetch.py, rss.py, netguard.py, poller.py and store/feeds.py write them
    "HTTP 404 Not Found",
    "HTTP 503",
    "cannot resolve nowhere.invalid",
    "cannot connect to 127.0.0.1",
    "TLS handshake with example.com failed: certificate has expired",
    "timed out after 20 s",
    "timed out waiting for the server",
    "too many redirects (more than 5)",
    "redirect without a Location header",
    "refused non-public address for intranet.local",
    "response body larger than 15 MiB (after decompression)",
    NOT_A_FEED_HTML,
    "empty document",
    "cannot parse feed: ExpatError: mismatched tag",
    "network error: ReadError: connection reset",
    "fetch failed: RuntimeError: boom",
    "invalid URL: no host",
    "cannot store its items (database is locked)",
    "unknown error",
    "3 consecutive failures; last: HTTP 500 Internal Server Error",
]


@pytest.mark.parametrize("stored", STORED)
def test_a_known_cause_is_worded_in_korean_and_kept_in_english(stored: str) -> None:
    assert fetch_reason(stored, "en") == stored  # English readers see it as it was stored
    ko = fetch_reason(stored, "ko")
    assert ko != stored and re.search("[가-힣]", ko), ko
    assert not leaks(ko, "ko"), (leaks(ko, "ko"), ko)


def test_data_inside_a_cause_stays_and_an_unknown_cause_is_shown_as_stored() -> None:
    assert "nowhere.invalid" in fetch_reason("cannot resolve nowhere.invalid", "ko")
    assert "500" in fetch_reason("3 consecutive failures; last: HTTP 500", "ko")
    assert fetch_reason("something new", "ko") == "something new"
    assert fetch_reason(None, "ko") == ""


def test_every_key_raised_below_the_surfaces_is_in_the_catalog() -> None:
    """``Problem("expect.int", ...)``, ``UndecodableError("seed.binary", ...)`` and
    ``SettingsError("setting.invalid", ...)`` name keys the catalog words in both languages."""
    bot = Path(__file__).resolve().parents[1] / "bot"
    raised = re.compile(r"(?:Problem|UndecodableError|SettingsError)\(\s*\"([a-z_]+\.[a-z_0-9]+)\"")
    keys = {k for path in bot.rglob("*.py") for k in raised.findall(path.read_text("utf-8"))}
    keys |= {"setting.no_file", "setting.unreadable"}  # chosen by the error's type
    assert len(keys) >= 20, keys
    assert keys <= MESSAGES.keys(), sorted(keys - MESSAGES.keys())
