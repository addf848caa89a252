"""What a service works with: the narrow context every user action takes instead of the
composition root.  :class:`bot.runtime.app.App` satisfies it (built lazily from the settings); a
test may pass anything else that does.  Services, chat commands, delivery and CLI commands
annotate their ``app`` parameter with :class:`ServiceContext`, never with ``App``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.analysis.korean import Analyser
    from bot.analysis.pipeline import Pipeline
    from bot.config.settings import Settings
    from bot.config.topics import TopicSet
    from bot.core.clock import Clock
    from bot.services.topics import Catalog
    from bot.store import Store


class ServiceContext(Protocol):
    """The parts services read: settings, the clock, the store, the topics, the analyser, and
    what is built from them (the topic catalog users may name, the analysis pipeline)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def store(self) -> Store: ...

    @property
    def topics(self) -> TopicSet: ...

    @property
    def analyser(self) -> Analyser: ...

    @property
    def catalog(self) -> Catalog: ...

    @property
    def pipeline(self) -> Pipeline: ...

    def loaded(self, part: str) -> bool:
        """Whether ``part`` (``"analyser"``, ``"pipeline"``, ``"store"``) is built already, so
        a quick command can skip what would load the Korean model."""
        ...
