"""Leaves every stage shares: the clock, duration and period grammars, command words, Korean
particles, Unicode hygiene, HTTP header values, redaction, working days and the Prometheus
metrics.

May import: nothing of ``bot`` (the standard library and third-party packages only).
"""
