"""When a saved article page was first published, as Korean and English news sites write it.

Sources, best first (the first that yields a date wins; "updated" dates only when nothing else):

1. machine-readable published times in the markup: ``<meta property="article:published_time">``
   (and ``og:article:published_time``, ``name="pubdate"``, ``itemprop="datePublished"``,
   ``og:regDate``…), JSON-LD ``"datePublished"``, ``<time datetime=… pubdate>`` or a ``<time>``
   with ``itemprop="datePublished"``;
2. a labelled line in the text: ``입력``, ``기사입력``, ``송고시간``, ``등록``, ``게재 일자``,
   ``발행일``, ``승인``, ``작성일``, ``Published``, ``Posted`` — a published label wins over
   ``수정``/``최종수정``/``업데이트``/``Updated``/``Last modified`` wherever they stand;
3. a line near the top that is a date and little else (a byline date: ``2025년 10월 31일 14:20``,
   ``Fri 31 Oct 2025 06.10 GMT``, ``Oct. 31, 2025 3:10 p.m. KST``);
4. the updated time (meta ``article:modified_time``, JSON-LD ``"dateModified"``, an ``Updated``
   line) when the page gives nothing else;
5. a labelled month-day without a year (``작성일 08-04``), when the page holds a dated path of
   that day (``/202508/04/``) to take the year from.

Dates are read in these forms: ISO 8601, ``2025년 10월 31일``, ``2025.10.31`` / ``2025. 10. 31.``
/ ``2025/10/31`` / ``2025-10-31`` / ``25.10.31``, ``20251031151000``, English ``Oct. 31, 2025``,
``October 31, 2025``, ``31 October 2025``, ``Fri 31 Oct 2025``; times ``15:10``, ``15:10:22``,
``오후 3:10``, ``오후 2시 20분``, ``14시20분``, ``3:10 PM``, ``3:10 p.m.``, ``06.10`` (before a
zone), also in brackets or before the date (``15:10 October 31, 2025``).  A zone (``KST``,
``JST``, ``GMT``, ``UTC``, ``EST``, ``EDT``, ``BST``, ``+09:00``, ``Z``…) is honoured; a time
without one is Korea time.  A date without a time stays a date (``date_only``).  Dates in the
body (``지난 29일``, ``다음 달 3일``, a related-articles list) are not publication dates: only
labelled or byline-like dates count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")

ZONES: dict[str, tzinfo] = {
    "KST": timezone(timedelta(hours=9)),
    "JST": timezone(timedelta(hours=9)),
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "EST": timezone(timedelta(hours=-5)),
    "EDT": timezone(timedelta(hours=-4)),
    "CST": timezone(timedelta(hours=-6)),
    "CDT": timezone(timedelta(hours=-5)),
    "PST": timezone(timedelta(hours=-8)),
    "PDT": timezone(timedelta(hours=-7)),
    "BST": timezone(timedelta(hours=1)),
    "CET": timezone(timedelta(hours=1)),
    "CEST": timezone(timedelta(hours=2)),
    "HKT": timezone(timedelta(hours=8)),
    "SGT": timezone(timedelta(hours=8)),
    "AEST": timezone(timedelta(hours=10)),
    "AEDT": timezone(timedelta(hours=11)),
}
MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}


@dataclass(frozen=True, slots=True)
class Published:
    at: datetime  # aware; a date alone is noon in Seoul (the same day in Seoul and in UTC)
    date_only: bool

    @property
    def day(self) -> date:
        return self.at.astimezone(SEOUL).date()


# -- reading one date expression --------------------------------------------------------------

_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = [
    re.compile(
        r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
        r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?(?![\d:])"
    ),
    re.compile(r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(
        r"(?<![\d.])(?P<y>\d{4}|\d{2})\s*(?P<sep>[./-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*"
        r"(?P<d>\d{1,2})(?!\d)\.?"
    ),
    re.compile(
        r"(?<!\d)(?P<y>20\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?P<H>[0-2]\d)(?P<M>[0-5]\d)\d{0,2}(?!\d)"
    ),
    re.compile(_MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I),
    re.compile(r"(?P<d>\d{1,2})\s+" + _MON + r",?\s+(?P<y>\d{4})", re.I),
]
_ZONE = r"(?P<tz>Z|UTC|GMT(?:\s*[+-]\s*\d{1,2})?|[A-Z]{2,4}T|[+-]\d{2}:?\d{2})"
_TIME_AFTER = re.compile(
    r"[\s,.|·T@(]*(?:at\s+)?(?:\(?[월화수목금토일]\)?요?일?\s*)?\(?"
    r"(?P<ap1>오전|오후)?\s*(?P<H>\d{1,2})\s*(?:(?P<sep>[:시])\s*(?P<M>\d{1,2})?|\.(?P<Md>\d{2})"
    r"(?=\s*(?:[ap]\.?m|GMT|UTC|[A-Z]{2,4}T)))\s*(?:분)?\s*(?::\s*(?P<S>\d{2}))?\s*"
    r"(?P<ap2>[ap]\.?\s*m\.?|오전|오후)?\s*\)?\s*" + _ZONE + r"?(?![A-Za-z\d])",
    re.I,
)
_TIME_BEFORE = re.compile(
    r"(?P<H>\d{1,2}):(?P<M>\d{2})\s*(?P<ap2>[ap]\.?\s*m\.?)?\s*" + _ZONE + r"?[\s,]*$", re.I
)


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    key = text.replace(" ", "").upper()
    if key in ZONES:
        return ZONES[key]
    m = re.fullmatch(r"GMT([+-])(\d{1,2})", key)
    if m:
        return timezone(timedelta(hours=int(m.group(2)) * (1 if m.group(1) == "+" else -1)))
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", key)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))
    return None  # an unknown abbreviation: not guessed


def _hour(hour: int, ampm: str | None) -> int:
    mark = (ampm or "").replace(".", "").replace(" ", "").lower()
    if mark in ("오후", "pm") and hour < 12:
        return hour + 12
    if mark in ("오전", "am") and hour == 12:
        return 0
    return hour


def read_date(text: str) -> tuple[Published, int, int] | None:
    """The first date expression in ``text``: (the date, its start, its end), or None."""
    best: tuple[re.Match[str], re.Pattern[str]] | None = None
    for pattern in _DATES:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, pattern)
    if best is None:
        return None
    m = best[0]
    groups = m.groupdict()
    year = int(groups["y"])
    if year < 100:
        year += 2000
    month = MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
    day = int(groups["d"])
    end = m.end()
    hour = minute = second = None
    zone = _zone(groups.get("tz"))
    if groups.get("H") is not None:
        hour, minute, second = int(groups["H"]), int(groups["M"]), int(groups.get("S") or 0)
    else:
        after = _TIME_AFTER.match(text, end)
        if after and (after.group("sep") or after.group("Md")):
            hour = _hour(int(after.group("H")), after.group("ap1") or after.group("ap2"))
            minute = int(after.group("M") or after.group("Md") or 0)
            second = int(after.group("S") or 0)
            zone = _zone(after.group("tz"))
            end = after.end()
        else:
            before = _TIME_BEFORE.search(text[max(0, m.start() - 20) : m.start()])
            if before:
                hour = _hour(int(before.group("H")), before.group("ap2"))
                minute, second = int(before.group("M")), 0
                zone = _zone(before.group("tz"))
    try:
        if hour is None:
            at = datetime(year, month, day, 12, tzinfo=SEOUL)
            return Published(at, True), m.start(), end
        assert minute is not None and second is not None
        at = datetime(year, month, day, hour, minute, second, tzinfo=zone or SEOUL)
    except (ValueError, AssertionError):
        return None
    return Published(at, False), m.start(), end


# -- where a page says it -----------------------------------------------------------------------

_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_META_PUBLISHED = {
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "og:regdate",
    "nv:news:date",
}
_META_MODIFIED = {"article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"}
_LD = re.compile(r'"(datePublished|dateModified|dateCreated)"\s*:\s*"([^"]{6,40})"')
_TIME_TAG = re.compile(r"<time\b[^>]*>", re.I)

_PUBLISHED_LABEL = (
    r"기사\s*입력|입력|송고\s*시간|송고|등록\s*일?|게재\s*일자|게재일|발행\s*일|발행|승인|"
    r"작성\s*일|작성|first\s+published(?:\s+on)?|published(?:\s+on)?|posted(?:\s+on)?"
)
_UPDATED_LABEL = (
    r"최종\s*수정|수정|업데이트|last\s+updated|updated(?:\s+on)?|last\s+modified(?:\s+on)?|"
    r"modified(?:\s+on)?"
)
_LABELS = r"(?:(?P<up>" + _UPDATED_LABEL + r")|(?P<pub>" + _PUBLISHED_LABEL + r"))"
# a label just before a date ("입력 : 2025…", "Published October…") or just after it ("… 송고")
_LABEL_BEFORE = re.compile(
    r"(?<![가-힣A-Za-z])" + _LABELS + r"(?:\s*(?:일시|시간|일자))?[\s:：|·\-]*$", re.I
)
_LABEL_AFTER = re.compile(r"[\s|]{0,3}" + _LABELS + r"(?![가-힣A-Za-z])", re.I)
_ANY_LABEL = re.compile(r"(?<![가-힣A-Za-z])" + _LABELS + r"(?![가-힣A-Za-z])", re.I)
_LABEL_REACH = 12  # characters between a label's end and its date
_DATE_LINE_REST = 24  # other characters a byline date line may carry
_DATE_LINE_TOP = 30  # lines looked at for a byline date line


def _attrs(tag: str) -> dict[str, str]:
    return {
        k.lower(): (a if a is not None else b if b is not None else c)
        for k, a, b, c in _ATTR.findall(tag)
    }


def _markup(raw: str) -> tuple[Published | None, Published | None]:
    """(published, modified) from meta tags, JSON-LD and ``<time>`` tags."""
    published: Published | None = None
    modified: Published | None = None
    for tag in _META.findall(raw):
        attrs = _attrs(tag)
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        found = read_date(attrs.get("content", ""))
        if found is None:
            continue
        if name in _META_PUBLISHED and published is None:
            published = found[0]
        elif name in _META_MODIFIED and modified is None:
            modified = found[0]
    for key, value in _LD.findall(raw):
        found = read_date(value)
        if found is None:
            continue
        if key in ("datePublished", "dateCreated") and published is None:
            published = found[0]
        elif key == "dateModified" and modified is None:
            modified = found[0]
    if published is None:
        for tag in _TIME_TAG.findall(raw):
            attrs = _attrs(tag)
            is_published = "pubdate" in tag.lower() or attrs.get("itemprop", "").lower() in (
                "datepublished",
                "datecreated",
            )
            found = read_date(attrs.get("datetime", ""))
            if found and (is_published or (published is None and _lone_time_tag(raw))):
                published = found[0]
                break
    return published, modified


def _lone_time_tag(raw: str) -> bool:
    """One ``<time datetime>`` in the whole page: the article's own (BBC's byline)."""
    return len(re.findall(r"<time\b[^>]*datetime=", raw, re.I)) == 1


def iter_dates(text: str, limit: int = 50) -> list[tuple[Published, int, int]]:
    """Every date expression in ``text``, in order (at most ``limit``)."""
    out: list[tuple[Published, int, int]] = []
    pos = 0
    while len(out) < limit:
        found = read_date(text[pos:])
        if found is None:
            return out
        out.append((found[0], pos + found[1], pos + found[2]))
        pos += found[2]
    return out


# A labelled date stands near an article's top or at its foot; a multi-megabyte page is read
# there only (each date found costs a scan of the text after it).
_HEAD_CHARS = 20_000
_FOOT_CHARS = 5_000


def _ends(text: str) -> str:
    if len(text) <= _HEAD_CHARS + _FOOT_CHARS:
        return text
    return text[:_HEAD_CHARS] + "\n" + text[-_FOOT_CHARS:]


def _labelled(text: str) -> tuple[Published | None, Published | None]:
    """(published, updated) from dates labelled before or after them."""
    published: Published | None = None
    updated: Published | None = None
    text = _ends(text)
    for found, start, end in iter_dates(text):
        label = _LABEL_BEFORE.search(text, max(0, start - _LABEL_REACH - 12), start)
        label = label or _LABEL_AFTER.match(text, end)
        if label is None:
            continue
        if label.group("pub") and published is None:
            published = found
        elif label.group("up") and updated is None:
            updated = found
    return published, updated


def _date_line(text: str) -> Published | None:
    """A line near the top that is a date and little else (a byline's date; an "Updated …"
    beside it does not count as other text)."""
    for line in text.split("\n")[:_DATE_LINE_TOP]:
        dates = iter_dates(line.strip(), limit=3)
        if not dates:
            continue
        rest, pos = "", 0
        for _found, start, end in dates:
            rest += line.strip()[pos:start]
            pos = end
        rest = _ANY_LABEL.sub("", rest + line.strip()[pos:]).strip(" \t|·,.-()[]")
        if len(rest) <= _DATE_LINE_REST and not rest.endswith("다"):
            return dates[0][0]
    return None


_MONTH_DAY = re.compile(
    r"(?<![가-힣A-Za-z])(?:"
    + _PUBLISHED_LABEL
    + r")\s*[:：]?\s*(?P<m>\d{1,2})[-./월]\s*(?P<d>\d{1,2})"
    r"일?(?![\d.])(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    re.I,
)
_DATED_PATH = re.compile(r"/(20\d\d)(\d\d)/(\d\d)/")


def _month_day(raw: str) -> Published | None:
    """A labelled month-day without a year (``작성일 08-04``, portal copies): the year comes
    from a dated path of the same day in the page (``/202508/04/``), else there is no date."""
    m = _MONTH_DAY.search(raw)
    if m is None:
        return None
    month, day = int(m.group("m")), int(m.group("d"))
    for path in _DATED_PATH.finditer(raw):
        if int(path.group(2)) == month and int(path.group(3)) == day:
            year = int(path.group(1))
            try:
                if m.group("H") is None:
                    return Published(datetime(year, month, day, 12, tzinfo=SEOUL), True)
                at = datetime(year, month, day, int(m.group("H")), int(m.group("M")), tzinfo=SEOUL)
            except ValueError:
                return None
            return Published(at, False)
    return None


def find_published(raw: str, text: str | None = None) -> Published | None:
    """The page's publication date (rules in the module docstring).  ``raw`` is the page as
    saved (markup and all); ``text`` its visible text without related-article lists (default:
    ``raw``)."""
    text = raw if text is None else text
    in_markup, modified = _markup(raw) if "<" in raw else (None, None)
    labelled, updated = _labelled(text)
    for found in (in_markup, labelled, _date_line(text)):
        if found is None:
            continue
        if found.date_only and labelled is not None and labelled.day == found.day:
            return labelled  # the same day, with its time
        return found
    return modified or updated or _month_day(raw)


def published_json(value: Published) -> str:
    """ISO 8601 as the JSON contract shows it: a date alone stays a date."""
    return value.day.isoformat() if value.date_only else value.at.isoformat()
