"""``newsbot console`` runs the same sub-commands with the same answers as the commands core, and
Slack shows the same stories for the same commands."""

from __future__ import annotations

import io

import pytest

from bot.chat.commands import Commands
from bot.chat.console import console_context, run_lines
from bot.chat.slack.render import escape, render_reply
from bot.present.plain import render_plain
from bot.store import Place
from tests.helpers import HEADLINES
from tests.helpers.bot import Bot, MakeBot
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
    "/news digest 99999d": "기간이 너무 깁니다: 99999d는 1970년 전까지 거슬러 올라갑니다",
    "/news digest 2025-02-30": "그런 날짜는 없습니다: 2025-02-30",
    "/news why 1.5": "‘1.5’는 기사 ID가 아닙니다",
    "/news why -1": "‘-1’은 기사 ID가 아닙니다",
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


@pytest.mark.parametrize("line", STATELESS)
def test_console_answers_like_the_core(bot: Bot, line: str) -> None:
    expected = render_plain(bot.commands.handle(line, bot.ctx)) + "\n"
    out = io.StringIO()
    run_lines(bot.commands, [line], console_context(), out)  # the console's own loop
    assert out.getvalue() == expected == bot(line) + "\n"
    assert "Traceback" not in expected


def test_console_shows_the_stories(bot: Bot) -> None:
    digest = bot("/news digest all")
    for headline in HEADLINES.values():
        assert digest.count(headline) == 1
    search = bot("/news search 엔비디아")
    for key in ("000", "001", "004"):
        assert HEADLINES[key] in search
    assert HEADLINES["002"] not in search


@pytest.mark.parametrize("line", list(BAD))
def test_bad_arguments_get_one_line(bot: Bot, line: str) -> None:
    answer = bot(line)
    assert answer.count("\n") == 0, answer
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
    bot: Bot, korean: str, english: str
) -> None:
    assert bot(korean) == bot(english)
    assert Commands.is_slow(korean) == Commands.is_slow(english)  # Slack acknowledges first
    assert "검색 (search)" in bot("/news help")  # help says they exist


def test_subscribe_and_unsubscribe_from_the_console(bot: Bot) -> None:
    out = bot(
        "/news subscribe apec sovereign_ai at 08:30 alerts",
        "/news subscribe",
        "/news unsubscribe apec",
        "/news subscribe",
        "/news unsubscribe all",
        "/news subscribe",
        channel="team-news",
    ).splitlines()
    assert out[0].startswith("이 채널을 APEC, 소버린 AI 주제에 구독했습니다. 매일 08:30")
    assert "APEC 08:30 Asia/Seoul +alerts" in out[1] and "소버린 AI 08:30" in out[1]
    assert out[2] == "APEC 구독을 해지했습니다."
    assert "APEC" not in out[3] and "소버린 AI" in out[3]
    assert out[4] == "소버린 AI 구독을 해지했습니다."
    assert out[5] == "이 채널은 아무 주제도 구독하지 않습니다."
    # another channel is another destination
    assert bot("/news subscribe", channel="x").startswith("이 채널은 아무 주제도")


def test_quit_stops_reading(bot: Bot) -> None:
    out = io.StringIO()
    run_lines(bot.commands, ["/news topics", "quit", "/news help"], bot.ctx, out)
    assert out.getvalue().count("==") == 2


@pytest.mark.parametrize(
    "line",
    ["/news search 엔비디아", "/news digest all", "/news why 2", "/news stats", "/news help"],
)
def test_slack_shows_what_the_console_shows(bot: Bot, line: str) -> None:
    """Same command, same reply: every story title, fact and line of text is in the Slack
    message too (escaped for Slack)."""
    reply = bot.commands.handle(line, bot.ctx)
    shown = bot(line)
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


def test_subscriptions_listing_shows_a_paused_channel(make_bot: MakeBot, db_url: str) -> None:
    """After the platform refused a channel, `/news subscribe` says so and how to resume."""
    bot = make_bot(db_url).as_(channel="news-room")
    bot("/news subscribe apec")
    dest = bot.store.destination(Place("console", "", "news-room"), create=False)
    assert dest is not None
    assert bot.store.pause_destination(dest.id, "not_in_channel")
    said = bot("/news subscribe")
    assert "not_in_channel" in said and "전송 중지됨" in said
    bot("/news subscribe apec")  # resubscribing resumes
    assert "전송 중지됨" not in bot("/news subscribe")
