"""``sources add google|naver QUERY | list | remove ID``: keyword sources (Google News, Naver).

The rules are :mod:`bot.services.sources` (the same as ``/news sources``).  Bad input (an
unknown kind, an empty query, a language other than ko/en) is one line on stderr and exit status
2, with nothing changed; an unknown id is exit status 1.  Sources are polled by ``newsbot poll``
with the feeds; ``feeds enable ID`` resumes a paused one.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from bot.cli.common import add_list_remove, add_poll_options, out, print_json, say
from bot.cli.feeds import _feed_json, _local, _problem, _readers, _table, format_interval
from bot.services import sources
from bot.services.context import ServiceContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "sources", parents=[common], help="keyword sources: Google News and Naver news search"
    )
    ssub = p.add_subparsers(dest="sources_command", required=True, metavar="ACTION")

    a = ssub.add_parser("add", parents=[common], help="follow a query on Google News or Naver")
    a.add_argument("kind", metavar="google|naver", help="the search to follow")
    a.add_argument("query", nargs="+", metavar="QUERY", help='what to search for ("소버린 AI")')
    a.add_argument("--lang", metavar="ko|en", help="Google News: ko (default) or en")
    add_poll_options(a, "the name listings show")
    a.set_defaults(func=cmd_add)

    list_help = "the sources, their polls and the quota"
    add_list_remove(ssub, common, "source", list_help, (cmd_list, cmd_remove))


def cmd_add(app: ServiceContext, args: argparse.Namespace) -> int:
    change = sources.add_source(
        app,
        args.kind,
        " ".join(args.query),
        lang=args.lang,
        interval=args.interval,
        name=args.name,
    )
    feed = change.feed
    if change.created:
        every = say("cli.every", interval=format_interval(feed.interval_s))
        line = say("cli.source_added", id=feed.id, label=feed.label, every=every)
    else:
        line = say("cli.source_present", id=feed.id, label=feed.label)
    out.print(line, highlight=False, markup=False)
    if change.needs_keys:
        out.print(say("cli.source_needs_keys"), highlight=False, markup=False)
    return 0


def _source_json(f: Any) -> dict[str, Any]:
    return {**_feed_json(f), "kind": f.kind, "query": f.query, "lang": f.lang, "label": f.label}


def cmd_list(app: ServiceContext, args: argparse.Namespace) -> int:
    listing = sources.list_sources(app)
    quota = {
        "calls_today": listing.naver_calls_today,
        "daily_quota": listing.naver_quota,
        "share": round(listing.naver_share, 4),
    }
    if args.format == "json":
        print_json({"sources": [_source_json(f) for f in listing.sources], "naver_quota": quota})
        return 0
    if not listing.sources:
        out.print(say("cli.no_sources"), highlight=False, markup=False)
    else:
        tz = app.settings.timezone
        table = _table("cli.sources.columns", (0, 6, 7))
        for f in listing.sources:
            problem = _problem(f, tz, "cli.paused_at")
            table.add_row(
                str(f.id),
                Text(f.label),
                Text(_readers(f)),
                format_interval(f.interval_s),
                say(f"health.{f.health}"),
                _local(f.last_polled_at, tz),
                str(f.last_new_items),
                str(f.consecutive_errors),
                Text(problem),
            )
        wide = out if out.is_terminal else Console(file=sys.stdout, width=240, highlight=False)
        wide.print(table)
    used, limit = f"{listing.naver_calls_today:,}", f"{listing.naver_quota:,}"
    out.print(say("sources.quota", used=used, quota=limit, share=f"{listing.naver_share:.1%}"))
    return 0


def cmd_remove(app: ServiceContext, args: argparse.Namespace) -> int:
    feed = sources.remove_source(app, args.source_id)
    line = say("cli.source_removed", id=feed.id, label=feed.label)
    out.print(line, highlight=False, markup=False)
    return 0
