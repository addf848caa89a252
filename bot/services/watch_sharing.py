"""Sharing watches as TOML: ``newsbot watches export`` and ``import``.

The file holds ``[watches.<name>]`` tables with ``terms``, ``all``, ``exclude``, ``min_score`` and
``sources``.  An import checks every watch before it saves any, and saves each the way
:func:`bot.services.watches.save` does (an import is itself the confirmation)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.analysis import watches as rule
from bot.services.errors import UserError
from bot.services.feeds import require_admin
from bot.services.watches import (
    MAX_WATCHES,
    Saved,
    Workspace,
    check_name,
    list_watches,
    parse_spec,
    preview,
    reapply,
    spec_of,
    workspace_tenant,
)

if TYPE_CHECKING:
    from bot.services.context import ServiceContext


def export_toml(app: ServiceContext, workspace: Workspace) -> str:
    """The workspace's watches as TOML (``[watches.<name>]`` tables), for ``import``."""
    lines = ["# newsbot watches: newsbot watches import FILE", ""]
    for watch in list_watches(app, workspace):
        spec = spec_of(watch)
        lines.append(f'[watches."{watch.name}"]')
        lines.append(f"terms = {_toml_list(spec.terms)}")
        if spec.required:
            lines.append(f"all = {_toml_list(spec.required)}")
        if spec.exclude:
            lines.append(f"exclude = {_toml_list(spec.exclude)}")
        if spec.min_score is not None:
            lines.append(f"min_score = {spec.min_score:g}")
        if spec.sources:
            lines.append(f"sources = {_toml_list(spec.sources)}")
        lines.append("")
    return "\n".join(lines)


def import_toml(app: ServiceContext, workspace: Workspace, text: str, *, user: str) -> list[Saved]:
    """Add or replace the watches a TOML export lists; every one is checked before any is
    saved."""
    require_admin(app.settings, user)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError("watch.bad_toml", reason=str(exc)) from None
    table = data.get("watches")
    if not isinstance(table, dict) or not table:
        raise UserError("watch.toml_empty")
    specs: dict[str, rule.WatchSpec] = {}
    for name, raw in table.items():
        if not isinstance(raw, dict):
            raise UserError("watch.toml_not_table", name=name)
        checked = check_name(app, str(name))
        if checked in specs:
            raise UserError("watch.toml_twice", name=checked)
        specs[checked] = parse_spec(_words(raw, str(name)))  # every one valid before any is saved
    existing = {w.name for w in list_watches(app, workspace)}
    new = set(specs) - existing
    if len(existing) + len(new) > MAX_WATCHES:
        raise UserError(
            "watch.import_too_many", new=len(new), existing=len(existing), max=MAX_WATCHES
        )
    stored = app.store.save_watches(  # one transaction: every watch of the file, or none
        workspace.platform, workspace.id, [(n, sp.as_dict()) for n, sp in specs.items()], user=user
    )
    saved = []
    for watch in stored:
        before, after = reapply(app, watch)
        shown = preview(
            app,
            watch.name,
            specs[watch.name],
            topic=watch.topic,
            tenant=workspace_tenant(workspace),
        )
        saved.append(Saved(watch, watch.name not in existing, before, after, shown))
    return saved


def _words(raw: dict[str, Any], name: str) -> list[str]:
    def strings(key: str) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError("watch.toml_not_list", name=name, field=key)
        return value

    words = strings("terms") + [f"+{t}" for t in strings("all")]
    words += [f"-{t}" for t in strings("exclude")]
    words += [f"source:{s}" for s in strings("sources")]
    if raw.get("min_score") is not None:
        words.append(f"min:{raw['min_score']}")
    return words


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(_toml_string(i) for i in items) + "]"


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and DEL (which JSON leaves) too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
