"""``feeds add | list | remove | enable | import | export`` and ``poll``.

Bad input (a URL that is not http(s), an interval that is not a duration between 1 minute and
7 days, an unreadable OPML file) is one line on stderr and exit status 2, with nothing changed.
An unknown feed id is exit status 1.  ``poll`` exits 0 when it ran, even if some feeds failed:
their failures are recorded against the feeds, shown one warning line each, and in ``feeds list``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli.common import UsageError, err, out, print_json, progress_bar
from bot.config.settings import parse_duration
from bot.ingest.opml import OpmlError, export_opml, parse_opml
from bot.ingest.urls import host_allowed, is_blocked_ip, parse_host_ip
from bot.runtime.app import App
from bot.store import Feed

MIN_INTERVAL = 60
MAX_INTERVAL = 7 * 86400
MAX_URL = 2048
MAX_NAME = 300


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("feeds", parents=[common], help="manage the RSS/Atom feeds")
    fsub = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")

    a = fsub.add_parser("add", parents=[common], help="add a feed")
    a.add_argument("url", metavar="URL")
    a.add_argument("--name", metavar="N", help="the name shown as the items' source")
    a.add_argument("--interval", metavar="DURATION", help="poll interval, e.g. 15m (default 15m)")
    a.set_defaults(func=cmd_add)

    a = fsub.add_parser("list", parents=[common], help="the feeds and their health")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a.set_defaults(func=cmd_list)

    a = fsub.add_parser("remove", parents=[common], help="remove a feed (its items are kept)")
    a.add_argument("feed_id", metavar="ID")
    a.set_defaults(func=cmd_remove)

    a = fsub.add_parser("enable", parents=[common], help="re-enable a disabled feed")
    a.add_argument("feed_id", metavar="ID")
    a.set_defaults(func=cmd_enable)

    a = fsub.add_parser("import", parents=[common], help="add the feeds an OPML file lists")
    a.add_argument("opml", metavar="OPML")
    a.set_defaults(func=cmd_import)

    a = fsub.add_parser("export", parents=[common], help="the feeds as OPML (stdout or -o FILE)")
    a.add_argument("-o", "--output", metavar="FILE")
    a.set_defaults(func=cmd_export)

    p = sub.add_parser("poll", parents=[common], help="fetch the feeds that are due, once")
    p.add_argument("--all", action="store_true", help="every enabled feed, due or not")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_poll)


# --- argument checks --------------------------------------------------------------------------


def feed_url(raw: str, allow_private: bool | tuple[str, ...]) -> str:
    """A feed URL we can poll, stripped; raises UsageError saying what is wrong."""
    url = raw.strip().strip("<>")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError as exc:
        raise UsageError(f"invalid URL {raw!r}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"expected an http:// or https:// URL, got {raw!r}")
    if len(url) > MAX_URL or any(ch.isspace() for ch in url):
        raise UsageError(f"invalid URL {raw[:80]!r}: too long or contains spaces")
    host = parts.hostname
    literal = parse_host_ip(host)
    private = host.rstrip(".").lower() == "localhost" or (
        literal is not None and is_blocked_ip(literal)
    )
    if private and not host_allowed(host, allow_private):
        raise UsageError(f"{host}: private address; allow with NEWSBOT_ALLOW_PRIVATE_FEEDS")
    return url


def interval_arg(raw: str | None, default: float) -> int:
    if raw is None:
        return int(default)
    try:
        seconds = parse_duration(raw)
    except ValueError:
        seconds = -1
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise UsageError(f"--interval: expected a duration from 1m to 7d such as 15m, got {raw!r}")
    return int(seconds)


def feed_id_arg(raw: str) -> int:
    text = raw.strip().lstrip("#")
    if not text.isdigit():
        raise UsageError(f"expected a feed id such as 3, got {raw!r}")
    return int(text)


def format_interval(seconds: float) -> str:
    s = int(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if s >= size:
            parts.append(f"{s // size}{unit}")
            s %= size
    return "".join(parts) or "0s"


def _local(when: datetime | None, tz: str) -> str:
    return when.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if when else "-"


# --- feeds ------------------------------------------------------------------------------------


def cmd_add(app: App, args: argparse.Namespace) -> int:
    url = feed_url(args.url, app.settings.allow_private_feeds)
    interval = interval_arg(args.interval, app.settings.feed_interval)
    name = " ".join((args.name or "").split())[:MAX_NAME] or None
    feed, created = app.store.add_feed(url, name, interval)
    if created:
        out.print(f"added feed #{feed.id}: {feed.url} (every {format_interval(interval)})")
        return 0
    new_name = name if name is not None and name != feed.name else None
    new_interval = interval if args.interval is not None and interval != feed.interval_s else None
    if new_name is not None or new_interval is not None:
        app.store.update_feed(feed.id, name=new_name, interval_s=new_interval)
        what = " and ".join(
            w for w, v in (("name", new_name), ("interval", new_interval)) if v is not None
        )
        out.print(f"already present as feed #{feed.id}: {feed.url} ({what} updated)")
    else:
        out.print(f"already present as feed #{feed.id}: {feed.url}")
    return 0


def _feed_json(f: Feed) -> dict[str, Any]:
    def iso(d: datetime | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "id": f.id,
        "name": f.name,
        "url": f.url,
        "interval_s": f.interval_s,
        "health": f.health,
        "next_due_at": iso(f.next_due_at),
        "last_polled_at": iso(f.last_polled_at),
        "last_ok_at": iso(f.last_ok_at),
        "last_new_items": f.last_new_items,
        "consecutive_errors": f.consecutive_errors,
        "last_error": f.last_error,
        "disabled": f.disabled,
        "disabled_reason": f.disabled_reason,
        "disabled_at": iso(f.disabled_at),
    }


_HEALTH_STYLE = {"ok": "green", "new": "cyan", "failing": "yellow", "disabled": "red"}


def cmd_list(app: App, args: argparse.Namespace) -> int:
    feeds = app.store.list_feeds()
    if args.format == "json":
        print_json({"feeds": [_feed_json(f) for f in feeds]})
        return 0
    if not feeds:
        out.print("no feeds yet; add one with: newsbot feeds add URL")
        return 0
    tz = app.settings.timezone
    table = Table(show_lines=False)
    for col in ("id", "name", "URL", "every", "health", "last ok", "errors", "problem"):
        table.add_column(col, justify="right" if col in ("id", "errors") else "left")
    for f in feeds:
        if f.disabled:
            problem = f"disabled {_local(f.disabled_at, tz)}: {f.disabled_reason or ''}"
        elif f.consecutive_errors:
            problem = f.last_error or ""
        else:
            problem = f"warning: {f.last_error}" if f.last_error else ""
        style = _HEALTH_STYLE.get(f.health, "")
        table.add_row(
            str(f.id),
            Text(f.name or ""),
            Text(f.url),
            format_interval(f.interval_s),
            f"[{style}]{f.health}[/]" if style else f.health,
            _local(f.last_ok_at, tz),
            str(f.consecutive_errors),
            Text(problem),
            end_section=False,
        )
    # A terminal gets its own width; a pipe gets whole lines (grep-able).
    wide = out if out.is_terminal else Console(file=sys.stdout, width=240, highlight=False)
    wide.print(table)
    return 0


def cmd_remove(app: App, args: argparse.Namespace) -> int:
    feed_id = feed_id_arg(args.feed_id)
    feed = app.store.get_feed(feed_id)
    if feed is None or not app.store.remove_feed(feed_id):
        err.print(f"error: no feed #{feed_id}", highlight=False, markup=False)
        return 1
    out.print(f"removed feed #{feed_id}: {feed.url} (its stored items are kept)")
    return 0


def cmd_enable(app: App, args: argparse.Namespace) -> int:
    feed_id = feed_id_arg(args.feed_id)
    feed = app.store.enable_feed(feed_id)
    if feed is None:
        err.print(f"error: no feed #{feed_id}", highlight=False, markup=False)
        return 1
    out.print(f"feed #{feed_id} enabled: {feed.url} (due now)")
    return 0


def cmd_import(app: App, args: argparse.Namespace) -> int:
    path = Path(args.opml)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, expected an OPML file") from None
    try:
        listed = parse_opml(data)
    except OpmlError as exc:
        raise UsageError(f"{path}: {exc}") from None
    checked: list[tuple[str, str | None]] = []
    skipped = 0
    for url, name in listed:
        try:
            checked.append((feed_url(url, app.settings.allow_private_feeds), name))
        except UsageError as exc:
            skipped += 1
            err.print(f"warning: skipped {url[:120]}: {exc}", markup=False, soft_wrap=True)
    interval = int(app.settings.feed_interval)
    added = present = 0
    for url, name in checked:
        clean = " ".join((name or "").split())[:MAX_NAME] or None
        _feed, created = app.store.add_feed(url, clean, interval)
        added += created
        present += not created
    extra = f", {skipped} skipped" if skipped else ""
    out.print(
        f"{path}: {len(listed)} feeds listed: {added} added, {present} already present{extra}"
    )
    return 0


def cmd_export(app: App, args: argparse.Namespace) -> int:
    feeds = app.store.list_feeds()
    data = export_opml([(f.url, f.name) for f in feeds], app.clock.now())
    if not args.output:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return 0
    target = Path(args.output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"-o: no such directory: {folder}")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)  # whole file or the old one, never half
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    out.print(f"exported {len(feeds)} feeds to {target}")
    return 0


# --- poll -------------------------------------------------------------------------------------


def cmd_poll(app: App, args: argparse.Namespace) -> int:
    from bot.ingest.poller import Poller

    now = app.clock.now()
    if not app.store.due_feeds(now, everything=args.all):
        return _nothing_due(app, args)
    watcher = Poller(app.store, app.pipeline, app.settings, log_failures=False)
    with progress_bar("polling feeds", enabled=args.format == "text") as progress:
        report = asyncio.run(watcher.poll(everything=args.all, progress=progress, now=now))
    if args.format == "json":
        print_json(report.as_json())
        return 0
    for o in report.outcomes:
        if not o.ok:
            err.print(
                f"warning: feed #{o.feed_id} {o.label}: failed: {o.error}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
            if o.disabled_now:
                err.print(
                    f"warning: feed #{o.feed_id} {o.label}: disabled after "
                    f"{o.consecutive_errors} consecutive failures "
                    f"(newsbot feeds enable {o.feed_id} to retry)",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
        elif o.warning:
            err.print(
                f"warning: feed #{o.feed_id} {o.label}: {o.warning}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    out.print(report.summary())
    return 0


def _nothing_due(app: App, args: argparse.Namespace) -> int:
    feeds = app.store.list_feeds()
    enabled = [f for f in feeds if not f.disabled]
    if args.format == "json":
        print_json({"feeds_polled": 0, "items_ingested": 0, "feed_errors": 0, "feeds": []})
    elif not feeds:
        out.print("no feeds to poll; add one with: newsbot feeds add URL")
    elif not enabled:
        out.print(f"no feeds to poll: all {len(feeds)} are disabled (newsbot feeds list)")
    else:
        when = _local(app.store.next_due(), app.settings.timezone)
        out.print(f"no feeds due; the next is due at {when} (--all polls every feed now)")
    return 0
