"""Replies and texts: the platform-neutral :class:`~bot.present.reply.Reply`, what each
service's result looks like, messages in both languages (:mod:`bot.present.i18n`), the words of a
``UserError``, terminal output and the trend chart.

May import: ``core``, ``config``, ``store``, ``ingest``, ``analysis``, ``services``.
"""
