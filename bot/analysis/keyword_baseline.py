"""The baseline ``newsbot eval --baseline keywords`` measures the matcher against: a keyword
filter as users of feed readers write one (MonitoRSS, Miniflux "keep rules"): one
case-insensitive regular expression per topic over the title and the text, no analysis, no
scoring.  A topic without a pattern here (a user's own topic) is filtered by its names."""

from __future__ import annotations

import re

from bot.config.topics import Topic

PATTERNS: dict[str, str] = {
    "sovereign_ai": r"소버린\s*AI|sovereign\s+AI|주권형\s*AI|AI\s*주권|AI\s+sovereignty"
    r"|독자\s*AI\s*파운데이션|국가대표\s*AI",
    "apec": r"APEC|에이펙|아시아태평양경제협력체",
    "gpu_deal": r"GPU.{0,40}(공급|구매|도입|확보|계약)|(공급|구매|도입|확보|계약).{0,40}GPU"
    r"|GPU.{0,40}(supply|deal|order|purchase|buy)|(supply|deal|order|purchase|buy).{0,40}GPU"
    r"|AI\s*데이터\s*센터\s*(구축|건설)|AI data cent(er|re)s?.{0,20}(deal|build)",
}


def pattern_for(topic: Topic) -> re.Pattern[str]:
    source = PATTERNS.get(topic.id) or "|".join(
        re.escape(name) for name in dict.fromkeys((topic.name, topic.name_en)) if name
    )
    return re.compile(source, re.IGNORECASE)


def keyword_topics(patterns: dict[str, re.Pattern[str]], title: str, text: str) -> list[str]:
    """The topics whose pattern occurs anywhere in the title or the text."""
    haystack = f"{title}\n{text}"
    return [tid for tid, pattern in patterns.items() if pattern.search(haystack)]
