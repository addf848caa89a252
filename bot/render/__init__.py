"""Renderers of :class:`bot.reply.Reply`: plain text (console), rich (terminal).  The chat
renderers live beside their adapters in :mod:`bot.chat`."""
