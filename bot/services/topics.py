"""Topic names as users type them: one resolution rule for the CLI, chat and the Discord
autocomplete.

A topic is named by its id or its Korean or English label, compared without case or spaces
(``apec``, ``APEC``, ``소버린ai``, ``Sovereign AI``), or by words the Korean analyser reads the same
way: ``에이펙`` and ``아시아태평양경제협력체`` are the lemma ``apec``, the id of the APEC topic.
Anything else is an :class:`UnknownTopic` that lists the topics there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bot.config.topics import Topic, TopicSet
from bot.services.errors import UserError
from bot.store.views import WATCH_PREFIX, watch_id

MAX_SUGGESTIONS = 25  # Discord shows at most 25 choices
Lemmas = Callable[[str], list[str]]


class UnknownTopic(UserError):
    def __init__(self, name: str, known: Iterable[str], option: str | None = None) -> None:
        super().__init__("unknown_topic", option=option, name=name[:40], topics=", ".join(known))


class UnknownWatch(UserError):
    """``watch:NAME`` where this workspace has no watch NAME."""

    def __init__(self, word: str, option: str | None = None) -> None:
        super().__init__("watch.unknown", option=option, name=word[len(WATCH_PREFIX) :][:40])


def unknown(word: str, known: Iterable[str], option: str | None = None) -> UserError:
    """The answer to ``word`` that names no topic: no such watch for ``watch:NAME``, else
    :class:`UnknownTopic` with the topics there are."""
    if word.strip().lower().startswith(WATCH_PREFIX):
        return UnknownWatch(word.strip(), option)
    return UnknownTopic(word, known, option)


class AmbiguousTopic(UserError):
    """A prefix that several topics start with (``gpu``: gpu_deal and the watch gpu2)."""

    def __init__(self, name: str, candidates: Iterable[str], option: str | None = None) -> None:
        topics = ", ".join(candidates)
        super().__init__("ambiguous_topic", option=option, name=name[:40], topics=topics)


def shown_id(topic: Topic) -> str:
    """A topic's id as people and scripts see it: a built-in topic's own (``apec``), a watch's
    name as ``watch:<name>`` (``watch:hbm``), never its row id."""
    return f"{WATCH_PREFIX}{topic.name}" if watch_id(topic.id) is not None else topic.id


def named(data: Any, topics: TopicSet) -> Any:
    """JSON ``data`` with every topic id as :func:`shown_id` gives it: the values of ``topics``
    and ``topic`` keys and the keys of ``scores``.  A watch ``topics`` does not hold (another
    workspace's) is left out, with its evidence."""
    names = {t.id: shown_id(t) for t in topics.topics}

    def one(topic: str) -> str | None:
        return names.get(topic, topic if watch_id(topic) is None else None)

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            out = []
            for v in value:
                if isinstance(v, dict) and isinstance(v.get("topic"), str) and not one(v["topic"]):
                    continue  # evidence (or a series) of a watch the reader may not see
                out.append(walk(v))
            return out
        if not isinstance(value, dict):
            return value
        out_d: dict[str, Any] = {}
        for key, v in value.items():
            if key == "topic" and isinstance(v, str):
                out_d[key] = one(v)
            elif key == "topics" and isinstance(v, list) and all(isinstance(x, str) for x in v):
                out_d[key] = [n for n in (one(x) for x in v) if n]
            elif key == "scores" and isinstance(v, dict):
                out_d[key] = {n: s for k, s in v.items() if (n := one(k))}
            else:
                out_d[key] = walk(v)
        return out_d

    return walk(data)


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


class Catalog:
    """The topics users may name.  ``lemmas`` (the analyser's) lets a word match the way the
    matcher reads it; without it only ids and labels match."""

    def __init__(self, topics: TopicSet, lemmas: Lemmas | None = None) -> None:
        self.topics = topics
        self._lemmas = lemmas
        self._keys: dict[str, Topic] = {}
        for topic in topics.topics:
            for name in (topic.id, topic.name, topic.name_en, shown_id(topic)):
                self._keys.setdefault(_key(name), topic)
        self._lemma_keys: dict[tuple[str, ...], Topic] | None = None

    def ids(self) -> list[str]:
        return self.topics.ids()

    def names(self) -> list[str]:
        """The topics as people name them (a watch by ``watch:<name>``), for messages."""
        return [shown_id(t) for t in self.topics.topics]

    def get(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id)

    def find(self, word: str, *, strict: bool = False) -> Topic | None:
        """The topic ``word`` names, or None.  ``strict``: ids and labels only (where a word
        might as well be meant as a search term)."""
        key = _key(word)
        if not key:
            return None
        found = self._keys.get(key)
        if found is not None or strict or self._lemmas is None or len(word) > 100:
            return found
        lemmas = tuple(self._lemmas(word))
        return self._by_lemmas().get(lemmas) if lemmas else None

    def _by_lemmas(self) -> dict[tuple[str, ...], Topic]:
        if self._lemma_keys is None:
            assert self._lemmas is not None
            self._lemma_keys = {}
            for topic in self.topics.topics:
                for name in (topic.id, topic.name, topic.name_en):
                    lemmas = tuple(self._lemmas(name))
                    if lemmas:
                        self._lemma_keys.setdefault(lemmas, topic)
        return self._lemma_keys

    def resolve(self, word: str, option: str | None = None) -> str:
        """The id of the topic ``word`` names, or the one topic whose id or label starts with
        it (``gpu`` -> ``gpu_deal``); :class:`AmbiguousTopic` when several do,
        :class:`UnknownTopic` when none does."""
        topic = self.find(word) or self.by_prefix(word, option)
        if topic is None:
            raise unknown(word, self.names(), option)
        return topic.id

    def by_prefix(self, word: str, option: str | None = None) -> Topic | None:
        """The one topic whose id or label starts with ``word`` (at least two characters);
        None when none does, :class:`AmbiguousTopic` (naming them) when several do.  Only where
        a word can be nothing but a topic: a search word such as ``gpu`` must stay a search
        word."""
        prefix = word.strip().casefold()
        if len(prefix) < 2:
            return None
        found = [
            topic
            for topic in self.topics.topics
            if any(
                name.casefold().startswith(prefix)
                for name in (topic.id, topic.name, topic.name_en)
                if name
            )
        ]
        if len(found) > 1:
            raise AmbiguousTopic(word, [shown_id(t) for t in found], option)
        return found[0] if found else None

    def resolve_all(self, words: Iterable[str], option: str | None = None) -> list[str]:
        """Ids of the named topics, each once, in the order given."""
        return list(dict.fromkeys(self.resolve(w, option) for w in words))

    def label(self, topic_id: str, lang: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.label(lang) if topic else topic_id

    def suggest(self, typed: str, lang: str, done: Iterable[str] = ()) -> list[Topic]:
        """Topics whose id or label (or a word of it) starts with ``typed``, except ``done``."""
        prefix = typed.strip().casefold()
        skip = set(done)
        out = []
        for topic in self.topics.topics:
            label = topic.label(lang)
            names = [topic.id, label, *label.split()]
            if topic.id not in skip and any(n.casefold().startswith(prefix) for n in names):
                out.append(topic)
        return out[:MAX_SUGGESTIONS]
