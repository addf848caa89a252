"""``newsbot digest --weekly``: the weekly report a channel subscribed ``weekly`` would get now,
to see before subscribing one (the report of :mod:`bot.services.weekly`, as the planner sends)."""

from __future__ import annotations

import argparse

from bot.cli.common import UsageError, err, say, show, write_output
from bot.present.weekly import weekly_reply
from bot.services import articles, watches, weekly
from bot.services.context import ServiceContext
from bot.services.topics import named


def digest_weekly(app: ServiceContext, args: argparse.Namespace) -> int:
    """``digest --weekly``: the weekly report a channel would get now (bot.services.weekly)."""
    if args.since is not None:
        raise UsageError("cli.weekly_since", option="digest")
    if args.post:
        raise UsageError("cli.weekly_post", option="digest")
    topic_ids = watches.catalog(app, watches.CONSOLE).resolve_all(args.topic, option="--topic")
    articles.catch_up(app)
    lang = app.settings.language
    report = weekly.preview(app, topic_ids, lang=lang)
    reply = weekly_reply(report, lang)
    if args.output and reply.image is not None:
        where = write_output(args.output, reply.image.data)
        err.print(say("cli.picture_written", path=where), highlight=False)
    shown = watches.topic_set(app, watches.CONSOLE)
    show(
        args.format,
        lambda: named(report.digest.as_json(), shown),
        lambda: reply,
    )
    return 0
