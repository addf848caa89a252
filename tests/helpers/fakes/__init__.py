"""Loopback fakes of the chat platforms' APIs (see each module's docstring)."""
