"""Search: morphology and aliases, filters, ranking, snippets; SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.ingest.seeds import find_seed_files, read_seeds
from bot.runtime.app import App
from bot.services.search import search
from tests.helpers import SEEDS, run_cli


def _stems(out: str) -> list[str]:
    return sorted(Path(i["origin"]).stem[:3] for i in json.loads(out)["items"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("엔비디아", ["000", "001", "004"]),
        ("NVIDIA", ["000", "001", "004"]),
        ("소버린", ["000", "001", "002", "004"]),
        ("에이펙", ["000", "001", "002"]),
        ("그래픽처리장치", ["001", "002", "003"]),
    ],
)
def test_search_seeds(
    seeded_url: str, capsys: pytest.CaptureFixture[str], query: str, expected: list[str]
) -> None:
    code, out, _ = run_cli(["search", query, "--format", "json", "--db", seeded_url], capsys)
    assert code == 0
    assert _stems(out) == expected
    assert json.loads(out)["total"] == len(expected)


def test_search_finds_inflected_forms_with_a_snippet(
    seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["search", "엔비디아", "--format", "json", "--db", seeded_url], capsys)
    items = json.loads(out)["items"]
    snippets = " ".join(i["snippet"] for i in items)
    assert "엔비디아" in snippets and (
        "엔비디아의" in snippets or "엔비디아는" in snippets or "엔비디아 " in snippets
    )


def test_search_filters_by_topic_and_date(
    seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_cli(
        ["search", "엔비디아", "--topic", "gpu_deal", "--format", "json", "--db", seeded_url],
        capsys,
    )
    assert _stems(out) == ["000", "001"]
    _, out, _ = run_cli(
        ["search", "AI", "--since", "2025-08-01", "--format", "json", "--db", seeded_url], capsys
    )
    assert "003" not in _stems(out)  # published 2025-02-20


def test_ranking_prefers_the_title(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["search", "소버린", "--format", "json", "--db", seeded_url], capsys)
    assert Path(json.loads(out)["items"][0]["origin"]).stem.startswith(
        "002"
    )  # 소버린AI in the headline


def test_text_output_and_unknown_topic(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["search", "스타게이트", "--db", seeded_url], capsys)
    assert code == 0 and "스타게이트" in out
    code, _, err = run_cli(["search", "x", "--topic", "weather", "--db", seeded_url], capsys)
    assert code == 2 and "weather" in err


@pytest.mark.postgres
def test_search_on_postgres_matches_sqlite(pg_url: str, seeded_url: str, analyser, topics) -> None:  # type: ignore[no-untyped-def]
    pg = App(Settings(database_url=pg_url))
    pg.pipeline.ingest(list(read_seeds(find_seed_files([str(SEEDS)]))))
    lite = App(Settings(database_url=seeded_url))
    try:
        for query in ("엔비디아", "NVIDIA", "소버린", "에이펙 정상회의", "엔비디아 -GPU"):
            on_pg = search(pg, query)
            on_lite = search(lite, query)
            assert sorted(Path(i.origin).name for i in on_pg.items) == sorted(
                Path(i.origin).name for i in on_lite.items
            ), query
            assert on_pg.total == on_lite.total
        gpu = search(pg, "엔비디아", topics=["gpu_deal"])
        assert sorted(Path(i.origin).name[:3] for i in gpu.items) == ["000", "001"]
        first = search(pg, "소버린").items[0]
        assert Path(first.origin).name.startswith("002")
    finally:
        pg.close()
        lite.close()


def test_date_filters_are_exact_across_months(db_url: str, analyser, topics) -> None:  # type: ignore[no-untyped-def]
    """Periods are read through month and year tokens in the index; the totals must equal a
    plain count of the articles dated inside the period, whatever the boundaries."""
    from datetime import UTC, datetime, timedelta

    from bot.store.drafts import Draft

    app = App(Settings(database_url=db_url))
    start = datetime(2024, 11, 20, 6, 0, tzinfo=UTC)
    dates = [start + timedelta(days=9 * i, hours=i) for i in range(50)]  # Nov 2024 … Jan 2026
    drafts = [
        Draft(
            title=f"엔비디아 소식 {i}",
            body=f"엔비디아가 {i}번째 발표를 했다. 번호 {i}.",
            origin=f"d{i}.txt",
            published_at=when,
        )
        for i, when in enumerate(dates)
    ]
    app.pipeline.ingest(drafts)
    periods = [
        (datetime(2025, 1, 1, tzinfo=UTC), None),
        (datetime(2025, 3, 15, 12, tzinfo=UTC), datetime(2025, 9, 2, tzinfo=UTC)),
        (None, datetime(2025, 2, 1, tzinfo=UTC)),
        (datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)),
        (datetime(2025, 12, 31, 23, tzinfo=UTC), None),
        (datetime(2030, 1, 1, tzinfo=UTC), None),
    ]
    try:
        for since, until in periods:
            expected = {
                i
                for i, when in enumerate(dates)
                if (since is None or when >= since) and (until is None or when < until)
            }
            result = search(app, "엔비디아", since=since, until=until, limit=100)
            assert result.total == len(expected), (since, until)
            assert {int(i.title.split()[-1]) for i in result.items} == expected, (since, until)
    finally:
        app.close()
