"""``feeds add | list | remove | enable | import | export`` and ``poll``.

Bad input (a URL that is not http(s), an interval that is not a duration between 1 minute and
7 days, an unreadable OPML file) is one line on stderr and exit status 2, with nothing changed.
An unknown feed id is exit status 1.  ``poll`` exits 0 when it ran, even if some feeds failed:
their failures are recorded against the feeds, shown one warning line each, and in ``feeds list``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli.common import UsageError, out, print_json, progress_bar, warn, write_output
from bot.present.errors import error_text
from bot.present.feeds import found_text
from bot.services import feeds
from bot.services.context import ServiceContext
from bot.services.errors import UserError
from bot.store import Feed


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("feeds", parents=[common], help="manage the RSS/Atom feeds")
    fsub = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")

    a = fsub.add_parser("add", parents=[common], help="add a feed")
    a.add_argument("url", metavar="URL", help="the RSS or Atom feed's http(s) address")
    a.add_argument("--name", metavar="N", help="the name shown as the items' source")
    a.add_argument("--interval", metavar="DURATION", help="poll interval, e.g. 15m (default 15m)")
    a.add_argument(
        "--no-check",
        action="store_true",
        help="add it without fetching it once first (a feed that is down for now)",
    )
    a.set_defaults(func=cmd_add)

    a = fsub.add_parser("list", parents=[common], help="the feeds and their health")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a.set_defaults(func=cmd_list)

    a = fsub.add_parser("remove", parents=[common], help="remove a feed (its items are kept)")
    a.add_argument("feed_id", metavar="ID", help="the feed's id, as `feeds list` shows it")
    a.set_defaults(func=cmd_remove)

    a = fsub.add_parser(
        "share", parents=[common], help="let every workspace read a feed a workspace added"
    )
    a.add_argument("feed_id", metavar="ID", help="the feed's id, as `feeds list` shows it")
    a.set_defaults(func=cmd_share)

    a = fsub.add_parser(
        "unshare", parents=[common], help="a shared feed is read by its workspace only again"
    )
    a.add_argument("feed_id", metavar="ID", help="the feed's id, as `feeds list` shows it")
    a.set_defaults(func=cmd_unshare)

    a = fsub.add_parser("enable", parents=[common], help="re-enable a disabled feed")
    a.add_argument("feed_id", metavar="ID", help="the feed's id, as `feeds list` shows it")
    a.set_defaults(func=cmd_enable)

    a = fsub.add_parser("import", parents=[common], help="add the feeds an OPML file lists")
    a.add_argument("opml", metavar="OPML", help="an OPML file of feeds (from a feed reader)")
    a.set_defaults(func=cmd_import)

    a = fsub.add_parser("export", parents=[common], help="the feeds as OPML (stdout or -o FILE)")
    a.add_argument(
        "-o", "--output", metavar="FILE", help="write the OPML to FILE (default: stdout)"
    )
    a.set_defaults(func=cmd_export)

    p = sub.add_parser("poll", parents=[common], help="fetch the feeds that are due, once")
    p.add_argument("--all", action="store_true", help="every enabled feed, due or not")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_poll, reads=True)


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


def cmd_add(app: ServiceContext, args: argparse.Namespace) -> int:
    change = feeds.add_feed(
        app, args.url, name=args.name, interval=args.interval, check=not args.no_check
    )
    feed = change.feed
    if change.created:
        found = f": {found_text(change.probe, 'en')}" if change.probe else ""
        out.print(
            f"added feed #{feed.id}: {feed.shown_url} "
            f"(every {format_interval(feed.interval_s)}){found}",
            highlight=False,
            markup=False,
        )
    elif change.updated:
        what = " and ".join(change.updated)
        out.print(f"already present as feed #{feed.id}: {feed.shown_url} ({what} updated)")
    else:
        out.print(f"already present as feed #{feed.id}: {feed.shown_url}")
    return 0


def _feed_json(f: Feed) -> dict[str, Any]:
    def iso(d: datetime | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "id": f.id,
        "name": f.name,
        "url": f.shown_url,
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
        "owner": f.owner,
        "shared": f.shared,
    }


_HEALTH_STYLE = {"ok": "green", "new": "cyan", "failing": "yellow", "disabled": "red"}


def cmd_list(app: ServiceContext, args: argparse.Namespace) -> int:
    listed = feeds.list_feeds(app)
    if args.format == "json":
        print_json({"feeds": [_feed_json(f) for f in listed]})
        return 0
    if not listed:
        out.print("no feeds yet; add one with: newsbot feeds add URL")
        return 0
    tz = app.settings.timezone
    table = Table(show_lines=False)
    for col in ("id", "name", "URL", "read by", "every", "health", "last ok", "errors", "problem"):
        table.add_column(col, justify="right" if col in ("id", "errors") else "left")
    for f in listed:
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
            Text(f.shown_url),
            Text(_readers(f)),
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


def _readers(f: Feed) -> str:
    if f.owner is None:
        return "everyone"
    return f"everyone (shared by {f.owner})" if f.shared else f.owner


def cmd_share(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.share_feed(app, args.feed_id, True)
    out.print(f"feed #{feed.id} is read by every workspace: {feed.shown_url}")
    return 0


def cmd_unshare(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.share_feed(app, args.feed_id, False)
    who = feed.owner or "everyone (an operator's feed)"
    out.print(f"feed #{feed.id} is read by {who}: {feed.shown_url}")
    return 0


def cmd_remove(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.remove_feed(app, args.feed_id)
    out.print(f"removed feed #{feed.id}: {feed.shown_url} (its stored items are kept)")
    return 0


def cmd_enable(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.enable_feed(app, args.feed_id)
    out.print(f"feed #{feed.id} enabled: {feed.shown_url} (due now)")
    return 0


def cmd_import(app: ServiceContext, args: argparse.Namespace) -> int:
    path = Path(args.opml)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, expected an OPML file") from None
    try:
        report = feeds.import_opml(app, data)
    except UserError as exc:
        raise UsageError(f"{path}: {error_text(exc, 'en')}") from None
    for url, reason in report.skipped:
        warn(f"skipped {url}: {error_text(reason, 'en')}")
    extra = f", {len(report.skipped)} skipped" if report.skipped else ""
    found = report.sources_added + report.sources_present
    kept = (
        f"; {found} keyword sources: {report.sources_added} added, "
        f"{report.sources_present} already present"
        if found
        else ""
    )
    out.print(
        f"{path}: {report.listed} feeds listed: {report.added} added, "
        f"{report.present} already present{extra}{kept}"
    )
    return 0


def cmd_export(app: ServiceContext, args: argparse.Namespace) -> int:
    listed = feeds.list_feeds(app, with_sources=True)
    data = feeds.export_feeds(app, listed)
    if not args.output:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return 0
    target = write_output(args.output, data)
    if args.output != "-":
        out.print(f"exported {len(listed)} feeds to {target}")
    return 0


# --- poll -------------------------------------------------------------------------------------


def cmd_poll(app: ServiceContext, args: argparse.Namespace) -> int:
    from bot.ingest.poller import Poller

    now = app.clock.now()
    if not app.store.due_feeds(now, everything=args.all):
        return _nothing_due(app, args)
    watcher = Poller(app.store, app.settings, log_failures=False)
    with progress_bar("polling feeds", enabled=args.format == "text") as progress:
        report = asyncio.run(watcher.poll(everything=args.all, progress=progress, now=now))
    if report.items_ingested:  # poll, then process: the new items are analysed in one stream
        try:
            app.pipeline.process_pending()
        except Exception as exc:  # stored but not yet analysed: the next run analyses them
            warn(f"analysing the new items failed ({exc.__class__.__name__}); they are stored")
    # every feed polled failed: a script (cron, CI) must see it in the exit status
    status = 1 if report.outcomes and all(not o.ok for o in report.outcomes) else 0
    if args.format == "json":
        print_json(report.as_json())
        return status
    for o in report.outcomes:
        if not o.ok:
            warn(f"feed #{o.feed_id} {o.label}: failed: {o.error}")
            if o.disabled_now:
                warn(
                    f"feed #{o.feed_id} {o.label}: disabled after {o.consecutive_errors} "
                    f"consecutive failures (newsbot feeds enable {o.feed_id} to retry)"
                )
        elif o.warning:
            warn(f"feed #{o.feed_id} {o.label}: {o.warning}")
    out.print(report.summary())
    return status


def _nothing_due(app: ServiceContext, args: argparse.Namespace) -> int:
    listed = feeds.list_feeds(app, with_sources=True)
    enabled = [f for f in listed if not f.disabled]
    if args.format == "json":
        print_json({"feeds_polled": 0, "items_ingested": 0, "feed_errors": 0, "feeds": []})
    elif not listed:
        out.print("no feeds to poll; add one with: newsbot feeds add URL")
    elif not enabled:
        out.print(f"no feeds to poll: all {len(listed)} are disabled (newsbot feeds list)")
    else:
        when = _local(app.store.next_due(), app.settings.timezone)
        out.print(f"no feeds due; the next is due at {when} (--all polls every feed now)")
    return 0
