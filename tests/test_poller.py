"""The poller (`bot/ingest/poller.py`) against real HTTP servers on 127.0.0.1, a real SQLite file and the real kiwi
analyser: conditional GET, hostile documents and servers inside one poll, dedup across polls and
feeds, first-poll silence, malformed feeds, scheduling hints, backoff and disabling."""

from __future__ import annotations

import itertools
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.analysis.pipeline import Pipeline
from bot.config.settings import Settings
from bot.ingest.poller import Poller, PollReport
from bot.ingest.rss import REFUSED_DTD
from bot.store import Store, Window, open_store
from tests.helpers.feedserver import (
    FeedServer,
    Handler,
    Responder,
    canned,
    conditional,
    endless,
    gzip_bomb,
    hang,
    rss,
    trickle,
)
from tests.helpers.stories import GPU_BODY, GPU_TITLE, story

MIB = 1024 * 1024


class Live:
    """A route whose document can change between polls."""

    def __init__(self, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.body = body
        self.headers = headers or {}

    def __call__(self, h: Handler) -> None:
        canned(self.body, headers=self.headers)(h)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture
def make_watcher(db_url: str, analyser: object, topics: object) -> Iterator[Callable[..., Poller]]:
    stores: list[Store] = []

    def make(**overrides: object) -> Poller:
        settings = Settings(database_url=db_url, allow_private_feeds=True, **overrides)  # type: ignore[arg-type]
        store = open_store(db_url)
        stores.append(store)
        watcher = Poller(store, settings)
        pipelines[id(watcher)] = Pipeline(store, topics, analyser)  # type: ignore[arg-type]
        return watcher

    yield make
    for store in stores:
        store.close()


# each watcher's pipeline: a poll is followed by processing, as the scheduler's job does
pipelines: dict[int, Pipeline] = {}


def poll(watcher: Poller, **kw: object) -> PollReport:
    report = watcher.poll_sync(everything=True, **kw)  # type: ignore[arg-type]
    pipelines[id(watcher)].process_pending()
    return report


# --- acceptance 1: conditional GET ------------------------------------------------------------


def test_second_poll_of_an_unchanged_feed_is_a_304_and_stores_nothing(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    etag, modified = '"v1"', "Tue, 28 Oct 2025 09:00:00 GMT"
    url = server.route("/feed", conditional(rss([story(1), story(2), story(3)]), etag, modified))
    watcher = make_watcher()
    feed, _ = watcher.store.add_feed(url, "도서관 소식")

    first = poll(watcher)
    assert first.items_ingested == 3 and first.feed_errors == 0
    assert "If-None-Match" not in server.requests[-1][1]

    second = poll(watcher)
    sent = server.requests[-1][1]
    assert sent["If-None-Match"] == etag and sent["If-Modified-Since"] == modified
    outcome = second.outcome(feed.id)
    assert outcome is not None and outcome.ok and outcome.not_modified
    assert second.not_modified == 1 and second.items_ingested == 0
    assert watcher.store.count_articles() == 3
    stored = watcher.store.get_feed(feed.id)
    assert stored is not None and stored.health == "ok" and stored.etag == etag


# --- first poll silent, later polls only the new ----------------------------------------------


def test_first_poll_is_silent_and_later_polls_bring_only_new_items(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    old_deal = {
        "title": "SK텔레콤, AI 데이터센터용 GPU 1만 장 확보",
        "link": "https://news.example.kr/gpu-old",
        "description": "SK텔레콤이 울산 AI 데이터센터에 들일 엔비디아 GPU 1만 장을 확보하는 "
        "계약을 맺었다. 데이터센터는 내년 가동을 목표로 한다.",
    }
    live = Live(rss([old_deal, story(1), story(2)]))
    url = server.route("/feed", live)
    watcher = make_watcher()
    watcher.store.add_feed(url, "시정 뉴스")

    first = poll(watcher)
    assert first.items_ingested == 3 and first.items_silent == 3
    store = watcher.store
    matched = store.articles(store.matched_ids(Window(include_silent=True)))
    assert [(i.title, i.topics, i.silent) for i in matched] == [
        (old_deal["title"], ["gpu_deal"], True)
    ]  # matched and searchable, but a backlog: never alerted or digested
    assert store.matched_ids(Window()) == []

    gpu = {"title": GPU_TITLE, "link": "https://news.example.kr/gpu", "guid": "gpu-1",
           "description": GPU_BODY}  # fmt: skip
    live.body = rss([gpu, old_deal, story(1), story(2)])
    second = poll(watcher)
    assert second.items_ingested == 1 and second.items_silent == 0
    alertable = store.articles(store.matched_ids(Window(include_silent=False)))
    assert [(i.title, i.topics, i.source) for i in alertable] == [
        (GPU_TITLE, ["gpu_deal"], "(feed) 시정 뉴스")
    ]
    assert alertable[0].origin == url and not alertable[0].silent

    assert poll(watcher).items_ingested == 0  # the same document again: nothing new


# --- acceptance 3: hostile XML inside a poll --------------------------------------------------


def _billion_laughs() -> bytes:
    ents = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        ents.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [' + "".join(ents) + "]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"
    ).encode()


def _quadratic_blowup() -> bytes:
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + "a" * 50_000 + '">]>\n'
        '<rss version="2.0"><channel><title>q</title><item><title>t</title><description>'
        + "&a;" * 50_000
        + "</description></item></channel></rss>"
    ).encode()


def _external(target: str) -> bytes:
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "' + target + '">]>\n'
        '<rss version="2.0"><channel><title>x</title>'
        "<item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>"
    ).encode()


