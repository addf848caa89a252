"""``newsbot console`` runs the same sub-commands with the same answers as the commands core, and
Slack shows the same stories for the same commands."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chat.commands import Commands, Context
from bot.chat.console import console_context, run_lines
from bot.chat.slack.render import escape, render_reply
from bot.config.settings import Settings
from bot.present.plain import render_plain
from bot.runtime.app import App
from tests.helpers import HEADLINES
from tests.helpers.fakes.slack_api import texts

STATELESS = [
    "/news help",
    "/news topics",
    "/news search 엔비디아",
    "/news search 엔비디아 gpu_deal all",
    "/news digest all",
    "/news digest apec all",
    "/news why 2",
    "/news stats",
    "/news feeds",
    "/news feeds list",
]
BAD = {
    "/news search": "사용법: /news search",
    "/news why": "사용법: /news why",
    "/news why 1 2": "사용법: /news why",
    "/news digest 어제부터": "사용법: /news digest",
    "/news digest apecc": "알 수 없는 주제입니다: apecc",
    "/news subscribe nonsense": "알 수 없는 주제입니다: nonsense",
    "/news subscribe apec at 25:00": "시간은 HH:MM 형식입니다: 25:00",
    "/news unsubscribe": "사용법: /news unsubscribe",
    "/news feeds add notaurl": "http:// 또는 https:// 주소가 필요합니다: 'notaurl'",
    "/news feeds add": "사용법: /news feeds add",
    "/news frobnicate": "알 수 없는 명령입니다: frobnicate",
    "/news serch 엔비디아": "알 수 없는 명령입니다: serch. 혹시 `/news search`?",
    "/news subscrbe apec": "알 수 없는 명령입니다: subscrbe. 혹시 `/news subscribe`?",
    "/news 다이제트 all": "알 수 없는 명령입니다: 다이제트. 혹시 `/news digest`?",
}


@pytest.fixture
def commands(seeded_url: str, tmp_path: Path) -> Iterator[Commands]:
    source = Path(seeded_url.split("///", 1)[1])
    target = tmp_path / "console.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    app = App(Settings(database_url=f"sqlite:///{target}"))
    yield Commands(app)
    app.close()


def console(commands: Commands, *lines: str, ctx: Context | None = None) -> str:
    out = io.StringIO()
    run_lines(commands, lines, ctx or console_context(), out)
    return out.getvalue()


@pytest.mark.parametrize("line", STATELESS)
def test_console_answers_like_the_core(commands: Commands, line: str) -> None:
    ctx = console_context()
    expected = render_plain(commands.handle(line, ctx)) + "\n"
    assert console(commands, line) == expected
    assert "Traceback" not in expected


def test_console_shows_the_stories(commands: Commands) -> None:
    digest = console(commands, "/news digest all")
    for headline in HEADLINES.values():
        assert digest.count(headline) == 1
    search = console(commands, "/news search 엔비디아")
    for key in ("000", "001", "004"):
        assert HEADLINES[key] in search
    assert HEADLINES["002"] not in search


@pytest.mark.parametrize("line", list(BAD))
def test_bad_arguments_get_one_line(commands: Commands, line: str) -> None:
    answer = console(commands, line)
    assert answer.count("\n") == 1, answer
    assert answer.startswith(BAD[line])


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("/news 검색 엔비디아", "/news search 엔비디아"),
        ("/news 도움말", "/news help"),
        ("/news 요약 all", "/news digest all"),
        ("/news 주제", "/news topics"),
    ],
)
def test_korean_command_words_answer_like_the_english_ones(
    commands: Commands, korean: str, english: str
) -> None:
    assert console(commands, korean) == console(commands, english)
    assert Commands.is_slow(korean) == Commands.is_slow(english)  # Slack acknowledges first
    assert "검색 (search)" in console(commands, "/news help")  # help says they exist


def test_subscribe_and_unsubscribe_from_the_console(commands: Commands) -> None:
    ctx = console_context(channel="team-news")
    out = console(
        commands,
        "/news subscribe apec sovereign_ai at 08:30 alerts",
        "/news subscribe",
        "/news unsubscribe apec",
        "/news subscribe",
        "/news unsubscribe all",
        "/news subscribe",
        ctx=ctx,
    ).splitlines()
    assert out[0].startswith("이 채널을 APEC, 소버린 AI 주제에 구독했습니다. 매일 08:30")
    assert "APEC 08:30 Asia/Seoul +alerts" in out[1] and "소버린 AI 08:30" in out[1]
    assert out[2] == "APEC 구독을 해지했습니다."
    assert "APEC" not in out[3] and "소버린 AI" in out[3]
    assert out[4] == "소버린 AI 구독을 해지했습니다."
    assert out[5] == "이 채널은 아무 주제도 구독하지 않습니다."
    # another channel is another destination
    assert console(commands, "/news subscribe", ctx=console_context(channel="x")).startswith(
        "이 채널은 아무 주제도"
    )


def test_quit_stops_reading(commands: Commands) -> None:
    assert console(commands, "/news topics", "quit", "/news help").count("==") == 2


@pytest.mark.parametrize(
    "line",
    ["/news search 엔비디아", "/news digest all", "/news why 2", "/news stats", "/news help"],
)
def test_slack_shows_what_the_console_shows(commands: Commands, line: str) -> None:
    """Same command, same reply: every story title, fact and line of text is in the Slack
    message too (escaped for Slack)."""
    reply = commands.handle(line, console_context())
    shown = console(commands, line)
    slack = "\n".join(s for p in render_reply(reply) for s in texts(p))
    if reply.title:
        assert reply.title in shown and escape(reply.title) in slack
    for text_line in (reply.text or "").splitlines():
        assert text_line in shown and escape(text_line) in slack
    for card in reply.cards:
        assert card.title in shown and escape(card.title, single_line=True) in slack
        for fact in card.facts:
            assert f"{fact.label}: {fact.value}" in shown
            assert escape(fact.value, single_line=True) in slack
    if reply.footer:
        assert escape(reply.footer) in slack


def test_subscriptions_listing_shows_a_paused_channel(db_url: str) -> None:
    """After the platform refused a channel, `/news subscribe` says so and how to resume."""
    from bot.chat.commands import Commands
    from bot.chat.console import console_context, run_lines
    from bot.config.settings import Settings
    from bot.runtime.app import App
    from bot.store import Place

    app = App(Settings.from_env({"NEWSBOT_DATABASE_URL": db_url}))
    commands = Commands(app)
    ctx = console_context(channel="news-room")
    import io

    out = io.StringIO()
    run_lines(commands, ["/news subscribe apec"], ctx, out)
    dest = app.store.destination(Place("console", "", "news-room"), create=False)
    assert dest is not None
    assert app.store.pause_destination(dest.id, "not_in_channel")
    out = io.StringIO()
    run_lines(commands, ["/news subscribe"], ctx, out)
    assert "not_in_channel" in out.getvalue() and "전송 중지됨" in out.getvalue()
    run_lines(commands, ["/news subscribe apec"], ctx, io.StringIO())  # resubscribing resumes
    out = io.StringIO()
    run_lines(commands, ["/news subscribe"], ctx, out)
    assert "전송 중지됨" not in out.getvalue()
    app.close()
