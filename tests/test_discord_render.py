"""Discord rendering: limits, nothing dropped, deterministic splits, inert untrusted text.

The limits are checked by the fake Discord's own validator (the same code that answers 400 in
the network tests), so a payload accepted here is accepted there.
"""

from __future__ import annotations

import re

import discord

from bot.chat.discord.render import ELLIPSIS, escape, render_reply
from bot.present.reply import Card, Fact, Reply, Section
from tests.helpers.fakes.discord_api import Stored, check_message, visible

HOSTILE = "@everyone @here <@&123> <@456> [공지](https://phish) **굵게** ||스포|| # 제목 > 인용 `x`"


def stored(payload: dict[str, object]) -> Stored:
    return Stored("1", "1", dict(payload), "channel")


def huge_card(n: int, url: str | None = None) -> Card:
    body = f"본문{n} " + "가나다라마바사 🚀 " * 600  # > 5,000 characters, astral emoji included
    facts = [Fact(f"근거{k}", body) for k in range(30)]
    return Card(
        n, f"제목{n} " + body, url, f"출처 · #{n}", facts, snippet=body, snippet_hits=[(0, 4)]
    )


def test_hostile_text_is_shown_verbatim_but_nothing_in_it_works() -> None:
    card = Card(7, HOSTILE, "https://example.com/a", HOSTILE, [Fact(HOSTILE, HOSTILE)], HOSTILE)
    reply = Reply(title=HOSTILE, text=HOSTILE, sections=[Section("h", [card])])
    [payload] = render_reply(reply)
    message = stored(payload)
    assert message.links() == []  # no masked link, no autolink
    for text in message.markdown_texts():
        assert HOSTILE in visible(text)  # a reader sees exactly the feed's text
        assert not re.search(r"(?<!\\)[*_|`#>\[\]]", text.replace("\\\\", ""))
        assert "@everyone" not in text and "@here" not in text
        assert not re.search(r"(?<!\\)<@", text)
    assert payload["allowed_mentions"] == {"parse": []}
    # discord.py's own helper leaves the masked link to be escaped by a single backslash and
    # lets every "<@456>" through: ours escapes each character
    assert discord.utils.escape_mentions(HOSTILE).count("<@") == 2
    assert escape("<@456>") == "\\<@\u200b456\\>"


def test_a_huge_digest_fits_every_limit_and_keeps_every_item_in_order() -> None:
    cards = [huge_card(n) for n in range(1, 13)]
    reply = Reply(
        title="뉴스 다이제스트",
        sections=[Section("GPU (6)", cards[:6]), Section("APEC (6)", cards[6:])],
        footer="기간: all",
    )
    payloads = render_reply(reply)
    assert len(payloads) > 1
    for payload in payloads:
        assert check_message(payload) is None, check_message(payload)
    embeds = [e for p in payloads for e in p["embeds"]]
    titles = [visible(e["title"]) for e in embeds if e.get("title", "").startswith("제목")]
    assert [t.split(" ")[0] for t in titles] == [f"제목{n}" for n in range(1, 13)]
    for title in titles:  # the title is cut last, at Discord's 256
        assert title.endswith(ELLIPSIS) and len(title) > 200
    seen = "\n".join(stored(p).visible() for p in payloads)
    for n in range(1, 13):
        assert f"#{n}" in seen and f"본문{n}" in seen
        assert all(f"근거{k}" in seen for k in range(25))
    assert payloads[-1]["embeds"][-1]["footer"] == {"text": "기간: all"}
    assert sum("footer" in e for e in embeds) == 1
    assert render_reply(reply) == payloads  # deterministic: a resumed delivery matches


def test_facts_beyond_25_share_the_last_field() -> None:
    card = Card(1, "t", None, "m", [Fact(f"근거{k}", f"값{k}") for k in range(30)])
    [payload] = render_reply(Reply(sections=[Section("", [card])]))
    fields = payload["embeds"][0]["fields"]
    assert len(fields) == 25
    seen = stored(payload).visible()
    assert all(f"근거{k}" in seen and f"값{k}" in seen for k in range(30))


def test_section_heading_is_shown_again_when_a_section_continues_in_a_new_message() -> None:
    cards = [huge_card(n) for n in range(1, 5)]
    payloads = render_reply(Reply(sections=[Section("소버린 AI (4)", cards)]))
    assert len(payloads) > 1
    for payload in payloads:
        assert payload["embeds"][0]["author"] == {"name": "소버린 AI (4)"}
        assert all("author" not in e for e in payload["embeds"][1:])


def test_two_stories_with_the_same_link_never_share_a_message() -> None:
    same = "https://news.example/a?x=1"
    cards = [
        Card(1, "첫 기사", same, "m"),
        Card(2, "둘째", "https://news.example/b", "m"),
        Card(3, "같은 링크", same, "m"),
    ]
    payloads = render_reply(Reply(sections=[Section("", cards)]))
    assert len(payloads) == 2
    for payload in payloads:
        urls = [e["url"] for e in payload["embeds"] if "url" in e]
        assert len(urls) == len(set(urls))
    assert [e["title"] for p in payloads for e in p["embeds"]] == ["첫 기사", "둘째", "같은 링크"]


def test_only_well_formed_http_links_become_the_title_link() -> None:
    cards = [
        Card(1, "a", "javascript:alert(1)", "m"),
        Card(2, "b", "https://ok.example/x", "m"),
        Card(3, "c", "https://bad host/x", "m"),
    ]
    [payload] = render_reply(Reply(sections=[Section("", cards)]))
    assert [e.get("url") for e in payload["embeds"]] == [None, "https://ok.example/x", None]


def test_long_text_is_split_into_several_embeds_without_losing_a_line() -> None:
    lines = [f"#{n} https://feed.example/{n} — {'피드 설명 ' * 20}" for n in range(400)]
    reply = Reply(title="피드", text="\n".join(lines))
    payloads = render_reply(reply)
    for payload in payloads:
        assert check_message(payload) is None
    descriptions = [e["description"] for p in payloads for e in p["embeds"]]
    assert len(descriptions) > 5
    assert "\n".join(visible(d) for d in descriptions).split("\n") == lines
    assert all(stored(p).links() == [] for p in payloads)


def test_errors_are_red_and_everything_else_is_not() -> None:
    [bad] = render_reply(Reply(text="사용법: /news why <기사 ID>", error=True))
    [good] = render_reply(Reply(text="ok"))
    assert bad["embeds"][0]["color"] != good["embeds"][0]["color"]
    assert visible(bad["embeds"][0]["description"]) == "사용법: /news why <기사 ID>"
