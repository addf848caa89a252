"""Topic names as users type them: one resolution rule for the CLI, chat and the Discord
autocomplete.

A topic is named by its id or its Korean or English label, compared without case or spaces
(``apec``, ``APEC``, ``소버린ai``, ``Sovereign AI``), or by words the Korean analyser reads the same
way: ``에이펙`` and ``아시아태평양경제협력체`` are the lemma ``apec``, the id of the APEC topic.
Anything else is an :class:`UnknownTopic` that lists the topics there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.config.topics import Topic, TopicSet
from bot.services.errors import UserError

MAX_SUGGESTIONS = 25  # Discord shows at most 25 choices
Lemmas = Callable[[str], list[str]]


class UnknownTopic(UserError):
    def __init__(self, name: str, known: Iterable[str], option: str | None = None) -> None:
        super().__init__("unknown_topic", option=option, name=name[:40], topics=", ".join(known))


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
            for name in (topic.id, topic.name, topic.name_en):
                self._keys.setdefault(_key(name), topic)
        self._lemma_keys: dict[tuple[str, ...], Topic] | None = None

    def ids(self) -> list[str]:
        return self.topics.ids()

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
        it (``gpu`` -> ``gpu_deal``); :class:`UnknownTopic` otherwise (or when several do)."""
        topic = self.find(word) or self.by_prefix(word)
        if topic is None:
            raise UnknownTopic(word, self.ids(), option)
        return topic.id

    def by_prefix(self, word: str) -> Topic | None:
        """The one topic whose id or label starts with ``word`` (at least two characters);
        None when none or several do.  Only where a word can be nothing but a topic: a search
        word such as ``gpu`` must stay a search word."""
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
        return found[0] if len(found) == 1 else None

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
