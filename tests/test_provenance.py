"""Issue 27, failures 1-4: whatever a feed says is not believed.

Two real HTTP servers on loopback stand for two sites: the outlet's own (127.0.0.2, named
연합뉴스 in an operator's outlets file, as yna.co.kr is in the built-in table) and a content
farm's (127.0.0.1).  Everything goes through ``newsbot``: feeds added, polled, then the digest,
``why`` and ``search`` read as a user would, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.helpers import run_cli
from tests.helpers.feedserver import FeedServer, canned, rss
from tests.helpers.stories import GPU_BODY, GPU_TITLE

OUTLET = "연합뉴스"
OUTLET_HOST = "127.0.0.2"
PUBLISHED = "Fri, 31 Oct 2025 01:00:00 GMT"
LATER = "Fri, 31 Oct 2025 02:00:00 GMT"


@dataclass
class Sites:
    db: str
    outlet: FeedServer  # the outlet's own site and feed
    farm: FeedServer  # another site, whose feed republishes or impersonates

    def article(self, n: int) -> str:
        return self.outlet.url(f"/view/AKR2025103100{n:04d}", host=OUTLET_HOST)

    titles: dict[str, str] = field(default_factory=dict)  # each feed's <title>, by URL

    def outlet_feed(self, *items: dict[str, str]) -> str:
        self.outlet.route("/rss/news.xml", canned(rss(items, title=OUTLET)))
        url = self.outlet.url("/rss/news.xml", host=OUTLET_HOST)
        self.titles[url] = OUTLET
        return url

    def farm_feed(self, *items: dict[str, str], title: str = "AI 뉴스 모음") -> str:
        url = self.farm.route("/feed.xml", canned(rss(items, title=title)))
        self.titles[url] = title
        return url

    def cli(self, capsys: pytest.CaptureFixture[str], *args: str) -> str:
        code, out, err = run_cli([*args, "--db", self.db], capsys)
        assert code == 0, err
        return out

    def json(self, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
        return json.loads(self.cli(capsys, *args, "--format", "json"))

    def add(self, capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> None:
        """Add the feed and take its first poll while it lists nothing yet: a first poll's
        items are stored silent and never digested, and these tests read the digest of what
        the feed publishes afterwards."""
        server = self.outlet if f"//{OUTLET_HOST}:" in url else self.farm
        path = urlsplit(url).path
        publishes = server.routes[path]
        server.route(path, canned(rss([], title=self.titles[url])))
        self.cli(capsys, "feeds", "add", url, *extra)
        self.cli(capsys, "poll", "--all")
        server.route(path, publishes)

    def poll(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.cli(capsys, "poll", "--all")

    def digest(self, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.json(capsys, "digest", "--since", "all")["items"]
        return items


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sites(
    request: pytest.FixtureRequest,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Sites]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else db_url
    table = tmp_path / "outlets.toml"
    table.write_text(f'[outlets]\n"{OUTLET}" = ["{OUTLET_HOST}"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_OUTLETS_FILE", str(table))
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    with FeedServer(OUTLET_HOST) as outlet, FeedServer("127.0.0.1") as farm:
        yield Sites(url, outlet, farm)


def report(
    link: str, title: str = GPU_TITLE, body: str = GPU_BODY, when: str = PUBLISHED
) -> dict[str, str]:
    return {"title": title, "link": link, "guid": link, "description": body, "pubDate": when}


def test_1_a_copy_polled_first_does_not_replace_the_outlets_report(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = sites.farm.url("/copy/1")
    sites.add(capsys, sites.farm_feed(report(copy, when=LATER)))
    sites.poll(capsys)  # the farm's copy of the wire report arrives first
    real = sites.article(1)
    sites.add(capsys, sites.outlet_feed(report(real)))
    sites.poll(capsys)

    [item] = sites.digest(capsys)
    assert (item["url"], item["source"]) == (real, OUTLET)
    why = sites.json(capsys, "why", str(item["id"]))
    assert (why["url"], why["source"]) == (real, OUTLET)
    found = sites.json(capsys, "search", "블랙웰")
    assert [(i["url"], i["source"]) for i in found["items"]] == [(real, OUTLET)]


def test_2_a_copy_padded_with_topic_terms_does_not_become_the_storys_entry(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    padded = GPU_TITLE + " 엔비디아 GPU 26만장 공급 AI 데이터센터 블랙웰 HBM 엔비디아 GPU"
    sites.add(capsys, sites.farm_feed(report(sites.farm.url("/copy/2"), title=padded)))
    real = sites.article(2)
    sites.add(capsys, sites.outlet_feed(report(real, when=LATER)))
    sites.poll(capsys)

    [entry] = sites.digest(capsys)  # one story: the outlet's report stands for it
    assert (entry["title"], entry["url"], entry["source"]) == (GPU_TITLE, real, OUTLET)
    members = {m["title"]: m["source"] for m in entry["cluster"]["members"]}
    assert members[padded] == "(feed) AI 뉴스 모음"  # the copy is listed as the feed's
    text = sites.cli(capsys, "digest", "--since", "all")
    assert GPU_TITLE in text and padded not in text.split("\n")[2]


def test_3_an_item_carrying_the_outlets_url_neither_suppresses_it_nor_borrows_its_link(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    next_url = sites.article(3)  # guessable: the outlet's next article id
    fake = "엔비디아 GPU 26만 장 공급 계약 전면 취소…삼성·SK 블랙웰 배정 무산"
    fake_body = "엔비디아가 한국에 GPU 26만 장을 공급하는 계약을 전면 취소했다고 밝혔다."
    sites.add(capsys, sites.farm_feed(report(next_url, title=fake, body=fake_body)))
    sites.poll(capsys)
    sites.add(capsys, sites.outlet_feed(report(next_url)))
    sites.poll(capsys)

    items = {i["title"]: i for i in sites.json(capsys, "search", "엔비디아")["items"]}
    assert items[GPU_TITLE]["url"] == next_url and items[GPU_TITLE]["source"] == OUTLET
    assert items[fake]["url"] != next_url  # never shown under the outlet's link
    assert items[fake]["source"] == "(feed) AI 뉴스 모음"
    shown = sites.cli(capsys, "digest", "--since", "all", "--format", "text")
    for line in shown.splitlines():
        assert not (fake in line and next_url in line)


def test_4_a_feed_named_like_an_outlet_neither_takes_its_place_nor_renames_itself(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    rewritten = "[단독] " + GPU_TITLE
    farm = sites.farm_feed(
        report(sites.farm.url("/a/1"), title=rewritten, body=GPU_BODY + " 재배포."), title=OUTLET
    )
    sites.add(capsys, farm)  # no name given: its <title> then is its name, for good
    real = sites.article(4)
    sites.add(capsys, sites.outlet_feed(report(real)))
    sites.poll(capsys)

    [entry] = sites.digest(capsys)
    sources = {m["source"]: m["url"] for m in entry["cluster"]["members"]}
    assert sources[OUTLET] == real  # the real outlet keeps its place and link
    assert f"(feed) {OUTLET}" in sources
    text = sites.cli(capsys, "digest", "--since", "all")
    assert f"2개 매체: {OUTLET}, (feed) {OUTLET}" in text

    # the feed retitles itself on the next poll: its items keep the name it was added with, so
    # a channel's mute of "(feed) 연합뉴스" (mutes match the source) still holds
    sites.farm_feed(
        report(sites.farm.url("/a/2"), title="삼성전자 HBM 공급 확대", body=GPU_BODY + " 둘째."),
        title="RT @everyone [x](https://evil.example/)",
    )
    sites.poll(capsys)
    feeds = sites.json(capsys, "feeds", "list")["feeds"]
    assert sorted(f["name"] for f in feeds) == [OUTLET, OUTLET]
    found = sites.json(capsys, "search", "HBM")["items"]
    assert {i["source"] for i in found} == {f"(feed) {OUTLET}"}


def test_2_without_a_known_outlet_a_padded_title_still_does_not_lead(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    padded = GPU_TITLE + " 엔비디아 GPU 26만장 공급 AI 데이터센터 블랙웰 HBM 엔비디아 GPU"
    early = sites.farm.route(
        "/b.xml", canned(rss([report(sites.farm.url("/b/1"), title=padded)], title="B"))
    )
    plain = sites.farm.url("/a/1")
    late = sites.farm.route("/a.xml", canned(rss([report(plain, when=LATER)], title="A")))
    sites.titles |= {early: "B", late: "A"}
    sites.add(capsys, early)
    sites.add(capsys, late)
    sites.poll(capsys)

    [entry] = sites.digest(capsys)
    assert (entry["title"], entry["url"], entry["source"]) == (GPU_TITLE, plain, "(feed) A")
