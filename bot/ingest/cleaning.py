"""Turning a saved news page into an article: body without the site chrome, title, outlet, date.

Rules, in order:

1. Embedded HTML is converted to text (figures and captions in markup are dropped).
2. Everything from a "related articles" block on (``관련자료 이전 … 다음``, ``댓글 0``) is cut.
3. Chrome lines are dropped: search/menu words (``검색``, ``목록``), section labels
   (``콘텐츠뉴스(언론보도)``), ``<이미지를 클릭하시면 크게 보실 수 있습니다>``, copyright and
   ``무단 전재 및 재배포 금지`` lines, syndication notes, category notes, lines that are only a
   reporter's name and e-mail, photo credits (``포항=뉴스1``, ``[윤해리 제작] 일러스트``), portal
   meta lines (``• 2025-02-28 | 신기술 융합콘텐츠``).
4. Inside kept lines, credits are removed: ``[이데일리 방인권 기자]``, ``(사진=… 기자)``, a trailing
   `` |``, a caption's trailing outlet credit (``… 하고 있다. 뉴시스``), e-mail addresses.
5. A line repeated verbatim (a caption printed twice, a glossary entry twice) is kept once.

The title is the page's headline where it has one (an ``<h1>``; the text before ``작성일``; a short
first line that is not a sentence), otherwise the first sentence, shortened.  The outlet comes from
a dateline ``(서울=연합뉴스)``, a copyright line, a byline ``[이데일리 … 기자]``, or the first outlet
name in the page that is not an agency's photo credit (``사진=뉴시스``, ``(사진=뉴시스)``, ``… 2025.10.29
/뉴시스`` or ``… 하고 있다. 뉴시스`` ending a caption, ``포항=뉴스1`` under a photo): the agency
that took a picture did not write the story, so a page whose only outlets are agency photo
credits has no outlet (a paper's credit to itself, ``사진=지디넷코리아``, still names it), and a dateline in any bracket (``[경주=뉴시스]``, ``【서울=뉴시스】``) wins over a
credit.  The publication date is :func:`bot.ingest.pagedates.find_published`'s
(markup, labelled lines, a byline date line; a date alone stays a date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.unicode import normalize_text
from bot.ingest.pagedates import Published, find_published
from bot.ingest.text import html_to_text, looks_like_html

KST = ZoneInfo("Asia/Seoul")

OUTLETS = (
    "연합뉴스",
    "뉴시스",
    "뉴스1",
    "이데일리",
    "뉴스로드",
    "조선일보",
    "중앙일보",
    "동아일보",
    "한겨레",
    "경향신문",
    "한국경제",
    "한경",
    "매일경제",
    "매경",
    "머니투데이",
    "서울경제",
    "전자신문",
    "디지털타임스",
    "아시아경제",
    "헤럴드경제",
    "파이낸셜뉴스",
    "지디넷코리아",
    "ZDNet Korea",
    "블로터",
    "국민일보",
    "세계일보",
    "한국일보",
    "문화일보",
    "서울신문",
    "아이뉴스24",
    "뉴데일리",
    "데일리안",
    "노컷뉴스",
    "오마이뉴스",
    "프레시안",
    "뉴스핌",
    "이투데이",
    "비즈니스포스트",
    "더구루",
    "조선비즈",
    "뉴스웨이",
    "뉴스토마토",
    "아주경제",
    "파이낸셜투데이",
    "KBS",
    "MBC",
    "SBS",
    "YTN",
    "JTBC",
    "MBN",
    "연합뉴스TV",
    "뉴스픽",
    "Yonhap",
    "Reuters",
    "Bloomberg",
    "The Korea Herald",
    "The Korea Times",
    "Korea JoongAng Daily",
    "The Chosun Ilbo",
    "Associated Press",
    "AFP",
)
_OUTLET_RE = "|".join(re.escape(o) for o in sorted(OUTLETS, key=len, reverse=True))

_RELATED = re.compile(r"관련자료\s*이전\b|\b댓글\s*\d+\s*등록된 댓글|등록된 댓글이 없습니다")
# A list of other headlines under the article: cut when it starts a line in the second half.
_TAIL_LIST = re.compile(
    r"^\s*[\[<【■▶]?\s*(많이\s*본\s*뉴스|많이\s*본\s*기사|관련\s*기사|관련\s*뉴스|인기\s*기사|"
    r"추천\s*기사|이\s*시각\s*주요\s*뉴스|실시간\s*인기|헤드라인\s*뉴스|Most\s+(read|popular)|"
    r"Related\s+(articles|stories|news))\s*[\]>】]?\s*$",
    re.I | re.M,
)
_CHROME_LINE = [
    re.compile(r"^(검색|목록|메뉴|로그인|회원가입|홈|전체메뉴|공유하기|기사듣기|프린트|스크랩)$"),
    re.compile(r"^콘텐츠뉴스\s*\(언론보도\)$"),
    re.compile(r"^<?이미지를 클릭하시면 크게 보실 수 있습니다>?\s*\|?$"),
    re.compile(r"(?i)^(copyright|ⓒ|©|\(c\))"),
    re.compile(r"무단\s*전재|재배포\s*금지|All rights reserved", re.I),
    re.compile(r"^본 콘텐츠는 .*공유된 콘텐츠입니다\.?$"),
    re.compile(r"^이 기사의 카테고리는 언론사의 분류를 따릅니다\.?$"),
    re.compile(r"^언론사는 한 기사를 두 개 이상의 카테고리로 분류할 수 있습니다\.?$"),
    re.compile(r"^[•·▶■\-\*]\s*\d{4}[-./]\d{1,2}[-./]\d{1,2}\s*\|"),  # portal meta line
    re.compile(r"^\[[^\]]{1,20}\s*제작\]\s*(일러스트|그래픽|사진)?$"),
    re.compile(r"^[가-힣]{1,10}=(" + _OUTLET_RE + r")$"),  # photo credit "포항=뉴스1"
    re.compile(r"^(송고시간|입력|기사입력|수정|최종수정|등록|발행|승인)\s*[:：]?\s*\d{4}[-./]"),
    re.compile(r"^(좋아요|싫어요|추천|댓글)\s*\d*$"),
]
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_BYLINE_ONLY = re.compile(r"^[가-힣\s·,]{0,30}(기자|특파원|에디터|객원기자)+\s*[:：]?\s*$")
_CREDIT_BRACKET = re.compile(r"^\[(" + _OUTLET_RE + r")[^\]]{0,20}기자\]\s*")
_PHOTO_PAREN = re.compile(r"\s*\((사진|그래픽|자료)\s*=\s*[^)]{1,30}\)")
_TRAILING_CREDIT = re.compile(r"(?<=[.다])\s+(" + _OUTLET_RE + r")$")
_TRAILING_BAR = re.compile(r"\s*\|\s*$")
# words that name a credit, not a place, before `=`: (사진=뉴시스) is a photo credit
_CREDIT_WORDS = (
    r"(?:사진|그래픽|자료|영상|제공|출처|캡처|촬영|일러스트|디자인|편집|자료사진|사진제공)"
)
# a dateline in any bracket: (서울=연합뉴스), [경주=뉴시스], 【서울=뉴시스】
_DATELINE_ANY = re.compile(
    r"[(\[【]\s*(?!"
    + _CREDIT_WORDS
    + r"\s*=)[가-힣A-Za-z]{1,10}\s*=\s*("
    + _OUTLET_RE
    + r")\s*[)\]】]"
)
# a caption's end: a credit after a slash, or a date (`… 2025.10.28/뉴스1`, `… 2025.10.28`)
_CAPTION_END = re.compile(
    r"(/\s*(" + _OUTLET_RE + r")|\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?)\s*[|)]?\s*$"
)
# the wire and photo agencies whose pictures other outlets print: a credit to one of them says
# who took the picture, not who ran the story (a paper's own `사진=지디넷코리아` does say that)
AGENCIES = (
    "연합뉴스",
    "연합뉴스TV",
    "뉴시스",
    "뉴스1",
    "Yonhap",
    "Reuters",
    "AFP",
    "Associated Press",
)
_AGENCY_RE = "|".join(re.escape(o) for o in sorted(AGENCIES, key=len, reverse=True))
_PHOTO_CREDITS = (
    # (사진=뉴시스), 사진=뉴시스 DB, [그래픽=연합뉴스]
    re.compile(
        r"[(\[]?[ \t]*" + _CREDIT_WORDS + r"[ \t]*[=:][^)\]\n]{0,15}?(" + _AGENCY_RE + r")"
        r"[^)\]\n]{0,15}[)\]]?"
    ),
    re.compile(r"/[ \t]*(" + _AGENCY_RE + r")[ \t]*[|)]?[ \t]*$", re.M),  # … 2025.10.29 /뉴시스
    re.compile(r"(?<=[.다])[ \t]+(" + _AGENCY_RE + r")[ \t]*$", re.M),  # … 하고 있다. 뉴시스
    re.compile(
        r"^[ \t]*[가-힣]{1,10}[ \t]*=[ \t]*(" + _AGENCY_RE + r")[ \t]*$", re.M
    ),  # 포항=뉴스1
)
_DATELINE = re.compile(
    r"^\([가-힣A-Za-z]{1,10}\s*=\s*(" + _OUTLET_RE + r")\)\s*([가-힣 ·]{2,30}기자\s*=\s*)?"
)


@dataclass(slots=True)
class CleanPage:
    title: str
    body: str
    source: str | None
    published: Published | None


def clean_page(raw: str) -> CleanPage:
    raw = normalize_text(raw).replace("\r\n", "\n").replace("\r", "\n")
    headline: str | None = None
    text = raw
    if looks_like_html(raw):
        text, headline = html_to_text(raw)
    source = find_outlet(raw)
    text = _cut_related(text)
    published = find_published(raw, text)
    lines = [_strip_credits(line) for line in text.split("\n")]
    lines = [line for line in lines if line and not _is_chrome(line)]
    title, lines = _take_title(lines, headline)
    lines = [line for i, line in enumerate(lines) if i >= 5 or not _repeats_title(line, title)]
    body_lines = _dedupe([_DATELINE.sub("", line) for line in lines])
    return CleanPage(title=title, body="\n".join(body_lines), source=source, published=published)


def _cut_related(text: str) -> str:
    m = _RELATED.search(text)
    if m:
        text = text[: m.start()]
    for tail in _TAIL_LIST.finditer(text):
        if tail.start() > len(text) * 0.3:
            return text[: tail.start()]
    return text


def clean_body(text: str, title: str = "") -> str:
    """The body rules of :func:`clean_page` for a text whose title is known (a feed entry, a
    labelled example): markup, related-story lists, chrome and credits go; the text stays."""
    text = normalize_text(text).replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        text, _ = html_to_text(text)
    lines = [_strip_credits(line) for line in _cut_related(text).split("\n")]
    lines = [line for line in lines if line and not _is_chrome(line)]
    lines = [line for i, line in enumerate(lines) if i >= 5 or not _repeats_title(line, title)]
    return "\n".join(_dedupe([_DATELINE.sub("", line) for line in lines]))


def _is_chrome(line: str) -> bool:
    if any(p.search(line) for p in _CHROME_LINE):
        return True
    if _EMAIL.search(line) and len(_EMAIL.sub("", line).strip()) < 30:
        return True  # "이정현조현영 기자기자 : lisa@yna.co.kr", "legomaster@news1.kr"
    return bool(_BYLINE_ONLY.match(line))


_MD_HEADING = re.compile(r"^#{1,6}\s+")


def _strip_credits(line: str) -> str:
    line = _MD_HEADING.sub("", " ".join(line.split()))  # a Markdown heading: its text
    line = _CREDIT_BRACKET.sub("", line)
    line = _PHOTO_PAREN.sub("", line)
    line = _TRAILING_BAR.sub("", line)
    line = _TRAILING_CREDIT.sub("", line)
    line = re.sub(r"\s*\(PG\)$", "", line)
    if _EMAIL.search(line) and len(_EMAIL.sub("", line).strip()) >= 30:
        line = _EMAIL.sub("", line).strip()
    return line.strip()


def _take_title(lines: list[str], headline: str | None) -> tuple[str, list[str]]:
    if not lines:
        return (headline or "").strip(), lines
    first = lines[0]
    m = re.search(r"\s+작성일\s+\d", first)
    if m:  # "제목 작성일 08-04 30 목록" (board-style page)
        return first[: m.start()].strip(), lines[1:]
    if headline:
        return headline.strip(), lines
    if _is_headline(first):
        return first.strip(), lines[1:]
    return shorten(first_sentence(first)), lines


def _is_headline(line: str) -> bool:
    if len(line) > 90:
        return False
    return not re.search(r"(다|요)\.$", line)  # a sentence is not a headline


def headline(title: str, body: str) -> str:
    """The title as matching should see it: empty when it was made from the body's first
    sentence (a page without a headline), so the lead is not counted twice."""
    stem = title.rstrip("…").strip()
    return "" if stem and body.lstrip().startswith(stem) else title


def first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)
    return parts[0] if parts else text


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.·…") + "…"


def _repeats_title(line: str, title: str) -> bool:
    """A line that only repeats (part of) the headline, e.g. a headline printed over two lines."""
    if not title or len(line) < max(4, len(title) // 3):
        return False
    squash = re.sub(r"\W", "", line)
    return bool(squash) and squash in re.sub(r"\W", "", title) and len(squash) <= len(title)


def _dedupe(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        key = re.sub(r"\s+", " ", line)
        if key in seen and len(key) > 3:
            continue
        seen.add(key)
        out.append(line)
    return out


def find_outlet(raw: str) -> str | None:
    """The outlet that ran the page (rules in the module docstring): a dateline, a copyright
    line, a byline, else the first outlet named outside a photo credit; None when the only
    outlets named are the agencies credited for photos (they took the picture, not the story)."""
    for line in raw.split("\n"):
        if _CAPTION_END.search(line):
            continue  # a caption: `(포항=뉴스1) 홍길동 기자 = … 2025.10.28/뉴스1`
        m = _DATELINE_ANY.search(line)
        if m:
            return m.group(1)
    for pattern in (
        r"(?i)copyright\s*(?:ⓒ|©|\(c\))?\s*(" + _OUTLET_RE + r")",
        r"\[(" + _OUTLET_RE + r")[^\]]{0,20}기자\]",
    ):
        m = re.search(pattern, raw)
        if m:
            return m.group(1)
    text = raw
    for credit in _PHOTO_CREDITS:
        text = credit.sub(" ", text)
    m = re.search(r"(?<![가-힣A-Za-z])(" + _OUTLET_RE + r")(?![가-힣A-Za-z0-9])", text)
    return m.group(1) if m else None
