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

from bot.cli.common import (
    UsageError,
    add_format,
    add_list_remove,
    add_poll_options,
    language,
    out,
    print_json,
    progress_bar,
    say,
    warn,
    write_output,
)
from bot.present.errors import error_text
from bot.present.feeds import found_text
from bot.present.problems import fetch_reason
from bot.services import articles, feeds
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
    add_poll_options(a, "the name shown as the items' source")
    a.add_argument(
        "--no-check",
        action="store_true",
        help="add it without fetching it once first (a feed that is down for now)",
    )
    a.set_defaults(func=cmd_add)

    add_list_remove(fsub, common, "feed", "the feeds and their health", (cmd_list, cmd_remove))

    a = fsub.add_parser(
        "share", parents=[common], help="let every workspace read a feed a workspace added"
    )
    a.add_argument("feed_id", metavar="ID", help="the feed's id, as `feeds list` shows it")
    a.set_defaults(func=cmd_share, reads=True)  # a mistyped --db is refused, not created

    a = fsub.add_parser(
        "unshare", parents=[common], help="a shared feed is read by its workspace only again"
    )
    a.add_argument("feed_id", metavar="ID", help="the feed's id, as `feeds list` shows it")
    a.set_defaults(func=cmd_unshare, reads=True)

    a = fsub.add_parser("enable", parents=[common], help="re-enable a disabled feed")
    a.add_argument("feed_id", metavar="ID", help="the feed's id, as `feeds list` shows it")
    a.set_defaults(func=cmd_enable, reads=True)

    a = fsub.add_parser("import", parents=[common], help="add the feeds an OPML file lists")
    a.add_argument("opml", metavar="OPML", help="an OPML file of feeds (from a feed reader)")
    a.set_defaults(func=cmd_import)

    a = fsub.add_parser("export", parents=[common], help="the feeds as OPML (stdout or -o FILE)")
    a.add_argument(
        "-o", "--output", metavar="FILE", help="write the OPML to FILE (default: stdout)"
    )
    a.set_defaults(func=cmd_export, reads=True)

    p = sub.add_parser("poll", parents=[common], help="fetch the feeds that are due, once")
    p.add_argument("--all", action="store_true", help="every enabled feed, due or not")
    add_format(p)
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
        found = f": {found_text(change.probe, language())}" if change.probe else ""
        every = say("cli.every", interval=format_interval(feed.interval_s))
        line = say("cli.feed_added", id=feed.id, url=feed.shown_url, every=every, found=found)
    else:
        what = say("cli.and").join(change.updated)
        updated = say("cli.updated", what=what) if change.updated else ""
        line = say("cli.feed_present", id=feed.id, url=feed.shown_url, updated=updated)
    out.print(line, highlight=False, markup=False)
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
        out.print(say("cli.no_feeds"), highlight=False, markup=False)
        return 0
    tz = app.settings.timezone
    table = _table("cli.feeds.columns", (0, 7))
    for f in listed:
        problem = _problem(f, tz, "cli.disabled_at")
        style, health = _HEALTH_STYLE.get(f.health, ""), say(f"health.{f.health}")
        table.add_row(
            str(f.id),
            Text(f.name or ""),
            Text(f.shown_url),
            Text(_readers(f)),
            format_interval(f.interval_s),
            f"[{style}]{health}[/]" if style else health,
            _local(f.last_ok_at, tz),
            str(f.consecutive_errors),
            Text(problem),
            end_section=False,
        )
    # A terminal gets its own width; a pipe gets whole lines (grep-able).
    wide = out if out.is_terminal else Console(file=sys.stdout, width=240, highlight=False)
    wide.print(table)
    return 0


def _table(columns_key: str, right: tuple[int, ...]) -> Table:
    """A listing's table: the catalog's ``|``-separated column names, numbers at ``right``."""
    table = Table(show_lines=False)
    for n, col in enumerate(say(columns_key).split("|")):
        table.add_column(col, justify="right" if n in right else "left")
    return table


def _problem(f: Feed, tz: str, disabled_key: str) -> str:
    """A listing's problem cell: why it is off (``disabled_key``: disabled, or paused), its
    last error, or its last poll's warning."""
    if f.disabled:
        when = _local(f.disabled_at, tz)
        return say(disabled_key, when=when, reason=fetch_reason(f.disabled_reason, language()))
    if f.consecutive_errors:
        return fetch_reason(f.last_error, language())
    warning = fetch_reason(f.last_error, language())
    return say("cli.warning_cell", reason=warning) if warning else ""


def _readers(f: Feed) -> str:
    if f.owner is None:
        return say("cli.everyone")
    return say("cli.shared_by", owner=f.owner) if f.shared else f.owner


