"""Command words as people type them: Korean names for the commands (``검색`` = ``search``) and
"did you mean" for a typo (``serch`` -> ``search``), shared by the ``newsbot`` command line and
chat's ``/news``, as gh, git and httpie answer a near miss."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Korean command word -> the command it stands for.  Each side uses the entries whose command
# it has (the CLI has no `subscribe`, chat has no `poll`).
KOREAN_ALIASES: dict[str, str] = {
    "도움말": "help",
    "도움": "help",
    "검색": "search",
    "찾기": "search",
    "다이제스트": "digest",
    "요약": "digest",
    "주제": "topics",
    "토픽": "topics",
    "구독": "subscribe",
    "구독해지": "unsubscribe",
    "구독취소": "unsubscribe",
    "피드": "feeds",
    "소스": "sources",
    "키워드소스": "sources",
    "근거": "why",
    "왜": "why",
    "통계": "stats",
    "추이": "trend",
    "트렌드": "trend",
    "워치": "watch",
    "숨기기": "mute",
    "숨김해제": "unmute",
    "수집": "poll",
    "설정": "config",
    "데모": "demo",
}


def aliases_for(commands: Iterable[str]) -> dict[str, str]:
    """The Korean words of the commands in ``commands``."""
    known = set(commands)
    return {word: name for word, name in KOREAN_ALIASES.items() if name in known}


def resolve(word: str, commands: Iterable[str]) -> str:
    """``word`` as a command name: itself, or the command its Korean name stands for."""
    return aliases_for(commands).get(word, word)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The one choice ``word`` is most likely a typo of (difflib, as close as ``serch`` is to
    ``search``), given by its command name when a Korean alias was the nearest; None when
    nothing is close."""
    choices = list(choices)
    found = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    if not found:
        return None
    target = KOREAN_ALIASES.get(found[0])
    return target if target in choices else found[0]
