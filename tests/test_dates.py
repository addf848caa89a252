"""Publication dates as feeds write them: RFC 822 with KST, ISO, Korean forms; untrustworthy dates
become the fetch time and nothing ever raises."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ingest.dates import SEOUL, parse_date

FETCHED = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 01 Oct 2024 12:00:00 KST", datetime(2024, 10, 1, 3, 0, tzinfo=UTC)),
        ("Tue, 01 Oct 2024 12:00:00 +0900", datetime(2024, 10, 1, 3, 0, tzinfo=UTC)),
        ("Tue, 01 Oct 2024 12:00:00 GMT", datetime(2024, 10, 1, 12, 0, tzinfo=UTC)),
        ("Wed, 1 May 2024 09:00:00 PDT", datetime(2024, 5, 1, 16, 0, tzinfo=UTC)),
        ("Tue, 01 Oct 2024 12:00:00", datetime(2024, 10, 1, 3, 0, tzinfo=UTC)),  # no zone: Seoul
        ("2024-10-01T12:00:00Z", datetime(2024, 10, 1, 12, 0, tzinfo=UTC)),
        ("2024-10-01T12:00:00+09:00", datetime(2024, 10, 1, 3, 0, tzinfo=UTC)),
        ("2024-10-01 12:00", datetime(2024, 10, 1, 3, 0, tzinfo=UTC)),
        ("2021년 07월 16일 (금)요일 18:00", datetime(2021, 7, 16, 9, 0, tzinfo=UTC)),
        ("2024년 5월 1일 오후 3시 20분", datetime(2024, 5, 1, 6, 20, tzinfo=UTC)),
        ("2025.02.20 11:30", datetime(2025, 2, 20, 2, 30, tzinfo=UTC)),
        ("2025/02/20 오후 1:05", datetime(2025, 2, 20, 4, 5, tzinfo=UTC)),
    ],
)
def test_dates_read_correctly(value: str, expected: datetime) -> None:
    got = parse_date(value, FETCHED)
    assert got == expected
    assert got.tzinfo is not None and got.utcoffset() == UTC.utcoffset(got)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024년 5월 1일", (2024, 5, 1)),
        ("2025. 2. 20.", (2025, 2, 20)),
        ("2024-05-01", (2024, 5, 1)),
    ],
)
def test_date_without_time_keeps_its_day_in_seoul_and_in_utc(
    value: str, day: tuple[int, int, int]
) -> None:
    got = parse_date(value, FETCHED)
    assert (got.year, got.month, got.day) == day
    seoul = got.astimezone(SEOUL)
    assert (seoul.year, seoul.month, seoul.day) == day


def test_date_only_today_is_not_after_the_fetch() -> None:
    early = datetime(2025, 6, 1, 0, 30, tzinfo=UTC)  # 09:30 in Seoul, before local noon
    assert parse_date("2025년 6월 1일", early) == early


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "garbage",
        "0000-00-00",
        "0000-00-00 00:00:00",
        "2999-01-01T00:00:00Z",
        "Fri, 01 Jan 2999 00:00:00 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "2024-13-45",
        "Mon, 30 Feb 2024 10:00:00 GMT",
        "99999999999999999999",
        "2024년 13월 40일",
        "\x00\ufffd",
        "Mon, 01 Jun 2025 10:00:00 +9900",  # no zone on Earth
        "2025-06-01T10:00:00+15:00",
        "2025-06-01 10:00 +99:00",
        "1900-01-01T00:00:00Z",
        "2100-01-01T00:00:00Z",
    ],
)
def test_untrustworthy_dates_are_unknown_not_the_fetch_time(value: str | None) -> None:
    """An item whose date cannot be trusted is undated (shown as collected that day), never
    as if it had been published at the moment it was fetched."""
    assert parse_date(value, FETCHED) is None


def test_more_than_a_day_ahead_is_refused_but_slightly_ahead_is_kept() -> None:
    assert parse_date("2025-06-03T12:00:00Z", FETCHED) is None
    assert parse_date("2025-06-02T06:00:00Z", FETCHED) == datetime(2025, 6, 2, 6, tzinfo=UTC)


def test_the_widest_real_zones_are_kept() -> None:
    assert parse_date("Sun, 01 Jun 2025 10:00:00 +1400", FETCHED) == datetime(
        2025, 5, 31, 20, tzinfo=UTC
    )
    assert parse_date("2025-05-31T10:00:00-12:00", FETCHED) == datetime(2025, 5, 31, 22, tzinfo=UTC)


def test_naive_fetch_time_is_taken_as_utc() -> None:
    naive = datetime(2025, 6, 1, 12, 0)
    assert parse_date("2025-06-02T06:00:00Z", naive) == datetime(2025, 6, 2, 6, tzinfo=UTC)
    assert parse_date("2025-06-02T12:30:00Z", naive) is None  # over a day after 12:00 UTC
