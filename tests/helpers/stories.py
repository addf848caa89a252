"""Made-up but realistic stories for tests: GPU-deal articles with a unique marker each, rewrites
of one by other outlets, and feed items."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from bot.delivery.planner import last_instant
from bot.store.drafts import Draft

SEOUL = "Asia/Seoul"

COMPANIES = [
    "한빛데이터",
    "세원클라우드",
    "누리지능",
    "가람컴퓨팅",
    "하늘네트웍스",
    "도담시스템",
    "바른연산",
    "새봄인프라",
    "미르테크",
    "온새미로",
    "해든정보",
    "로아솔루션",
    "다온클라우드",
    "가온칩스",
    "라온데이터",
    "비채컴퓨트",
    "아라네트",
    "우솜테크",
    "단미시스템",
    "여울연산",
]

CITIES = [
    "울산",
    "포항",
    "광주",
    "전주",
    "청주",
    "세종",
    "강릉",
    "목포",
    "창원",
    "구미",
    "원주",
    "여수",
    "군산",
    "안동",
]

NOUNS = [
    "전력망",
    "변전소",
    "냉각탑",
    "부지",
    "주민",
    "시장",
    "노조",
    "학계",
    "투자자",
    "증권가",
    "은행",
    "예산",
    "연구소",
    "대학",
    "공장",
    "항만",
    "도로",
    "철도",
    "병원",
    "학교",
    "농가",
    "어민",
    "관광객",
    "상인",
    "청년",
    "기업인",
    "공무원",
    "의원",
    "위원회",
    "협회",
    "단체",
    "재단",
    "기금",
    "채권",
    "주식",
    "환율",
    "금리",
    "수출",
    "수입",
    "물류",
    "창고",
    "설비",
    "장비",
    "부품",
    "소재",
    "배터리",
    "반도체",
    "기판",
    "케이블",
    "서버",
    "랙",
    "발전기",
    "태양광",
    "풍력",
    "수소",
    "가스",
    "석탄",
    "원전",
    "댐",
    "하천",
    "산림",
    "공원",
    "도서관",
    "박물관",
    "경기장",
    "시청",
    "법원",
    "경찰",
]

VERBS = [
    "늘렸다",
    "줄였다",
    "검토했다",
    "요구했다",
    "발표했다",
    "지원한다",
    "점검했다",
    "확대한다",
    "미뤘다",
    "승인했다",
    "반대했다",
    "환영했다",
    "조사했다",
    "약속했다",
    "논의했다",
    "공개했다",
]


def marker(n: int) -> str:
    """The tag in story ``n``'s title, to find it in what a channel received."""
    return f"KD{n:03d}"


def gpu_story(
    n: int, *, gpus: int | None = None, source: str | None = None, title_pad: int = 0
) -> Draft:
    """A distinct GPU-deal story (its own cluster): ``gpus`` GPUs (default 12,000 + n·1,000),
    its title tagged with :func:`marker`.  ``title_pad`` lengthens the title (bigger digests)."""
    rng = random.Random(1000 + n)
    company = COMPANIES[n % len(COMPANIES)]
    if n >= len(COMPANIES):
        company += f"{n // len(COMPANIES) + 1}호"
    city = CITIES[n % len(CITIES)]
    gpus = (12 + n) * 1000 if gpus is None else gpus
    lead = (
        f"{company}가 엔비디아와 블랙웰 GPU {gpus:,}장 공급 계약을 체결하고 {city}에 AI "
        "데이터센터를 짓는다. 회사는 HBM 기반 AI 가속기 클러스터를 구축한다."
    )
    noise = [
        f"{rng.choice(NOUNS)}과 {rng.choice(NOUNS)}의 {rng.choice(NOUNS)} 문제를 {rng.choice(VERBS)}."
        for _ in range(12)
    ]
    title = f"{company}, GPU {gpus:,}장 확보…{city} AI 데이터센터 구축 ({marker(n)})"
    if title_pad:
        title += " " + "가나다라마바사" * title_pad
    return Draft(
        title=title,
        body="\n".join([lead, *noise]),
        origin=f"generated/{n}.txt",
        source=source or f"테스트일보{n}",
    )