def test_entity_attacks_are_refused_unexpanded_while_the_good_feeds_are_stored(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    with FeedServer() as secret:
        secret.route("/secret", canned(b"TOP SECRET"))
        bad = {
            "/laughs": _billion_laughs(),
            "/quadratic": _quadratic_blowup(),
            "/xxe-http": _external(secret.url("/secret")),
            "/xxe-file": _external("file:///etc/passwd"),
        }
        watcher = make_watcher()
        ids = {}
        for path, body in bad.items():
            ids[path] = watcher.store.add_feed(server.route(path, canned(body)))[0].id
        good_a = server.route("/a", canned(rss([story(1), story(2)])))
        good_b = server.route("/b", canned(rss([story(3, "https://other.example.kr")])))
        for url in (good_a, good_b):
            watcher.store.add_feed(url)

        tracemalloc.start()
        try:
            report = poll(watcher)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

        assert secret.total_hits == 0  # the external entity was never fetched
    assert peak < 200 * MIB
    for path, feed_id in ids.items():
        outcome = report.outcome(feed_id)
        assert outcome is not None, path
        assert not outcome.ok and outcome.error == REFUSED_DTD, path
    # refused before expanding anything: the memory bound says so whatever the machine's load
    # (an expanded billion laughs takes gigabytes); the time it takes is the load's
    assert report.feed_errors == 4 and report.items_ingested == 3
    titles = sorted(i.title for i in watcher.store.articles(list(range(1, 10))))
    assert titles == sorted(story(n)["title"] for n in (1, 2, 3))
    assert not any("lol" in t or "SECRET" in t for t in titles)


# --- acceptance 4: hostile servers inside a poll ----------------------------------------------


@pytest.mark.slow
def test_hung_trickling_endless_and_bomb_feeds_cost_only_their_deadline(
    make_watcher: Callable[..., Poller],
) -> None:
    hostile: dict[str, Responder] = {
        "hang": hang(),
        "trickle": trickle(interval=2.0),
        "endless": endless(),
        "bomb": gzip_bomb(1 << 30),
    }
    deadline = 2.0
    watcher = make_watcher(fetch_timeout=deadline, fetch_max_bytes=MIB)
    with (
        FeedServer() as s1,
        FeedServer() as s2,
        FeedServer() as s3,
        FeedServer() as s4,
        FeedServer() as good,
    ):
        ids = {}
        for srv, (name, responder) in zip((s1, s2, s3, s4), hostile.items(), strict=True):
            ids[name] = watcher.store.add_feed(srv.route("/feed", responder), name)[0].id
        for n in range(3):
            watcher.store.add_feed(good.route(f"/good{n}", canned(rss([story(10 + n)]))))

        started = time.perf_counter()
        report = poll(watcher)
        elapsed = time.perf_counter() - started

    assert elapsed < deadline + 2.5, f"poll took {elapsed:.1f} s"
    errors = {name: report.outcome(i).error for name, i in ids.items()}  # type: ignore[union-attr]
    too_big = "response body larger than 1 MiB (after decompression)"
    assert errors == {
        "hang": "timed out after 2 s",
        "trickle": "timed out after 2 s",
        "endless": too_big,
        "bomb": too_big,
    }
    assert report.items_ingested == 3 and watcher.store.count_articles() == 3
    health = {f.name: (f.health, f.last_error) for f in watcher.store.list_feeds() if f.name}
    assert health["hang"] == ("failing", "timed out after 2 s")


def test_feeds_on_one_host_are_fetched_two_at_a_time_without_holding_up_other_hosts(
    make_watcher: Callable[..., Poller],
) -> None:
    lock = threading.Lock()
    gauge = {"now": 0, "peak": 0}
    quick_served = threading.Event()
    held_until_quick: list[bool] = []

    def slow(body: bytes) -> Responder:
        def respond(h: Handler) -> None:
            with lock:
                gauge["now"] += 1
                gauge["peak"] = max(gauge["peak"], gauge["now"])
            time.sleep(0.3)
            # a busy site answers only once the other site's feed has been fetched: were that
            # feed queued behind these, this would wait out its 30 s and say so
            held_until_quick.append(quick_served.wait(30))
            with lock:
                gauge["now"] -= 1
            canned(body)(h)

        return respond

    def quick_feed(h: Handler) -> None:
        canned(rss([story(1)]))(h)
        quick_served.set()

    watcher = make_watcher()
    with FeedServer() as busy, FeedServer() as other:
        for n in range(6):
            watcher.store.add_feed(busy.route(f"/f{n}", slow(rss([story(20 + n)]))))
        quick, _ = watcher.store.add_feed(other.route("/feed", quick_feed))
        report = poll(watcher)
    assert gauge["peak"] == 2  # polite: never more than two requests at once to one site
    assert report.items_ingested == 7 and report.duration_s >= 0.9  # 6 feeds, 2 at a time
    fast = report.outcome(quick.id)
    assert fast is not None and fast.ok
    assert held_until_quick == [True] * 6  # it was not queued behind them


# --- acceptance 7: dedup ----------------------------------------------------------------------


def test_repeated_guids_are_kept_apart_and_stored_once(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    one = story(1, guid="same-guid")
    two = story(2, guid="same-guid")  # another story under the same guid
    url = server.route("/feed", canned(rss([one, two, one])))  # and one item listed twice
    watcher = make_watcher()
    watcher.store.add_feed(url)

    assert poll(watcher).items_ingested == 2
    assert poll(watcher).items_ingested == 0
    assert watcher.store.count_articles() == 2


def test_a_feed_that_remints_guids_on_every_fetch_posts_nothing_twice(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    fetches = itertools.count()
    linkless = {
        "title": "속보: 항만 운영 재개",
        "description": "태풍으로 멈췄던 항만이 다시 열렸다.",
    }

    def reminting(h: Handler) -> None:
        n = next(fetches)
        items = [
            story(k)
            | {"guid": str(uuid.uuid4()), "link": f"{story(k)['link']}?utm_source=rss&n={n}"}
            for k in (1, 2)
        ]
        items.append(linkless | {"guid": str(uuid.uuid4())})
        canned(rss(items))(h)

    watcher = make_watcher()
    watcher.store.add_feed(server.route("/feed", reminting))
    assert poll(watcher).items_ingested == 3
    assert poll(watcher).items_ingested == 0
    assert poll(watcher).items_ingested == 0
    assert server.hits["/feed"] == 3 and watcher.store.count_articles() == 3


def test_the_same_story_in_two_feeds_is_stored_once(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    wire = {
        "title": "정부, 내년 예산안 국회 제출",
        "description": "정부가 내년도 예산안을 확정해 국회에 냈다. " * 12,  # a whole wire story
    }
    a = [
        story(1) | {"link": "https://news.example.kr/article/1?utm_source=feed_a"},
        wire | {"link": "https://a.example.kr/wire/77", "guid": "a-77"},
    ]
    b = [
        story(1)  # the same article, retitled, under its own guid and a tracking link
        | {"title": "[종합] 도서관 야간 개관", "guid": "b-1"}
        | {"link": "https://NEWS.example.kr/article/1?fbclid=xyz"},
        wire | {"link": "https://b.example.kr/politics/123", "guid": "b-123"},
        story(5),
    ]
    watcher = make_watcher()
    watcher.store.add_feed(server.route("/a", canned(rss(a))), "A일보")
    watcher.store.add_feed(server.route("/b", canned(rss(b))), "B신문")
    report = poll(watcher)
    assert report.items_ingested == 3 and watcher.store.count_articles() == 3


# --- malformed documents ----------------------------------------------------------------------


def test_a_malformed_feed_keeps_its_entries_and_reports_the_problem(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    broken = rss([story(1), story(2)]).replace(b"</channel></rss>", b"<item><title>cut")
    url = server.route("/broken", canned(broken))
    junk = server.route("/html", canned(b"<html><body>Not a feed</body></html>"))
    watcher = make_watcher()
    feed, _ = watcher.store.add_feed(url)
    page, _ = watcher.store.add_feed(junk)

    report = poll(watcher)
    kept, html = report.outcome(feed.id), report.outcome(page.id)
    assert kept is not None and kept.ok and kept.new_items == 2
    assert kept.warning is not None and kept.warning.startswith("malformed feed (kept")
    assert html is not None and not html.ok and html.error is not None
    stored = watcher.store.get_feed(feed.id)
    assert stored is not None and stored.health == "ok"
    assert stored.last_error == kept.warning and stored.consecutive_errors == 0


# --- scheduling: hints, backoff, disabling ----------------------------------------------------


def test_ttl_and_max_age_put_the_next_poll_off(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    ttl_feed = server.route("/ttl", canned(rss([story(1)], ttl=60)))
    cached = server.route(
        "/cached", canned(rss([story(2)]), headers={"Cache-Control": "max-age=7200"})
    )
    plain = server.route("/plain", canned(rss([story(3)])))
    watcher = make_watcher()
    for url in (ttl_feed, cached, plain):
        watcher.store.add_feed(url, interval_s=900)
    t0 = datetime(2030, 1, 1, tzinfo=UTC)
    watcher.poll_sync(now=t0)
    due = {f.url: f.next_due_at for f in watcher.store.list_feeds()}
    assert due == {
        ttl_feed: t0 + timedelta(hours=1),
        cached: t0 + timedelta(hours=2),
        plain: t0 + timedelta(minutes=15),
    }

    report = watcher.poll_sync(now=t0 + timedelta(minutes=30))  # only the plain feed is due
    assert [o.url for o in report.outcomes] == [plain]
    assert server.hits["/ttl"] == 1 and server.hits["/cached"] == 1


def test_failures_back_off_exponentially_honour_retry_after_and_disable(
    server: FeedServer, make_watcher: Callable[..., Poller]
) -> None:
    url = server.route("/feed", canned(b"oops", 500))
    busy = server.route("/busy", canned(b"", 503, headers={"Retry-After": "36000"}))
    watcher = make_watcher(feed_max_errors=3)
    feed, _ = watcher.store.add_feed(url, "flaky", interval_s=900)
    watcher.store.add_feed(busy, "busy", interval_s=900)

    t = datetime(2030, 1, 1, tzinfo=UTC)
    report = watcher.poll_sync(now=t)
    views = {f.name: f for f in watcher.store.list_feeds()}
    assert views["flaky"].next_due_at == t + timedelta(minutes=30)  # 2 x interval
    assert views["busy"].next_due_at == t + timedelta(hours=10)  # Retry-After wins
    assert views["flaky"].last_error == "HTTP 500 Internal Server Error"
    assert report.feed_errors == 2

    assert watcher.poll_sync(now=t + timedelta(minutes=20)).feeds_polled == 0  # backing off
    second = watcher.poll_sync(now=t + timedelta(minutes=30))
    flaky = second.outcome(feed.id)
    assert flaky is not None and flaky.next_due_at == t + timedelta(minutes=90)  # +4 x interval
    third = watcher.poll_sync(now=t + timedelta(minutes=90))
    flaky = third.outcome(feed.id)
    assert flaky is not None and flaky.disabled_now and flaky.consecutive_errors == 3
    view = watcher.store.get_feed(feed.id)
    assert view is not None and view.health == "disabled"
    assert view.disabled_reason == "3 consecutive failures; last: HTTP 500 Internal Server Error"

    hits = server.hits["/feed"]
    assert poll(watcher).outcome(feed.id) is None  # a disabled feed is not polled, even --all
    assert server.hits["/feed"] == hits

    watcher.store.enable_feed(feed.id)
    server.route("/feed", canned(rss([story(1)])))
    fixed = poll(watcher).outcome(feed.id)
    assert fixed is not None and fixed.ok and fixed.new_items == 1
    view = watcher.store.get_feed(feed.id)
    assert view is not None and (view.health, view.consecutive_errors, view.last_error) == (
        "ok",
        0,
        None,
    )
