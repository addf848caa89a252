"""Slack rendering: untrusted text never becomes a mention or a link; long replies split within
Slack's limits with nothing dropped."""

from __future__ import annotations

import json

from bot.chat.slack.render import (
    CARD_TEXT,
    HEADER_TEXT,
    SECTION_TEXT,
    WORD_JOINER,
    escape,
    render_reply,
    safe_url,
)
from bot.present.reply import Card, Fact, Reply, Section
from tests.helpers.fakes.slack_api import check_message, live_markup, texts

HOSTILE = "<!channel> 긴급 <@U1> <https://evil|공지> @here &amp;"


def all_texts(payloads: list[dict[str, object]]) -> list[str]:
    return [s for p in payloads for s in texts(p)]


def card_sections(payloads: list[dict[str, object]]) -> list[str]:
    """The mrkdwn of every card block (a card's text starts with its bold title)."""
    out = []
    for p in payloads:
        for block in p["blocks"]:  # type: ignore[attr-defined]
            text = block.get("text", {}).get("text", "")
            if block["type"] == "section" and "\n" in text:
                out.append(text)
    return out


def test_feed_text_cannot_mention_or_link() -> None:
    reply = Reply(
        title=f"검색: {HOSTILE}",
        text=f"결과 {HOSTILE}",
        sections=[
            Section(
                heading=HOSTILE,
                cards=[
                    Card(
                        id=1,
                        title=HOSTILE,
                        url=None,
                        meta="<!everyone> @channel · #1",
                        facts=[Fact("<@U2>", "<#C1> <!subteam^S1> @everyone")],
                        snippet="see <https://evil.example|the bank> @HERE",
                    )
                ],
            )
        ],
        footer="<!date^1^{date}|x>",
    )
    payloads = render_reply(reply)
    strings = all_texts(payloads)
    assert strings
    for s in strings:
        assert live_markup(s) == [], s
        assert "<" not in s and ">" not in s.replace("\n> ", "\n")  # only our quote marker
    body = "\n".join(strings)
    # shown as text: the user reads the title as it was written
    assert (
        "&lt;!channel&gt; 긴급 &lt;@U1&gt; &lt;https://evil|공지&gt; @\u2060here &amp;amp;" in body
    )
    assert "@\u2060HERE" in body and "@\u2060everyone" in body
    for p in payloads:
        for block in p["blocks"]:
            text = block.get("text") or {}
            if text.get("type") == "mrkdwn":
                assert text["verbatim"] is True


def test_only_http_urls_become_links() -> None:
    urls = {
        "https://news.example/a?x=1&y=2": "<https://news.example/a?x=1&amp;y=2|기사 1>",
        "http://news.example/b": "<http://news.example/b|기사 2>",
        "https://news.example/c|<!here>": "<https://news.example/c%7C%3C!here%3E|기사 3>",
    }
    refused = ["javascript:alert(1)", "slack://channel?id=C1", "ftp://x.example/f", "/relative"]
    cards = [Card(id=i, title=f"기사 {i + 1}", url=u, meta="") for i, u in enumerate(urls)]
    cards += [Card(id=10 + i, title=f"나쁜 {i}", url=u, meta="") for i, u in enumerate(refused)]
    body = "\n".join(all_texts(render_reply(Reply(sections=[Section("", cards)]))))
    for link in urls.values():
        assert link in body
    for i, url in enumerate(refused):
        assert f"*나쁜 {i}*" in body  # the title is there, unlinked
        assert url.split(":")[0] + ":" not in body
    assert [m for m in live_markup(body) if not m.startswith("<http")] == []
    assert safe_url("https://") is None and safe_url("https://x.example/" + "a" * 1000) is None


def test_sixty_long_cards_split_within_limits_nothing_dropped() -> None:
    body = "가나다라마바사 " * 700  # 5,600 characters
    cards = [
        Card(
            id=i,
            title=f"기사 {i:02d} 제목",
            url=f"https://news.example/{i}",
            meta=f"매체 · 2025-10-01 · #{i}",
            facts=[Fact("근거", body[:300]), Fact("수치", "26만 장 → 260,000 GPUs")],
            snippet=body[:5000],
        )
        for i in range(60)
    ]
    reply = Reply(
        title="뉴스 다이제스트",
        sections=[Section("소버린 AI (30)", cards[:30]), Section("APEC (30)", cards[30:])],
        footer="기간: 24h",
    )
    payloads = render_reply(reply)
    assert 2 < len(payloads) < 60
    for p in payloads:
        assert check_message(p) == []
        assert len(p["text"]) <= 4000
    found = [
        s.split("|", 1)[1].split(">", 1)[0] for s in card_sections(payloads) if s.startswith("*<")
    ]
    assert found == [f"기사 {i:02d} 제목" for i in range(60)]  # each once, in order
    for s in card_sections(payloads):
        assert len(s) <= CARD_TEXT and s.endswith("…")
        assert "26만 장 → 260,000 GPUs" in s  # facts before the snippet survive the cut
    n = len(payloads)
    headers = [p["blocks"][0]["text"]["text"] for p in payloads]
    assert headers == [f"뉴스 다이제스트 ({i}/{n})" for i in range(1, n + 1)]
    assert "기간: 24h" in json.dumps(payloads[-1], ensure_ascii=False)
    # a message starting in the middle of a section repeats its heading
    for p in payloads[1:]:
        assert p["blocks"][1]["text"]["text"] in ("*소버린 AI (30)*", "*APEC (30)*")
    assert render_reply(reply) == payloads  # deterministic: the outbox resumes by part


def test_long_text_is_split_at_lines_and_kept_whole() -> None:
    lines = [f"#{i} <피드 {i}> https://feeds.example/{i} [ok]" for i in range(400)]
    lines.append("x" * 7000)  # one line longer than a section
    reply = Reply(title="피드 목록", text="\n".join(lines))
    payloads = render_reply(reply)
    for p in payloads:
        assert check_message(p) == []
    sections = [b["text"]["text"] for p in payloads for b in p["blocks"] if b["type"] == "section"]
    assert "\n".join(sections).replace("\n", "") == escape("\n".join(lines)).replace("\n", "")


def test_oversized_fields_are_cut_with_an_ellipsis() -> None:
    reply = Reply(
        title="제목 " * 200,
        sections=[
            Section(
                "섹션 " * 2000,
                [Card(id=1, title="긴 제목 " * 1000, url="https://x.example/", meta="m " * 999)],
            )
        ],
    )
    [payload] = render_reply(reply)
    assert check_message(payload) == []
    header = payload["blocks"][0]["text"]["text"]
    assert len(header) <= HEADER_TEXT and header.endswith("…")
    card = card_sections([payload])[0]
    assert card.startswith("*<https://x.example/|긴 제목") and "…>*" in card
    assert len(card) <= SECTION_TEXT


def test_error_and_empty_replies_render() -> None:
    [payload] = render_reply(Reply(text="사용법: /news why <기사 ID>", error=True))
    assert payload["blocks"][0]["text"]["text"].startswith(":warning: 사용법")
    assert "&lt;기사 ID&gt;" in payload["text"]
    [empty] = render_reply(Reply())
    assert check_message(empty) == [] and empty["text"]


def test_word_joiner_is_invisible_glue() -> None:
    assert escape("@here @channel @everyone") == (
        f"@{WORD_JOINER}here @{WORD_JOINER}channel @{WORD_JOINER}everyone"
    )
    assert escape("a\x00b\x1bc") == "abc"
