"""Issue 27, failure 7: text a database refuses (NUL from ``&#0;``, lone surrogates, control
characters) never blocks a feed: every item is stored without it, the feed stays healthy, on
SQLite and on PostgreSQL; mute targets and watch terms with a NUL are stored the same way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.analysis.pipeline import Pipeline
from bot.chat.commands import Commands
from bot.chat.console import answer, console_context
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.delivery.planner import Planner
from bot.ingest.poller import Poller
from bot.runtime.app import App
from bot.store import Place, open_store
from bot.store.views import Schedule
from tests.helpers.feedserver import FeedServer, canned, rss
from tests.helpers.serve import ingest_seeds
from tests.helpers.stories import gpu_story, story


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


def feed_with_a_nul(n: int) -> bytes:
    """Five items; the third has ``&#0;`` in its title and an escaped ``&#0;`` and a lone
    surrogate entity in its body, as a broken CMS would send them."""
    items = [story(i) for i in range(1, 6)]
    items[2]["title"] = "시립도서관 NUL1 야간 개관"
    items[2]["description"] = "야간 개관을 NUL2 늘린다고 SURR 밝혔다. 이용자 설문 결과다."
    if n > 1:
        items.append(story(10 + n))
    doc = rss(items)
    return (
        doc.replace(b"NUL1", b"&#0;")
        .replace(b"NUL2", b"&amp;#0;")
        .replace(b"SURR", b"&amp;#xD800;")
    )


def test_a_nul_in_one_item_does_not_block_its_feed(
    url: str, server: FeedServer, analyser: object, topics: object
) -> None:
    live = canned(feed_with_a_nul(1))
    route = server.route("/feed", lambda h: live(h))
    store = open_store(url)
    try:
        watcher = Poller(store, Settings(database_url=url, allow_private_feeds=True))
        pipeline = Pipeline(store, topics, analyser)  # type: ignore[arg-type]
        feed, _ = store.add_feed(route, "도서관\x00 소식")
        report = watcher.poll_sync(everything=True)
        pipeline.process_pending()  # poll, then process (as the scheduler does)
        outcome = report.outcome(feed.id)
        assert outcome is not None and outcome.ok and outcome.error is None
        assert report.items_ingested == 5
        titles = [a.title for a in store.articles(list(range(1, 10)))]
        assert "시립도서관  야간 개관" in titles or "시립도서관 야간 개관" in titles
        assert not any("\x00" in t for t in titles)
        stored = store.get_feed(feed.id)
        assert stored is not None and stored.health == "ok" and not stored.disabled
        warning = stored.last_error or ""  # the XML is malformed (&#0;): a warning, no failure
        assert len(warning) <= 300 and "INSERT" not in warning and "야간" not in warning
        assert stored.name == "도서관 소식"

        live = canned(feed_with_a_nul(2))  # the next poll goes on: one more item
        assert watcher.poll_sync(everything=True).items_ingested == 1
        pipeline.process_pending()
    finally:
        store.close()


def test_a_nul_in_a_mute_target_and_a_watch_term_is_dropped(url: str, analyser: object) -> None:
    ingest_seeds(url)  # 연합뉴스 is an outlet the store has seen (a mute names one)
    app = App(Settings(database_url=url))
    try:
        commands, ctx = Commands(app), console_context()
        said = answer(commands, "/news mute 연합\x00뉴스", ctx) or ""
        assert "연합뉴스" in said and "\x00" not in said
        assert "연합뉴스" in (answer(commands, "/news mute", ctx) or "")
        said = answer(commands, "/news watch add hbm HBM 고대역\x00폭메모리 --yes", ctx) or ""
        assert "저장했습니다" in said
        [watch] = app.store.watches()
        assert watch.spec["terms"] == ["HBM", "고대역폭메모리"]
    finally:
        app.close()


@pytest.mark.postgres
def test_an_item_the_database_refuses_is_reported_and_the_rest_are_stored(
    pg_url: str,
    server: FeedServer,
    analyser: object,
    topics: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    items = [story(i) for i in range(1, 6)]
    items[1]["link"] = items[1]["guid"] = "https://news.example.kr/" + "a" * 3000  # > 2048
    route = server.route("/feed", canned(rss(items)))
    store = open_store(pg_url)
    try:
        watcher = Poller(store, Settings(database_url=pg_url, allow_private_feeds=True))
        pipeline = Pipeline(store, topics, analyser)  # type: ignore[arg-type]
        feed, _ = store.add_feed(route, "도서관 소식")
        report = watcher.poll_sync(everything=True)
        pipeline.process_pending()  # poll, then process (as the scheduler does)
        outcome = report.outcome(feed.id)
        assert outcome is not None and outcome.ok and report.items_ingested == 4
        assert outcome.warning == "1 item of 5 not stored (DataError)"
        stored = store.get_feed(feed.id)
        assert stored is not None and stored.health == "ok"
        assert stored.last_error == "1 item of 5 not stored (DataError)"
        refused = [r.getMessage() for r in caplog.records if "not stored" in r.getMessage()]
        assert refused == [f"feed #{feed.id} {route}: item 2 of 5 not stored (DataError)"]
    finally:
        store.close()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_the_alert_cap_writes_five_alerts_one_group_and_marks_the_rest(
    backend: str, request: pytest.FixtureRequest, analyser: object
) -> None:
    """Issue 27, failure 6, in the store: 8 alert-worthy stories for one channel make five
    alert rows, one "3 more" row, and three rows marked sent that keep those from alerting."""
    url = str(request.getfixturevalue("db_url" if backend == "sqlite" else "pg_url"))
    clock = FixedClock(datetime.now(UTC))
    app = App(Settings(database_url=url), clock=clock)
    try:
        place = Place("slack", "T1", "C1")
        app.store.subscribe(place, {"gpu_deal": Schedule("09:00", "Asia/Seoul", True)}, user="U1")
        clock.set(clock.now() + timedelta(seconds=1))
        app.pipeline.ingest([gpu_story(n, gpus=(40 + n) * 1000) for n in range(1, 9)])
        planner = Planner(app)
        now = app.clock.now() + timedelta(seconds=5)
        assert planner.plan(now) == 6
        assert planner.plan(now + timedelta(minutes=1)) == 0  # nothing twice
        rows = app.store.deliveries()
        pending = sorted(r.key.split(":")[0] for r in rows if r.status == "pending")
        assert pending == ["alert"] * 5 + ["alert-more"]
        assert len([r for r in rows if r.status == "sent"]) == 3
    finally:
        app.close()


def test_a_story_key_with_a_nul_is_stored_without_it(url: str) -> None:
    # the story keys go to the driver's executemany, past the engine's check: they are made
    # storable there the same way (the NUL dropped)
    from bot.analysis import stories
    from bot.analysis.story_assign import StoryRule
    from bot.store.drafts import Draft
    from bot.store.views import AnalysedRecord

    store = open_store(url)
    try:
        when = datetime(2026, 11, 20, 9, tzinfo=UTC)
        ids = store.add_drafts(
            [
                Draft(f"도서관 개관 {i}", f"도서관 야간 개관 {i}.", f"t/{i}.txt", published_at=when)
                for i in (1, 2)
            ]
        )
        profile = {"v": 2, "title": ["도서관"], "nums": ["130000"], "body": {"도서관": 1.0}}

        def record(article_id: int) -> AnalysedRecord:
            return AnalysedRecord(
                id=article_id,
                topics_hash="h",
                scores={},
                matches=[],
                entities=[],
                title_terms="도서관",
                body_terms="도서관",
                when=when,
                story=dict(profile),
                story_keys=["o:시립\x00도서관"],
            )

        for article_id in ids:  # one batch each
            store.save_analysis([record(article_id)], StoryRule(), stories.WINDOW)
        with store.read() as s:
            keys = s.execute(
                text("SELECT article_id, key FROM story_keys ORDER BY article_id, key")
            ).all()
        assert [tuple(k) for k in keys] == [(ids[0], "o:시립도서관"), (ids[1], "o:시립도서관")]
        # and the second report, saved in a batch of its own, found the first by that key
        # (looked up as stored): one story
        with store.read() as s:
            stories = s.execute(text("SELECT DISTINCT cluster_id FROM articles")).all()
        assert len(stories) == 1
    finally:
        store.close()
