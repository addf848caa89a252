"""Reading a sub-command's words: trailing topics and a period, and ``topic:``/``since:``.

``/news search 엔비디아 GPU apec 7d``: from the end, a period word and topic names are taken off
while at least ``keep`` words remain; what is left is the query.  A word written ``topic:X``
(or ``since:X``) is always a topic (a period), wherever it stands and whatever ``X`` is: the
Discord adapter writes its typed options that way, so an unknown topic is refused instead of
being searched for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.chat.commands.core import usage
from bot.config.topics import looks_like_topic
from bot.core.periods import looks_like_period
from bot.services.errors import UserError
from bot.services.topics import Catalog, unknown
from bot.store.views import WATCH_PREFIX


@dataclass(slots=True)
class Words:
    rest: list[str]
    topics: list[str] = field(default_factory=list)  # ids
    period: str | None = None


def take_filters(catalog: Catalog, args: list[str], *, keep: int, strict: bool) -> Words:
    """Split topics and a period off ``args`` (see the module docstring).  ``strict``: only ids
    and labels count as trailing topics (in a query, other words are search terms)."""
    words = Words(rest=[])
    for word in args:
        low = word.lower()
        if low.startswith("topic:"):
            words.topics.append(catalog.resolve(word[6:]))
        elif low.startswith("since:"):
            words.period = word[6:]
        else:
            words.rest.append(word)
    trailing: list[str] = []
    while len(words.rest) > keep:
        word = words.rest[-1]
        if words.period is None and looks_like_period(word):
            words.period = words.rest.pop()
            continue
        topic = catalog.find(word, strict=strict)
        if topic is None:
            break
        trailing.insert(0, topic.id)
        words.rest.pop()
    words.topics = list(dict.fromkeys(words.topics + trailing))
    return words


def not_a_topic(catalog: Catalog, word: str, command: str, lang: str) -> UserError:
    """The answer to ``word`` left where only topics may stand: "unknown topic" with the list
    for a word written as a topic or watch name (:data:`bot.config.topics.TOPIC_WORD`), the
    command's usage line for anything else.  Digest, weekly and trend all answer this way."""
    if looks_like_topic(word) or word.lower().startswith(WATCH_PREFIX):
        return unknown(word, catalog.names())
    return usage(command, lang)
