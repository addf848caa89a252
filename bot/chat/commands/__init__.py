"""The platform-neutral commands of ``/news`` (see :mod:`bot.chat.commands.core`).

Importing the package registers every sub-command, in the order ``/news help`` lists them.
"""

from bot.chat.commands import (  # noqa: F401  (registers)
    articles,
    feeds,
    help,
    sources,
    subscriptions,
    trends,
    watches,
)
from bot.chat.commands.core import COMMANDS, Commands, Context

__all__ = ["COMMANDS", "Commands", "Context"]
