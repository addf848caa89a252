"""Seed pages: the body without site chrome, with headline, outlet and date."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.cleaning import clean_page
from bot.ingest.pagedates import published_json
from tests.helpers import CHROME, SEEDS


def _page(prefix: str):  # type: ignore[no-untyped-def]
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return clean_page(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("prefix", "title", "source", "date"),
    [
        # no byline, no dateline: 뉴시스 and 뉴스1 are only credited for photos (issue 26)
        ("000", "인공지능(AI) 산업 발전을 가속하기 위해선", None, None),
        (
            "001",
            "“AI는 이제 한국의 산업, 문화, 민주주의를 하나로 잇는 새로운 ‘전기’가 될 것입니다”",
            "뉴스로드",
            None,
        ),
        (
            "002",
            "미국, 자국AI 한국 확장 의지…소버린AI-양국협력 균형 맞춰야",
            "뉴스1",
            "2025-08-04",  # "작성일 08-04" and a /202508/04/ image path: a date alone
        ),
        ("003", "AI에 수백조 쏟아붓는 선진국들…", "연합뉴스", "2025-02-20T11:30:00+09:00"),
        ("004", "이데일리 글로벌 AI포럼 전문가 제언", "이데일리", None),
    ],
)
def test_seed_metadata(prefix: str, title: str, source: str, date: str | None) -> None:
    page = _page(prefix)
    assert page.title.startswith(title)
    assert len(page.title) <= 90
    assert page.source == source
    assert (published_json(page.published) if page.published else None) == date


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_body_has_no_chrome(prefix: str) -> None:
    body = _page(prefix).body
    for chrome in CHROME:
        assert chrome not in body, f"{chrome!r} left in seed {prefix}"
    assert len(body) > 1500  # the article itself is kept


def test_body_keeps_article_text_and_drops_related_links() -> None:
    body = _page("002").body
    assert "소버린 AI 정책을 추진하는 배경훈 과학기술정보통신부 장관" in body
    assert "수원특례시청" not in body  # a "related article" link after the body
    assert body.count("특정 국가가 외부 의존 없이") == 1  # glossary printed twice, kept once


def test_captions_lose_credits_but_keep_text() -> None:
    body = _page("004").body
    assert "소버린 AI 현재와 미래, 네이버의 비전" in body
    assert "[이데일리" not in body and "(사진=" not in body


# Invented pages: a photo caption credits one agency, the story's dateline names another.
CAPTION_THEN_DATELINE = [
    (
        "정부, 반도체 지원책 발표\n"
        "장관이 브리핑을 하고 있다. (사진=뉴시스)\n"
        "(세종=연합뉴스) 김가상 기자 = 정부가 반도체 지원책을 발표했다.\n"
        "지원책은 내년부터 시행된다.",
        "연합뉴스",
    ),
    (
        "경주에서 회의 열려\n"
        "참석자들이 악수하고 있다. 2025.10.29 /연합뉴스\n"
        "【경주=뉴시스】 이가상 기자 = 경주에서 회의가 열렸다.\n"
        "회의는 이틀간 이어진다.",
        "뉴시스",
    ),
    (
        "항만에 배가 들어왔다\n"
        "(포항=뉴스1) 박가상 기자 = 배가 입항하고 있다. 2025.10.28/뉴스1\n"
        "[포항=뉴시스] 최가상 기자 = 포항 영일만항에 배가 들어왔다.\n"
        "배는 사흘간 머문다.",
        "뉴시스",
    ),
    (
        "행사장 표정\n"
        "회장이 연설을 하고 있다. 뉴시스\n"
        "행사에는 기업인 수백 명이 참석했다.\n"
        "포항=뉴스1\n"
        "행사는 저녁까지 이어졌다.",
        None,  # only photo credits: the agencies took the pictures, not the story
    ),
    (
        "데이터센터 착공\n착공식 모습 (사진=전자신문 DB)\n회사가 데이터센터를 착공했다.",
        "전자신문",  # a paper's credit to its own photo desk does name it
    ),
    (
        "정책 토론회 열려\n토론회에서 여러 의견이 나왔다.\n\n한국일보\n",
        "한국일보",  # the outlet's name on its own line after a sentence is no caption credit
    ),
]


@pytest.mark.parametrize(
    ("raw", "outlet"),
    CAPTION_THEN_DATELINE,
    ids=[
        "photo-paren",
        "slash-credit",
        "caption-dateline",
        "credits-only",
        "own-credit",
        "name-line",
    ],
)
def test_a_dateline_wins_over_a_photo_credit_and_a_credit_alone_names_no_outlet(
    raw: str, outlet: str | None
) -> None:
    assert clean_page(raw).source == outlet


def test_a_seed_file_takes_its_outlet_from_the_dateline_not_the_caption(tmp_path: Path) -> None:
    from bot.ingest.seeds import read_seed

    raw, outlet = CAPTION_THEN_DATELINE[0]
    path = tmp_path / "caption.txt"
    path.write_text(raw, encoding="utf-8")
    draft = read_seed(path, "caption.txt")
    assert draft.source == outlet and "뉴시스" not in (draft.source or "")


def test_text_is_nfc() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "소버린 AI 정책을 발표했다.\n본문입니다.")
    page = clean_page(decomposed)
    assert unicodedata.is_normalized("NFC", page.title + page.body)