def cmd_share(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.share_feed(app, args.feed_id, True)
    out.print(say("cli.feed_shared", id=feed.id, url=feed.shown_url), markup=False)
    return 0


def cmd_unshare(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.share_feed(app, args.feed_id, False)
    who = feed.owner or say("cli.operators_feed")
    out.print(say("cli.feed_read_by", id=feed.id, who=who, url=feed.shown_url), markup=False)
    return 0


def cmd_remove(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.remove_feed(app, args.feed_id)
    out.print(say("cli.feed_removed", id=feed.id, url=feed.shown_url), markup=False)
    return 0


def cmd_enable(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = feeds.enable_feed(app, args.feed_id)
    out.print(say("cli.feed_enabled", id=feed.id, url=feed.shown_url), markup=False)
    return 0


def cmd_import(app: ServiceContext, args: argparse.Namespace) -> int:
    path = Path(args.opml)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError("stories.no_file", path=path) from None
    except IsADirectoryError:
        raise UsageError("cli.not_opml", path=path) from None
    try:
        report = feeds.import_opml(app, data)
    except UserError as exc:
        raise UsageError("cli.in_file", path=path, reason=error_text(exc, language())) from None
    for url, why in report.skipped:
        warn(say("cli.skipped", what=url, reason=error_text(why, language())))
    extra = say("cli.skipped_n", n=len(report.skipped)) if report.skipped else ""
    found = report.sources_added + report.sources_present
    added, present = report.sources_added, report.sources_present
    kept = say("cli.imported_sources", found=found, added=added, present=present) if found else ""
    line = say(
        "cli.imported",
        path=path,
        listed=report.listed,
        added=report.added,
        present=report.present,
        extra=extra,
        sources=kept,
    )
    out.print(line, highlight=False, markup=False)
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
        out.print(say("cli.exported", n=len(listed), path=target), markup=False)
    return 0


# --- poll -------------------------------------------------------------------------------------


def cmd_poll(app: ServiceContext, args: argparse.Namespace) -> int:
    from bot.ingest.poller import Poller

    now = app.clock.now()
    if not app.store.due_feeds(now, everything=args.all):
        return _nothing_due(app, args)
    watcher = Poller(app.store, app.settings, log_failures=False)
    with progress_bar(say("cli.polling"), enabled=args.format == "text") as progress:
        report = asyncio.run(watcher.poll(everything=args.all, progress=progress, now=now))
    if report.items_ingested:  # poll, then process: the new items are analysed in one stream
        try:
            articles.catch_up(app)
        except Exception as exc:  # stored but not yet analysed: the next run analyses them
            warn(say("cli.analysis_failed", error=exc.__class__.__name__))
    # every feed polled failed: a script (cron, CI) must see it in the exit status
    status = 1 if report.outcomes and all(not o.ok for o in report.outcomes) else 0
    if args.format == "json":
        print_json(report.as_json())
        return status
    for o in report.outcomes:
        if not o.ok:
            reason = fetch_reason(o.error, language())
            warn(say("cli.poll_failed", id=o.feed_id, label=o.label, reason=reason))
            if o.disabled_now:
                n = o.consecutive_errors
                warn(say("cli.poll_disabled", id=o.feed_id, label=o.label, n=n))
        elif o.warning:
            reason = fetch_reason(o.warning, language())
            warn(say("cli.poll_warning", id=o.feed_id, label=o.label, reason=reason))
    out.print(_summary(report), highlight=False, markup=False)
    return status


def _nothing_due(app: ServiceContext, args: argparse.Namespace) -> int:
    listed = feeds.list_feeds(app, with_sources=True)
    enabled = [f for f in listed if not f.disabled]
    if args.format == "json":
        print_json({"feeds_polled": 0, "items_ingested": 0, "feed_errors": 0, "feeds": []})
    elif not listed:
        out.print(say("cli.poll_no_feeds"), highlight=False, markup=False)
    elif not enabled:
        out.print(say("cli.poll_all_disabled", n=len(listed)), highlight=False, markup=False)
    else:
        when = _local(app.store.next_due(), app.settings.timezone)
        out.print(say("cli.poll_none_due", when=when), highlight=False, markup=False)
    return 0


def _summary(report: Any) -> str:
    """One line: feeds polled, new items, not modified, failed (a :class:`PollReport`)."""
    silent = say("cli.poll_silent", n=report.items_silent) if report.items_silent else ""
    return say(
        "cli.poll_summary",
        feeds=_counted("cli.feeds", report.feeds_polled),
        items=_counted("cli.items", report.items_ingested),
        silent=silent,
        not_modified=report.not_modified,
        failed=report.feed_errors,
        seconds=report.duration_s,
    )


def _counted(key: str, n: int) -> str:
    """``1 feed``, ``2 feeds`` (``피드 2개``): the catalog's ``key_1`` or ``key_n``."""
    return say(f"{key}_1" if n == 1 else f"{key}_n", n=n)
