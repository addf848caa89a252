"""The application's parts, built lazily from settings: clock, store, topics, analyser, pipeline."""

from __future__ import annotations

from functools import cached_property

from bot.analysis.korean import Analyser, get_analyser
from bot.analysis.pipeline import Pipeline
from bot.config.settings import Settings
from bot.config.topics import TopicSet, load_topics
from bot.core.clock import Clock, from_env
from bot.services.topics import Catalog
from bot.store import Store, open_store


class App:
    """The composition root: it satisfies :class:`bot.services.context.ServiceContext`, the
    narrow context that services and commands take.  The parts every entry point (CLI, chat,
    ``serve``) works with, built on first use from the
    settings, and the one :class:`~bot.core.clock.Clock` they all read (by default the process's:
    the real one, or ``NEWSBOT_TEST_CLOCK``)."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or from_env()

    @cached_property
    def store(self) -> Store:
        return open_store(self.settings.database_url, clock=self.clock)

    @cached_property
    def topics(self) -> TopicSet:
        return load_topics(self.settings.topics_file)

    @cached_property
    def analyser(self) -> Analyser:
        return get_analyser()

    @cached_property
    def catalog(self) -> Catalog:
        """The topics users may name (matching words as the analyser reads them)."""
        return Catalog(self.topics, lambda text: self.analyser.lemmas(text))

    @cached_property
    def pipeline(self) -> Pipeline:
        return Pipeline(self.store, self.topics, self.analyser)

    def loaded(self, part: str) -> bool:
        """Whether ``part`` (a cached property: ``"store"``, ``"analyser"``, ``"pipeline"``…)
        is built already."""
        return part in self.__dict__

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
