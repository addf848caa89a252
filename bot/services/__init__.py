"""One function per user action, called alike by the CLI, chat and the scheduler; each takes
the narrow :class:`bot.services.context.ServiceContext`, and raises
:class:`bot.services.errors.UserError` for what cannot be done.  Services return data; ``present``
words it.

May import: ``core``, ``config``, ``store``, ``ingest``, ``analysis``.
"""
