"""``demo``, ``ingest``, ``digest``, ``search``, ``why``, ``eval``, ``topics``."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.analysis.evaluate import evaluate, load_examples
from bot.cli.common import UsageError, err, out, print_json, progress_bar, since_arg
from bot.ingest.seeds import find_seed_files, read_seeds
from bot.present.reply import digest_reply, search_reply, topics_reply, why_reply
from bot.present.terminal import print_reply
from bot.runtime.app import App
from bot.services.digests import build_digest
from bot.services.search import search
from bot.store import Window

DEMO_DB = "var/newsbot.db"
SOURCE_ROOT = Path(__file__).resolve().parents[2]  # the checkout, when run from one


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="fresh embedded DB, ingest seeds/, match, print the digest"
    )
    p.set_defaults(func=cmd_demo, default_db=f"sqlite:///{DEMO_DB}")

    p = sub.add_parser(
        "ingest", parents=[common], help="ingest seed files or folders (.txt .html .md)"
    )
    p.add_argument("paths", nargs="*", default=["seeds"], metavar="PATH")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("digest", parents=[common], help="the digest of matched items")
    p.add_argument("--topic", action="append", default=[], metavar="T")
    p.add_argument("--since", default="24h", help="24h, 7d, 2025-10-01 or all (default 24h)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--post",
        metavar="PLATFORM:CHANNEL",
        help="post the digest to slack:CHANNEL or discord:CHANNEL_ID",
    )
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser("search", parents=[common], help="full-text search, Korean-aware")
    p.add_argument("query", nargs="+")
    p.add_argument("--topic", action="append", default=[], metavar="T")
    p.add_argument("--since", default="all")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("why", parents=[common], help="why an item matched")
    p.add_argument("article_id", metavar="ARTICLE_ID")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_why)

    p = sub.add_parser(
        "eval", parents=[common], help="precision/recall/F1 against labelled examples"
    )
    p.add_argument("labels", metavar="LABELS.jsonl")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("topics", parents=[common], help="list the topics")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_topics)


def _check_topics(app: App, wanted: list[str]) -> None:
    for t in wanted:
        if app.topics.get(t) is None:
            raise UsageError(f"--topic: unknown topic {t!r}; topics: {', '.join(app.topics.ids())}")


def ingest_paths(app: App, paths: list[str]) -> tuple[int, int, list[tuple[str, str]]]:
    """(new articles, files read, skipped files) — shared by `ingest` and `demo`."""
    scan = find_seed_files(paths)
    drafts = list(read_seeds(scan))
    for shown, reason in scan.skipped:
        err.print(f"[yellow]warning:[/] skipped {shown}: {reason}", markup=True, highlight=False)
    with progress_bar("analysing", enabled=len(drafts) > 20) as progress:
        new_ids = app.pipeline.ingest(drafts, progress=progress)
    return len(new_ids), len(drafts), scan.skipped


def cmd_ingest(app: App, args: argparse.Namespace) -> int:
    new, read, skipped = ingest_paths(app, args.paths)
    extra = f", {len(skipped)} skipped" if skipped else ""
    out.print(f"{new} new articles ({read} files read{extra})")
    return 0


def cmd_demo(app: App, args: argparse.Namespace) -> int:
    url = app.settings.database_url
    if not url.startswith("sqlite:///"):
        raise UsageError(
            "demo: --db must be a SQLite file URL (the demo starts from an empty file)"
        )
    path = url.split("///", 1)[-1]
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    seeds = "seeds" if Path("seeds").is_dir() else str(SOURCE_ROOT / "seeds")
    new, read, _ = ingest_paths(app, [seeds])
    err.print(f"demo: {new} articles from {seeds}/ into {path}", highlight=False)
    digest = build_digest(
        app.store.articles(app.store.matched_ids(Window())), app.topics, lang=app.settings.language
    )
    print_reply(out, digest_reply(digest, app.topics, app.settings.timezone, app.settings.language))
    return 0


def cmd_digest(app: App, args: argparse.Namespace) -> int:
    _check_topics(app, args.topic)
    since = since_arg(args.since, app.settings.timezone, app.clock.now())
    app.pipeline.process_pending()
    ids = app.store.matched_ids(Window(topics=args.topic, since=since))
    digest = build_digest(
        app.store.articles(ids),
        app.topics,
        wanted=args.topic,
        since=since,
        lang=app.settings.language,
    )
    if args.post:
        from bot.cli.post import post_digest

        return post_digest(app, args.post, digest)
    if args.format == "json":
        print_json(digest.as_json())
    else:
        print_reply(
            out, digest_reply(digest, app.topics, app.settings.timezone, app.settings.language)
        )
    return 0


def cmd_search(app: App, args: argparse.Namespace) -> int:
    _check_topics(app, args.topic)
    if args.limit < 1 or args.limit > 1000:
        raise UsageError("--limit: expected a number from 1 to 1000")
    since = since_arg(args.since, app.settings.timezone, app.clock.now())
    query = " ".join(args.query)
    app.pipeline.process_pending()
    result = search(
        app.store, app.analyser, query, topics=args.topic, since=since, limit=args.limit
    )
    if args.format == "json":
        print_json(result.as_json())
    else:
        print_reply(
            out,
            search_reply(
                query,
                result.total,
                result.items,
                app.topics,
                app.settings.timezone,
                app.settings.language,
            ),
        )
    return 0


def cmd_why(app: App, args: argparse.Namespace) -> int:
    app.pipeline.process_pending()
    article_id = app.store.resolve_article(args.article_id)
    items = app.store.articles([article_id]) if article_id is not None else []
    if not items:
        err.print(f"error: no article {args.article_id!r}", highlight=False)
        return 1
    if args.format == "json":
        print_json(items[0].as_json())
    else:
        print_reply(
            out, why_reply(items[0], app.topics, app.settings.timezone, app.settings.language)
        )
    return 0


def cmd_eval(app: App, args: argparse.Namespace) -> int:
    from bot.analysis.evaluate import LabelsError

    try:
        examples = load_examples(Path(args.labels))
    except LabelsError as exc:
        raise UsageError(str(exc)) from None
    report = evaluate(examples, app.topics, app.analyser)
    if args.format == "json":
        print_json(report)
        return 0
    from rich.table import Table

    table = Table(title=f"{report['n']} examples", show_lines=False)
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
    wrong = [i for i in report["items"] if sorted(i["labels"]) != sorted(i["predicted"])]
    for item in wrong:
        out.print(
            f"  {item['id']}: labels {item['labels']} predicted {item['predicted']}",
            highlight=False,
        )
    return 0


def cmd_topics(app: App, args: argparse.Namespace) -> int:
    if args.format == "json":
        print_json(
            {
                "topics": [
                    {
                        "id": t.id,
                        "name": t.name,
                        "name_en": t.name_en,
                        "description": t.description,
                        "threshold": t.threshold,
                    }
                    for t in app.topics.topics
                ]
            }
        )
    else:
        print_reply(out, topics_reply(app.topics, app.settings.language))
    return 0
