"""Issue 27, failure 5: a multi-megabyte feed item costs what an ordinary long report costs.

Its whole text is stored and shown; kiwi, matching, stories and briefs read the first
``ANALYSED_CHARS`` characters (``bot/analysis/limits.py``).  The figures against a 4 MB item
are in ``bench/bench_big_item.py``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.analysis.limits import ANALYSED_CHARS, analysed_body
from bot.config.settings import Settings
from bot.ingest.poller import Poller
from bot.runtime.app import App
from tests.helpers.bot import Bot
from tests.helpers.feedserver import FeedServer, canned, rss
from tests.helpers.stories import GPU_BODY, GPU_TITLE, story

# invented filler paragraphs, about the library (no topic terms)
FILLER = [
    f"시립도서관은 {n}번째 독서 모임을 열고 지역 작가의 신간을 함께 읽었다. 참가자들은 "
    f"주말 프로그램을 늘려 달라고 요청했고, 도서관은 {n % 7 + 1}월 중 시간표를 새로 짠다."
    for n in range(60)
]


def long_body(chars: int) -> str:
    paragraphs = [GPU_BODY]
    size = len(GPU_BODY)
    n = 0
    while size < chars:
        paragraphs.append(FILLER[n % len(FILLER)])
        size += len(paragraphs[-1]) + 1
        n += 1
    paragraphs.append("아시아태평양경제협력체(APEC) 정상회의 준비위원회가 경주에서 회의를 열었다.")
    return "\n".join(paragraphs)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


def test_the_analysed_part_is_cut_at_a_paragraph_end() -> None:
    body = long_body(3 * ANALYSED_CHARS)
    cut = analysed_body(body)
    assert ANALYSED_CHARS - 2_000 < len(cut) <= ANALYSED_CHARS
    assert body.startswith(cut) and body[len(cut)] == "\n"
    assert analysed_body(GPU_BODY) == GPU_BODY


@pytest.mark.slow
def test_a_two_megabyte_item_is_stored_whole_and_only_its_lead_analysed(
    server: FeedServer, db_url: str, analyser: object
) -> None:
    body = long_body(700_000)  # about 2 MB of UTF-8; the unbounded analysis took minutes
    items = [{"title": GPU_TITLE, "link": "https://news.example.kr/gpu", "description": body}]
    route = server.route("/feed", canned(rss([*items, story(1), story(2)])))
    settings = Settings(database_url=db_url, allow_private_feeds=True)
    app = App(settings)
    try:
        feed, _ = app.store.add_feed(route, "큰 피드")
        report = Poller(app.store, settings).poll_sync(everything=True)
        app.pipeline.process_pending()  # poll, then process
        assert report.items_ingested == 3 and report.feed_errors == 0
        [big] = [a for a in app.store.articles([1, 2, 3]) if a.title == GPU_TITLE]
        assert len(big.body) == len(body.strip())  # the whole text is kept
        assert "gpu_deal" in big.topics  # from its lead
        assert "apec" not in big.topics  # its only APEC line is past the analysed part

        shown = Bot(app)(f"/news why {big.id}")
        assert "26만" in shown and len(shown) < 5_000  # the reason, not the megabytes
    finally:
        app.close()
