"""``eval``, ``eval-clusters``, ``eval-briefs`` and ``clusters rebuild``: the matcher, the stories
and the story briefs (ROUGE-1 recall, lead-3 beside it; the rule is :mod:`bot.analysis.briefs`)
measured against a labelled set, and the stories of a database assigned again after an upgrade."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.analysis.evaluate import evaluate
from bot.cli.common import add_labelled_command, out, print_json, say
from bot.services import articles, briefs, periods
from bot.services import stories as story_service
from bot.services.context import ServiceContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = add_labelled_command(
        sub,
        common,
        "eval",
        help="precision/recall/F1 against labelled examples",
        labels=(
            "LABELS.jsonl|FOLDER",
            "JSON Lines with id, text, optional title and labels; or a folder of case files",
        ),
    )
    p.add_argument(
        "--baseline",
        choices=("keywords",),
        help="also score a keyword filter (one regex per topic) on the same file",
    )
    p.set_defaults(func=cmd_eval)

    p = add_labelled_command(
        sub,
        common,
        "eval-clusters",
        help="pairwise and B-cubed precision/recall/F1 of the stories against a labelled set",
        labels=("STORIES.jsonl", "JSON Lines with id, text and story (a label)"),
    )
    p.add_argument(
        "--minhash-only", action="store_true", help="the rewrites-only rule (the baseline)"
    )
    p.set_defaults(func=cmd_eval_clusters)

    p = add_labelled_command(
        sub,
        common,
        "eval-briefs",
        help="ROUGE-1 recall of the story briefs against labelled summaries, and lead-3's",
        labels=("BRIEFS.jsonl", "JSON Lines of stories with their reference briefs"),
    )
    p.set_defaults(func=cmd_eval_briefs)

    p = sub.add_parser("clusters", parents=[common], help="story chores")
    csub = p.add_subparsers(dest="clusters_command", required=True, metavar="rebuild")
    r = csub.add_parser("rebuild", parents=[common], help="assign the stories of a window again")
    r.add_argument("--since", default="30d", help="24h, 7d, 2025-10-01 or all (default 30d)")
    r.set_defaults(func=cmd_clusters_rebuild, reads=True)


def cmd_eval(app: ServiceContext, args: argparse.Namespace) -> int:
    from bot.analysis.evaluate import evaluate_keywords
    from bot.services.labelled import read_examples

    examples = read_examples(Path(args.labels))
    report = evaluate(examples, app.topics, app.analyser)
    baseline = evaluate_keywords(examples, app.topics) if args.baseline else None
    if args.format == "json":
        if baseline is not None:
            del baseline["items"]
            report["baseline"] = {"name": args.baseline, **baseline}
        print_json(report)
        return 0
    _print_eval_table(f"{report['n']} examples", report)
    if baseline is not None:
        _print_eval_table("baseline: keyword filter (one regex per topic)", baseline)
    wrong = [i for i in report["items"] if sorted(i["labels"]) != sorted(i["predicted"])]
    for item in wrong:
        out.print(
            f"  {item['id']}: labels {item['labels']} predicted {item['predicted']}",
            highlight=False,
        )
    return 0


def _print_eval_table(title: str, report: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in ("topic", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="right" if col != "topic" else "left")
    for topic, m in report["topics"].items():
        table.add_row(
            topic,
            f"{m['precision']:.3f}",
            f"{m['recall']:.3f}",
            f"{m['f1']:.3f}",
            str(m["tp"]),
            str(m["fp"]),
            str(m["fn"]),
        )
    table.add_row("macro F1", "", "", f"{report['macro_f1']:.3f}", "", "", "")
    out.print(table)


def cmd_eval_clusters(app: ServiceContext, args: argparse.Namespace) -> int:
    report = story_service.eval_clusters(app, Path(args.labels), minhash_only=args.minhash_only)
    if args.format == "json":
        print_json(report)
        return 0
    from rich.table import Table

    table = Table(
        title=f"{report['n']} articles, {report['stories']} stories "
        f"({report['predicted_stories']} found)",
        show_lines=False,
    )
    for col in ("measure", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "measure" else "right")
    for name in ("pairwise", "bcubed"):
        m = report[name]
        table.add_row(
            "B-cubed" if name == "bcubed" else name,
            f"{m['p']:.3f}",
            f"{m['r']:.3f}",
            f"{m['f1']:.3f}",
        )
    cross = report["cross_language"]
    if cross["pairs"]:  # same-story pairs in two languages: the share joined
        table.add_row(f"cross-language pairs ({cross['pairs']})", "", f"{cross['r']:.3f}", "")
    out.print(table)
    return 0


def cmd_eval_briefs(app: ServiceContext, args: argparse.Namespace) -> int:
    report = briefs.eval_briefs(app, Path(args.labels))
    if args.format == "json":
        print_json(report)
        return 0
    from rich.table import Table

    out.print(f"{report['n']} stories, {report['ms_per_story']} ms per brief")
    table = Table()
    for col in ("summary", "ROUGE-1 recall"):
        table.add_column(col)
    table.add_row("brief (세 줄 요약)", f"{report['rouge1_recall']:.3f}")
    table.add_row("lead-3 (baseline)", f"{report['lead3_rouge1_recall']:.3f}")
    out.print(table)
    return 0


def cmd_clusters_rebuild(app: ServiceContext, args: argparse.Namespace) -> int:
    since = periods.since(app, args.since, option="--since") or datetime(1970, 1, 1, tzinfo=UTC)
    articles.catch_up(app)
    count = story_service.rebuild(app, since)
    out.print(say("cli.rebuilt", count=count), highlight=False)
    briefed = briefs.fill(app, since)  # and their briefs made again (old reports analysed)
    out.print(say("cli.briefed", count=briefed), highlight=False)
    return 0
