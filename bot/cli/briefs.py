"""``eval-briefs``: ROUGE-1 recall of the story briefs against labelled summaries, lead-3 beside
it (the rule is :mod:`bot.analysis.briefs`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from bot.cli.common import add_labelled_command, out, print_json
from bot.services import briefs
from bot.services.context import ServiceContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = add_labelled_command(
        sub,
        common,
        "eval-briefs",
        help="ROUGE-1 recall of the story briefs against labelled summaries, and lead-3's",
        labels=("BRIEFS.jsonl", "JSON Lines of stories with their reference briefs"),
    )
    p.set_defaults(func=cmd_eval_briefs)


def cmd_eval_briefs(app: ServiceContext, args: argparse.Namespace) -> int:
    report = briefs.eval_briefs(app, Path(args.labels))
    if args.format == "json":
        print_json(report)
        return 0
    out.print(f"{report['n']} stories, {report['ms_per_story']} ms per brief")
    table = Table()
    for col in ("summary", "ROUGE-1 recall"):
        table.add_column(col)
    table.add_row("brief (세 줄 요약)", f"{report['rouge1_recall']:.3f}")
    table.add_row("lead-3 (baseline)", f"{report['lead3_rouge1_recall']:.3f}")
    out.print(table)
    return 0