def rewrite(draft: Draft, source: str, n: int) -> Draft:
    """The same wire story as another outlet ran it (same cluster, not a duplicate)."""
    return Draft(
        title=f"[{source}] {draft.title}",
        body=draft.body + f"\n{source} 기자 {n}",
        origin=f"{draft.origin}#{source}",
        source=source,
    )


def next_nine(tz: str = SEOUL, after: datetime | None = None) -> datetime:
    """The first 09:00 in ``tz`` after ``after`` (default: now)."""
    return last_instant((after or datetime.now(UTC)) + timedelta(days=1), "09:00", tz)


GPU_TITLE = "엔비디아, 한국에 GPU 26만 장 공급…삼성·SK·현대차·네이버에 블랙웰 배정"

GPU_BODY = (
    "엔비디아가 한국 정부와 삼성전자, SK그룹, 현대자동차그룹, 네이버클라우드에 최신 블랙웰 GPU "
    "26만 장을 공급하기로 했다. 정부는 이 가운데 5만 장을 국가 AI 컴퓨팅 센터에 배치하고, "
    "기업들은 AI 팩토리와 데이터센터를 구축한다."
)


def story(n: int, site: str = "https://news.example.kr", **extra: str) -> dict[str, str]:
    """An ordinary, distinct news item (its guid, link, title and body all carry ``n``)."""
    published = datetime(2025, 10, 28, 9, 0, tzinfo=UTC) + timedelta(minutes=n)
    return {
        "title": f"지역 소식 {n}: 시립도서관 야간 개관 확대",
        "link": f"{site}/article/{n}",
        "guid": f"{site}/article/{n}",
        "description": f"시립도서관이 {n}일부터 야간 개관 시간을 밤 10시까지 늘린다고 밝혔다. "
        f"이용자 설문에서 {n}0% 이상이 연장을 원했다.",
        "pubDate": format_datetime(published),
    } | extra


SUPPLIERS = [  # (supplier, product) of the one-day deals
    ("엔비디아", "블랙웰"),
    ("AMD", "MI355X"),
    ("인텔", "가우디3"),
    ("퓨리오사AI", "레니게이드"),
    ("리벨리온", "아톰"),
    ("삼성전자", "HBM3E"),
    ("SK하이닉스", "HBM4"),
    ("구글", "TPU"),
]
_FIRST = [
    "한빛",
    "새솔",
    "가온",
    "누리",
    "다올",
    "라온",
    "미리",
    "바름",
    "아름",
    "채움",
    "한결",
    "푸른",
]
_SECOND = [
    "테크",
    "전자",
    "데이터",
    "시스템",
    "네트웍스",
    "정보",
    "솔루션",
    "클라우드",
    "인프라",
    "소프트",
]
_THIRD = ["", "랩"]


def one_day_deals(n: int = 240) -> list[Draft]:
    """``n`` different GPU deals published over one day, titles of one template: each a
    different buyer (names in no alias list), one of eight suppliers, a city, a unit count and
    a won amount of its own."""
    names = [a + b + c for c in _THIRD for a in _FIRST for b in _SECOND][:n]
    assert len(set(names)) == n
    start = datetime(2025, 10, 29, 0, 30, tzinfo=UTC)
    out = []
    for k, buyer in enumerate(names):
        supplier, product = SUPPLIERS[k % len(SUPPLIERS)]
        city = CITIES[k % len(CITIES)]
        units = 300 + 40 * k
        won = 90 + 7 * k
        title = (
            f"{buyer}, {city} 데이터센터에 {supplier} {product} GPU {units}장 도입…{won}억원 규모"
        )
        body = (
            f"{buyer}가 {city}에 짓는 데이터센터에 {supplier} {product} 기반 GPU {units:,}장을 "
            f"들여온다고 밝혔다. 계약 금액은 {won}억원이다. "
            f"{buyer}는 내년 상반기까지 설치를 마치고 AI 학습과 추론 서비스를 넓힐 계획이다. "
            f"회사 관계자는 '{city} 센터가 연산 수요를 감당할 거점이 될 것'이라고 말했다."
        )
        out.append(
            Draft(
                title,
                body,
                f"deals/{k}.txt",
                source="전자신문",
                published_at=start + timedelta(minutes=5 * k),
            )
        )
    return out
