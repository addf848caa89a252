"""``trend``: the chart of stories a day per topic, written as a PNG (``-o``), with its figures."""

from __future__ import annotations

import argparse

from bot.cli.common import UsageError, add_format, err, out, print_json, say, write_output
from bot.present.trends import trend_image, trend_text
from bot.services import trends, watches
from bot.services.context import ServiceContext
from bot.services.topics import shown_id


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "trend",
        parents=[common],
        help="a PNG chart of stories a day per topic (stories, not articles)",
    )
    p.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="T",
        help="topic or watch, or the start of one name (gpu = gpu_deal); repeat for several",
    )
    p.add_argument(
        "--since",
        default=trends.DEFAULT_PERIOD,
        help="30d, 90d, 2025-10-01 or all (from the first story; default 30d)",
    )
    p.add_argument("-o", "--output", default="trend.png", metavar="FILE", help="the PNG to write")
    add_format(p)
    p.set_defaults(func=cmd_trend, reads=True)


def cmd_trend(app: ServiceContext, args: argparse.Namespace) -> int:
    lang = app.settings.language
    if args.output == "-" and args.format == "json":
        raise UsageError("cli.two_stdouts", option="trend")
    topic_ids = watches.catalog(app, watches.CONSOLE).resolve_all(args.topic, option="--topic")
    result = trends.trend(app, topic_ids, period=args.since, lang=lang)
    path = write_output(args.output, trend_image(result, lang).data)
    if args.format == "json":
        shown = watches.topic_set(app, watches.CONSOLE).topics
        names = {t.id: shown_id(t) for t in shown}  # a watch as watch:<name>
        print_json(
            {
                "file": path,
                "since": result.since.isoformat(),
                "until": result.until.isoformat(),
                "stories": result.stories,
                "topics": [
                    {
                        "topic": names.get(s.topic, s.topic),
                        "stories": s.stories,
                        "days": {
                            d.isoformat(): n for d, n in zip(result.days, s.counts, strict=True)
                        },
                    }
                    for s in result.series
                ],
                "outlets": [{"source": name, "stories": n} for name, n in result.outlets],
                "undated": result.undated,
                "peak": (
                    {
                        "day": result.peak.day.isoformat(),
                        "stories": result.peak.stories,
                        "title": result.peak.title,
                    }
                    if result.peak
                    else None
                ),
            }
        )
        return 0
    if args.output == "-":  # the PNG is stdout: the figures go to stderr
        err.print(trend_text(result, lang), markup=False)
        return 0
    out.print(trend_text(result, lang))
    out.print(say("cli.wrote", path=path))
    return 0
