"""Chat: the platform-neutral ``/news`` commands (:mod:`bot.chat.commands`), the console, and
the Slack and Discord adapters and posters, which translate between a platform and the commands
core and decide nothing (:mod:`bot.chat.posters` builds a platform's poster).

May import: ``core``, ``config``, ``store``, ``ingest``, ``analysis``, ``services``, ``present``.
"""
