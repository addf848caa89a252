"""Words a watch cannot be named: what the ``/news`` commands read as something else.

A watch named ``7d``, ``alerts``, ``weekly`` or ``금`` would be saved and then never be named
where it matters (``/news subscribe 금`` reads a weekday, ``/news digest 7d`` a period), so
:func:`bot.services.watches.check_name` refuses these names with one line.
"""

from __future__ import annotations

from bot.core.periods import looks_like_period
from bot.core.workdays import weekday_number
from bot.services.subscriptions import NOT_SCHEDULES

# subscribe's options and the other fixed words of the commands (periods and weekdays are
# recognised by their grammars below)
COMMAND_WORDS = frozenset(
    """at 시각 tz timezone alerts alert 알림 daily 매일 weekdays 평일 weekly 매주 주간
    for 동안 all 전체 ever""".split()  # noqa: SIM905 (a list of words, read as one)
)


def is_command_word(name: str) -> bool:
    """Whether a command reads ``name`` as an option, a period (``7d``, ``2025-10-01``) or a
    weekday (``fri``, ``금``, ``금요일``)."""
    word = name.strip().lower()
    return (
        word in COMMAND_WORDS
        or word in NOT_SCHEDULES
        or looks_like_period(word)
        or weekday_number(word) is not None
    )
