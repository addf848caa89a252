"""Settings as ``newsbot config`` shows them: each value the way it was set (``6h``, not
``21600.0``), admins "(everyone)" when unset, secrets redacted, a SQLite URL with the absolute
path it resolves to; in JSON, numbers as numbers, lists as lists and unset values as null."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING, Any

from bot.config.paths import sqlite_path
from bot.core.redact import redact_url

if TYPE_CHECKING:
    from bot.config.settings import Settings, Spec


def shown_rows(settings: Settings) -> list[tuple[str, str, str]]:
    """(variable, shown value, where it came from), one per setting."""
    from bot.config.settings import SPECS

    rows = []
    for spec in SPECS:
        value = getattr(settings, spec.attr)
        if value is None:
            shown = "(not set)"
        elif spec.secret:
            shown = "<redacted>"
        elif spec.env == "NEWSBOT_DATABASE_URL":
            shown = redact_url(str(value))
            path = sqlite_path(str(value))
            if path is not None and str(value) != f"sqlite:///{path}":
                shown = f"{shown} ({path})"
        elif spec.attr == "admins" and not value:
            shown = "(everyone)"
        elif spec.attr == "allow_private_feeds" and not value:
            shown = "0 (off)"
        else:
            shown = as_set(settings, spec, value)
        rows.append((spec.env, shown, settings.sources.get(spec.attr, "default")))
    return rows


def shown_json(settings: Settings) -> dict[str, Any]:
    """{variable: value}: typed, durations as set (``"6h"``), unset as None, secrets
    ``"<redacted>"``, a SQLite URL with its absolute path."""
    from bot.config.settings import SPECS

    shown: dict[str, Any] = {}
    for spec in SPECS:
        value = getattr(settings, spec.attr)
        if value is None:
            shown[spec.env] = None
        elif spec.secret:
            shown[spec.env] = "<redacted>"
        elif spec.env == "NEWSBOT_DATABASE_URL":
            path = sqlite_path(str(value))
            shown[spec.env] = f"sqlite:///{path}" if path else redact_url(str(value))
        elif isinstance(value, bool | int | tuple):
            shown[spec.env] = list(value) if isinstance(value, tuple) else value
        else:
            shown[spec.env] = as_set(settings, spec, value)
    return shown


def as_set(settings: Settings, spec: Spec, value: Any) -> str:
    """The text the value was given as, while it still means the value; else a fresh one."""
    raw = settings.given.get(spec.attr)
    if raw is not None:
        try:
            if spec.parse(raw) == value:
                return raw
        except ValueError:
            pass
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):  # every float setting is a duration
        return format_duration(value)
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def format_duration(seconds: float) -> str:
    """900.0 -> ``15m``: the largest unit that divides it (``90m``, ``1d``, ``2.5s``)."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size and float(seconds / size).is_integer():
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
