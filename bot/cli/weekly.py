"""``newsbot digest --weekly``: the weekly report a channel subscribed ``weekly`` would get now,
to see before subscribing one (the report of :mod:`bot.services.weekly`, as the planner sends)."""

from __future__ import annotations

import argparse

from bot.cli.common import UsageError, err, show, write_output
from bot.present.weekly import weekly_reply
from bot.services import articles, watches, weekly
from bot.services.context import ServiceContext
from bot.services.topics import named


def digest_weekly(app: ServiceContext, args: argparse.Namespace) -> int:
    """``digest --weekly``: the weekly report a channel would get now (bot.services.weekly)."""
    if args.since is not None:
        raise UsageError("digest: --weekly always covers the last 7 days; leave out --since")
    if args.post:
        raise UsageError(
            "digest: --weekly is a preview; subscribe a channel (/news subscribe TOPIC weekly) "
            "to have it posted"
        )
    topic_ids = watches.catalog(app, watches.CONSOLE).resolve_all(args.topic, option="--topic")
    articles.catch_up(app)
    lang = app.settings.language
    report = weekly.preview(app, topic_ids, lang=lang)
    reply = weekly_reply(report, lang)
    if args.output and reply.image is not None:
        where = write_output(args.output, reply.image.data)
        err.print(f"trend picture written to {where}", highlight=False)
    shown = watches.topic_set(app, watches.CONSOLE)
    show(
        args.format,
        lambda: named(report.digest.as_json(), shown),
        lambda: reply,
    )
    return 0
