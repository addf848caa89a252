"""Trend pictures and weekly reports: stories (not articles) a day per topic, drawn as a PNG with
the Korean font koreanize-matplotlib ships, from the console and the CLI; the weekly report
through the planner and the outbox to the Slack and Discord fakes, a 429 costing no duplicate."""

from __future__ import annotations

import io
import json
import struct
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.present import chart
from bot.present.i18n import t
from bot.present.trends import trend_image
from bot.runtime.app import App
from bot.services import trends
from bot.store import Place
from bot.store.drafts import Draft
from bot.store.views import Schedule, TrendRow
from tests.helpers import run_cli
from tests.helpers.bot import Bot
from tests.helpers.chat import slack_text
from tests.helpers.fakes.discord_api import rate_limited
from tests.helpers.stories import SEOUL, gpu_story, rewrite
from tests.helpers.world import DISCORD_CH, SLACK_C1, World

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NOW = datetime(2025, 11, 7, 3, 0, tzinfo=UTC)  # Friday 12:00 in Seoul
FRIDAY_NINE = datetime(2025, 11, 7, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
HOUR = timedelta(hours=1)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == PNG_MAGIC, "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def dated(draft: Draft, when: datetime) -> Draft:
    return Draft(
        title=draft.title,
        body=draft.body,
        origin=draft.origin,
        source=draft.source or "연합뉴스",
        published_at=when,
    )


@pytest.fixture
def app(tmp_path: Path, analyser: object) -> Iterator[App]:
    """Four GPU-deal stories over three days: two on the first, one of them run by four
    outlets."""
    app = App(Settings(database_url=f"sqlite:///{tmp_path / 'trend.db'}"), clock=FixedClock(NOW))
    first = gpu_story(1, source="연합뉴스")
    day = NOW - timedelta(days=3)
    app.pipeline.ingest(
        [
            dated(first, day),
            *(
                dated(rewrite(first, s, n), day + timedelta(hours=n))
                for n, s in enumerate(("뉴시스", "뉴스1", "Reuters"), start=1)
            ),
            dated(gpu_story(4, source="전자신문"), day + timedelta(hours=5)),
            dated(gpu_story(2, source="뉴시스"), day + timedelta(days=1)),
            dated(gpu_story(3, source="전자신문"), day + timedelta(days=2)),
        ]
    )
    yield app
    app.close()


def test_a_trend_counts_stories_not_articles_and_names_the_biggest_day(app: App) -> None:
    trend = trends.trend(app, ["gpu_deal"], period="7d")
    [series] = trend.series
    assert len(trend.days) == 7 and trend.days[-1] == NOW.date()  # whole days, today last
    by_day = dict(zip(trend.days, series.counts, strict=True))
    three_days_ago = (NOW - timedelta(days=3)).date()
    assert by_day[three_days_ago] == 2  # four outlets' reports of one deal count once
    assert series.stories == 4 and sum(series.counts) == 4
    assert trend.peak is not None and trend.peak.day == three_days_ago
    assert "KD001" in trend.peak.title  # the day's most reported story
    outlets = dict(trend.outlets)
    assert outlets["연합뉴스"] == 1 and outlets["뉴시스"] == 2  # its own story and a rewrite
    assert outlets["전자신문"] == 2 and trend.stories == 4


def test_a_story_under_two_topics_counts_once_in_the_total_and_on_its_first_day() -> None:
    t0 = datetime(2025, 10, 30, 23, 30, tzinfo=UTC)  # 08:30 on the 31st in Seoul
    rows = [
        TrendRow("apec", 1, 1, "연합뉴스", t0, "엔비디아, 한국에 GPU 26만 장"),
        TrendRow("gpu_deal", 1, 1, "연합뉴스", t0, "엔비디아, 한국에 GPU 26만 장"),
        TrendRow("gpu_deal", 2, 1, "Reuters", t0 + timedelta(days=1), "Nvidia to supply"),
    ]
    trend = trends.build_trend(
        rows, ["apec", "gpu_deal"], {}, t0 - timedelta(days=2), t0 + timedelta(days=2), SEOUL
    )
    assert trend.stories == 1
    for series in trend.series:
        assert series.counts[trend.days.index(datetime(2025, 10, 31).date())] == 1
        assert series.stories == 1
    assert trend.peak is not None and trend.peak.title == "엔비디아, 한국에 GPU 26만 장"


def test_the_trend_png_is_a_valid_picture_drawn_with_the_packaged_korean_font(app: App) -> None:
    trend = trends.trend(app, ["gpu_deal", "apec"], period="30d")
    image = trend_image(trend, "ko")
    assert png_size(image.data) == (1200, 600)
    assert 20_000 < len(image.data) < 1_000_000
    assert "GPU·AI 컴퓨팅 거래" in image.title and "APEC" in image.alt

    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = chart.font_path()
    assert "koreanize_matplotlib" in path.parts and path.name == "NanumGothic.ttf"
    assert Path(font_manager.findfont(chart.font_properties())) == path  # the file, by path
    # every Hangul syllable of the labels has a glyph in that font (no tofu boxes)
    korean = {ch for ch in image.title + "하루 스토리 수 주요 매체" if "가" <= ch <= "힣"}
    font = FT2Font(str(path))
    assert korean and all(font.get_char_index(ord(ch)) for ch in korean)
    # and the font matplotlib falls back to without it has none: the glyphs are really drawn
    fallback = FT2Font(font_manager.findfont("DejaVu Sans"))
    assert not any(fallback.get_char_index(ord(ch)) for ch in korean)
    assert _drawn(path, "한국 스토리") != _drawn(path, "\ue000\ue001 \ue002")  # vs tofu
    # and drawing the chart itself misses no glyph (matplotlib warns for each one it lacks)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.render_trend(trend, "ko")
        chart.render_trend(trend, "en")


def _drawn(font: Path, text: str) -> bytes:
    """The pixels of ``text`` drawn with ``font`` (tofu for characters it lacks)."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=(2, 0.5), dpi=50)
    fig.text(0, 0.2, text, fontproperties=FontProperties(fname=str(font)), fontsize=14)
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph … missing": the tofu is the point
        fig.savefig(out, format="rgba")
    return out.getvalue()


def test_feed_text_in_a_chart_is_drawn_literally(app: App) -> None:
    rows = [TrendRow("gpu_deal", 1, 1, "$x$ 통신", NOW, "비용 $x^$ 급등")]  # bad TeX if parsed
    trend = trends.build_trend(rows, ["gpu_deal"], {}, NOW - timedelta(days=2), NOW, SEOUL)
    assert png_size(chart.render_trend(trend, "ko")) == (1200, 600)  # no TeX error


def test_trend_from_the_console_and_the_cli(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = Bot(app)("/news trend gpu_deal 7d", files=tmp_path)
    assert shown is not None and "스토리 4건" in shown
    saved = tmp_path / "trend.png"  # under its own name, not a random temporary file
    assert png_size(saved.read_bytes()) == (1200, 600) and str(saved) in shown
    wrong = Bot(app)("/news trend gpu_deal 3y", files=tmp_path)
    assert wrong == "추이 기간은 30d, 90d, 2025-10-01처럼 730일 이내로 적으세요: 3y"

    monkeypatch.setenv("NEWSBOT_TEST_CLOCK", NOW.isoformat())
    db = ["--db", app.settings.database_url]
    out_file = tmp_path / "chart.png"
    code, out, err = run_cli(
        ["trend", *db, "--topic", "gpu_deal", "--since", "7d", "-o", str(out_file)], capsys
    )
    assert code == 0 and err == "" and t("cli.wrote", "ko", path=out_file) in out
    assert png_size(out_file.read_bytes()) == (1200, 600)
    code, out, err = run_cli(["trend", *db, "--topic", "nope", "-o", str(out_file)], capsys)
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(["trend", *db, "-o", str(tmp_path / "no" / "x.png")], capsys)
    assert code == 2 and t("cli.no_directory", "ko", path=tmp_path / "no") in err


@pytest.mark.parametrize("word", ["foo-bar", "watch:nope", "hbm-공급", "no_such"])
def test_digest_weekly_and_trend_read_an_unknown_topic_word_the_same_way(
    app: App, tmp_path: Path, word: str
) -> None:
    bot = Bot(app, files=tmp_path)
    for command in ("digest", "weekly", "trend"):
        said = bot(f"/news {command} {word}")
        if word.startswith("watch:"):  # a watch, by name: there is none
            assert said == "‘nope’ 워치가 없습니다.", said
            continue
        assert said.startswith(f"알 수 없는 주제입니다: {word}. 주제: "), said
        assert "gpu_deal" in said
    for command in ("digest", "weekly", "trend"):  # not written as a topic: the usage line
        said = bot(f"/news {command} 어제부터")
        assert "/news " + command in said and "알 수 없는" not in said


# -- the weekly report -------------------------------------------------------------------------


async def test_a_weekly_report_goes_out_on_its_day_with_briefs_and_the_picture_once(
    world: World,
) -> None:
    friday_nine = FRIDAY_NINE
    world.clock.set(friday_nine - timedelta(days=8))
    for place in (SLACK_C1, DISCORD_CH):
        world.app.store.subscribe(
            place, {"gpu_deal": Schedule("09:00", SEOUL, False, "weekly:fri")}, user="U1"
        )
    for n in range(1, 8):  # a story a day, ingested through the week
        world.clock.set(friday_nine - timedelta(days=7 - n, hours=3))
        world.ingest([gpu_story(n)])
    thursday = friday_nine - timedelta(days=1)
    assert world.plan(thursday) == 0  # not its day
    world.slack.script("files.completeUploadExternal", status=429, retry_after="1")
    assert world.plan(friday_nine + timedelta(minutes=1)) == 2
    assert world.plan(friday_nine + timedelta(minutes=2)) == 0  # once
    assert await world.deliver() == 2

    [shared] = world.slack.uploads(SLACK_C1.channel)
    assert png_size(shared["data"]) == (1200, 600)
    assert len(world.slack.calls_to("files.completeUploadExternal")) == 2  # 429, then shared
    text = "\n".join(slack_text(b) for b in world.slack_posts(SLACK_C1))
    assert "주간 뉴스 리포트" in text
    assert sum(f"KD{n:03d}" in text for n in range(1, 8)) == 5  # the top five stories
    assert "GPU·AI 컴퓨팅 거래 — 7건 중 상위 5건" in text  # of the week's seven
    briefs = [line for line in text.splitlines() if line.startswith("> ")]
    assert len(briefs) == 5 and all(len(line) > 20 for line in briefs)  # each story's brief

    [message] = world.discord_posts(DISCORD_CH)[:1]
    [(name, data)] = message.files
    assert name == "trend.png" and png_size(data) == (1200, 600)
    assert message.embeds[0]["image"]["url"] == "attachment://trend.png"
    assert [r.status for r in world.rows()] == ["sent", "sent"]


def weekly_report_due(world: World, *places: Place) -> None:
    world.clock.set(FRIDAY_NINE - timedelta(days=2))
    for place in places:
        world.app.store.subscribe(
            place, {"gpu_deal": Schedule("09:00", SEOUL, False, "weekly:fri")}, user="U1"
        )
    world.ingest([gpu_story(1)])
    assert world.plan(FRIDAY_NINE) == len(places)


async def test_a_429_on_a_discord_attachment_is_retried_without_a_duplicate(
    world: World,
) -> None:
    weekly_report_due(world, DISCORD_CH)
    world.discord.script("create_message", rate_limited(0.5))
    assert await world.deliver() == 1
    posted = [r for r in world.discord.requests if r[0] == "POST" and r[1].endswith("/messages")]
    assert len(posted) == 2  # refused once, then accepted
    with_files = [m for m in world.discord_posts(DISCORD_CH) if m.files]
    assert len(with_files) == 1 and png_size(with_files[0].files[0][1]) == (1200, 600)


async def test_a_channel_that_refuses_pictures_gets_the_report_without_it_and_stays_on(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    weekly_report_due(world, SLACK_C1, DISCORD_CH)
    world.slack.script("files.completeUploadExternal", error="not_in_channel")
    world.discord.no_attach.add(DISCORD_CH.channel)
    assert await world.deliver() == 2
    assert [r.status for r in world.rows()] == ["sent", "sent"]
    for place in (SLACK_C1, DISCORD_CH):
        dest = world.app.store.destination(place, create=False)
        assert dest is not None and dest.paused_at is None  # digests and alerts go on
    assert world.slack.uploads() == [] and "주간 뉴스 리포트" in slack_text(
        world.slack_posts(SLACK_C1)[0]
    )
    [message] = world.discord_posts(DISCORD_CH)
    assert message.files == [] and "image" not in message.embeds[0]
    assert "KD001" in message.visible()
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("picture not shared in C1 (not_in_channel)" in w for w in warned)
    assert any("refused the picture" in w and "Attach Files" in w for w in warned)


async def test_a_picture_shared_though_its_answer_was_lost_is_not_shared_again(
    world: World,
) -> None:
    weekly_report_due(world, SLACK_C1)
    poster = world.senders[-1].posters["slack"]
    poster.client.timeout = 1  # type: ignore[attr-defined]
    world.slack.slow("files.completeUploadExternal", 2.5)  # shares, answers after the timeout
    assert await world.deliver() == 0
    [row] = world.rows()
    assert row.status == "pending" and row.parts_sent == 1  # the text went, the picture unsure
    # the fake shares the picture when its slow answer is written, after the poster gave up
    assert await world.slack.wait_async(lambda: world.slack.uploads(SLACK_C1.channel), 10)
    world.slack.slow("files.completeUploadExternal", 0)
    world.clock.set(FRIDAY_NINE + timedelta(minutes=10))
    assert await world.deliver() == 1
    assert len(world.slack.uploads(SLACK_C1.channel)) == 1  # found in the history, not redone
    assert len(world.slack.calls_to("files.completeUploadExternal")) == 1
    assert world.slack.calls_to("conversations.history")


def _colour_pixels(png: bytes, colour: str, left: float = 0.45) -> int:
    """How many pixels right of ``left`` (the legend is upper left) are about ``colour``."""
    import numpy as np
    from matplotlib import image as mimage
    from matplotlib.colors import to_rgb

    pixels = mimage.imread(io.BytesIO(png), format="png")[:, :, :3]
    if pixels.dtype == np.uint8:
        pixels = pixels / 255.0
    pixels = pixels[:, int(pixels.shape[1] * left) :]
    return int((np.abs(pixels - np.array(to_rgb(colour))).max(axis=2) < 0.08).sum())


def test_topics_with_the_same_counts_both_stay_visible() -> None:
    """APEC under GPU deals: the same stories a day must not hide one line under the other."""
    t0 = NOW - timedelta(days=6)
    rows = [
        TrendRow(topic, n * 10 + k, n * 10 + k, "연합뉴스", t0 + timedelta(days=n), f"{topic} {n}")
        for n in range(7)
        for k, topic in enumerate(("gpu_deal", "apec"))
        for _ in range(1 + n % 3)
    ]
    trend = trends.build_trend(rows, ["gpu_deal", "apec"], {}, t0 - timedelta(hours=12), NOW, SEOUL)
    assert trend.series[0].counts == trend.series[1].counts  # equal, day by day
    png = chart.render_trend(trend, "en")
    first, second = (_colour_pixels(png, c) for c in chart.COLOURS[:2])
    assert first > 300 and second > 300, (first, second)
    assert min(first, second) / max(first, second) > 0.5  # neither is hidden under the other


def test_undated_stories_are_left_out_and_said_not_drawn_as_todays_spike(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    undated = [gpu_story(n, source="디지털타임스") for n in (7, 8, 9)]  # no date: ingested today
    earlier = App(Settings(database_url=app.settings.database_url), clock=FixedClock(NOW - HOUR))
    earlier.pipeline.ingest(undated)
    earlier.close()
    trend = trends.trend(app, ["gpu_deal"], period="7d")
    by_day = dict(zip(trend.days, trend.series[0].counts, strict=True))
    assert by_day[NOW.date()] == 0 and trend.series[0].stories == 4  # the dated four only
    assert trend.undated == 3
    assert trend.peak is not None and trend.peak.day == (NOW - timedelta(days=3)).date()
    assert "디지털타임스" not in dict(trend.outlets)
    shown = Bot(app)("/news trend gpu_deal 7d", files=tmp_path)
    assert shown is not None and "날짜 없는 스토리 3건은 세지 않았습니다" in shown

    monkeypatch.setenv("NEWSBOT_TEST_CLOCK", NOW.isoformat())
    out_file = tmp_path / "t.png"
    db = ["--db", app.settings.database_url, "-o", str(out_file)]
    code, out, _ = run_cli(["trend", *db, "--topic", "gpu_deal", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["undated"] == 3 and data["topics"][0]["stories"] == 4


def test_since_all_and_topic_prefixes_are_accepted(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_TEST_CLOCK", NOW.isoformat())
    db = ["--db", app.settings.database_url, "-o", str(tmp_path / "t.png"), "--format", "json"]
    code, out, err = run_cli(["trend", *db, "--topic", "gpu", "--since", "all"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [t["topic"] for t in data["topics"]] == ["gpu_deal"]
    days = list(data["topics"][0]["days"])  # from the first story's day to today
    assert days[0] == (NOW - timedelta(days=3)).date().isoformat() and len(days) == 4
    assert data["stories"] == 4

    shown = Bot(app)("/news trend gpu all", files=tmp_path)
    assert shown is not None and "스토리 4건 (GPU·AI 컴퓨팅 거래 4)" in shown

    assert (
        run_cli(
            ["watch", "add", "gpumem", "HBM", "--yes", "--db", app.settings.database_url], capsys
        )[0]
        == 0
    )
    code, _, err = run_cli(["trend", *db, "--topic", "gpu"], capsys)  # gpu_deal or gpumem?
    assert code == 2 and "gpu" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run_cli(["trend", *db, "--topic", "gpu_"], capsys)
    assert code == 0 and json.loads(out)["topics"][0]["topic"] == "gpu_deal"


def test_the_console_writes_the_picture_where_o_says(app: App, tmp_path: Path) -> None:
    target = tmp_path / "apec-and-gpu.png"
    line = f"/news trend gpu_deal 7d -o {target}"
    shown = Bot(app)(line, files=tmp_path / "elsewhere")
    assert shown is not None and str(target) in shown
    assert png_size(target.read_bytes()) == (1200, 600)
    assert [p.name for p in tmp_path.rglob("*.png")] == ["apec-and-gpu.png"]
    missing = tmp_path / "no" / "x.png"
    shown = Bot(app)(f"/news trend gpu_deal -o {missing}")
    assert shown is not None and shown.splitlines()[-1] == (
        f"그림을 {missing}에 저장하지 못했습니다: 그런 폴더가 없습니다: {missing.parent}"
    )


def test_subscribe_weekly_takes_a_day_in_english_or_korean_and_daily_brings_it_back(
    app: App,
) -> None:
    bot = Bot(app)
    ctx = bot.ctx
    said = bot("/news subscribe gpu_deal apec weekly 금요일 at 09:00")
    assert said == (
        "이 채널을 GPU·AI 컴퓨팅 거래, APEC 주제에 구독했습니다. 매주 금요일 09:00 (Asia/Seoul)에 "
        "주간 리포트(한 주의 주요 스토리, 세 줄 요약, 추이 그래프)를 보냅니다."
    )
    assert {s.days for s in app.store.subscriptions(ctx.place)} == {"weekly:fri"}
    bot("/news subscribe apec weekly")  # Monday unless a day is named
    days = {s.topic: s.days for s in app.store.subscriptions(ctx.place)}
    assert days == {"apec": "weekly:mon", "gpu_deal": "weekly:fri"}
    listing = bot("/news subscribe")
    assert listing is not None and "weekly mon" in listing and "weekly fri" in listing
    bot("/news subscribe apec daily")
    assert {s.topic: s.days for s in app.store.subscriptions(ctx.place)}["apec"] == "daily"
