"""newsbot: Korean-aware news monitoring for Slack and Discord."""

__version__ = "0.1.0"
