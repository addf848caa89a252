"""The composition root and the long-running process: :class:`bot.runtime.app.App` (which
satisfies :class:`bot.services.context.ServiceContext`), ``serve`` and its hardened HTTP listener.

May import: ``core``, ``config``, ``store``, ``ingest``, ``analysis``, ``services``, ``present``,
``chat``, ``delivery``.
"""
