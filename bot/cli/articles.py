"""``demo``, ``ingest``, ``digest``, ``search``, ``why``, ``stats``, ``topics``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.cli.common import (
    UsageError,
    add_format,
    err,
    language,
    out,
    print_json,
    progress_bar,
    say,
    show,
)
from bot.cli.weekly import digest_weekly
from bot.config.paths import data_dir
from bot.config.topics import TopicSet
from bot.delivery import posting
from bot.ingest.seeds import seed_corpus
from bot.present.compose import (
    digest_reply,
    search_reply,
    stats_reply,
    topics_reply,
    why_reply,
)
from bot.present.problems import problem_text
from bot.present.reply import Reply
from bot.present.terminal import print_reply
from bot.services import articles, briefs, digests, periods, watches
from bot.services import search as searching
from bot.services.context import ServiceContext
from bot.services.digests import Digest
from bot.services.topics import named, shown_id
from bot.store import DEMO_MARK, Window, is_demo_database
from bot.store.views import watch_id

DEMO_DB = "var/demo.db"  # beside the seeds/ of the current folder (a checkout: `make demo`)


def demo_database_url() -> str:
    """``var/demo.db`` in a folder with ``seeds/`` (the checkout, as the README's Quick start
    says), else ``demo.db`` in the per-user data folder: a demo run anywhere else leaves no
    ``var/`` behind."""
    if Path("seeds").is_dir():
        return f"sqlite:///{DEMO_DB}"
    return f"sqlite:///{data_dir() / 'demo.db'}"


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "demo",
        parents=[common],
        help="fresh embedded DB (var/demo.db beside seeds/, else in the data folder), "
        "ingest the seeds, match, print the digest",
    )
    p.set_defaults(func=cmd_demo, default_db=demo_database_url())

    p = sub.add_parser(
        "ingest", parents=[common], help="ingest seed files or folders (.txt .html .md)"
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (default: ./seeds, else the seed corpus shipped with newsbot)",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("digest", parents=[common], help="the digest of matched items")
    p.add_argument("--topic", action="append", default=[], metavar="T")
    p.add_argument("--since", help="24h, 7d, 2025-10-01 or all (default 24h)")
    add_format(p)
    p.add_argument(
        "--weekly",
        action="store_true",
        help="the weekly report instead: the last 7 days' top stories of each topic, briefed "
        "(what a channel subscribed `weekly` gets)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE.png",
        help="with --weekly: also write the report's trend picture to FILE.png",
    )
    p.add_argument(
        "--post",
        metavar="PLATFORM:CHANNEL",
        help="post the digest to slack:CHANNEL or discord:CHANNEL_ID",
    )
    p.add_argument(
        "--force", action="store_true", help="with --post: post it even if already delivered"
    )
    p.set_defaults(func=cmd_digest, reads=True)

    p = sub.add_parser("search", parents=[common], help="full-text search, Korean-aware")
    p.add_argument(
        "query", nargs="*", metavar="QUERY", help="words to find; -word leaves out what has it"
    )
    p.add_argument("--topic", action="append", default=[], metavar="T")
    p.add_argument("--since", default="all")
    p.add_argument("--limit", type=int, default=10)
    add_format(p)
    p.set_defaults(func=cmd_search, reads=True, dashed_words=True)

    p = sub.add_parser("why", parents=[common], help="why an item matched")
    p.add_argument(
        "article_id", metavar="ARTICLE_ID", help="an item id, or a seed file name such as 001"
    )
    add_format(p)
    p.set_defaults(func=cmd_why, reads=True)

    p = sub.add_parser("stats", parents=[common], help="items per topic (7 days), feed health")
    add_format(p)
    p.set_defaults(func=cmd_stats, reads=True)

    p = sub.add_parser("topics", parents=[common], help="list the topics")
    add_format(p)
    p.set_defaults(func=cmd_topics)  # no database yet: the built-in topics, none made


def _topics(app: ServiceContext, words: list[str]) -> list[str]:
    """Topic ids of the words: built-in topics and the console's watches."""
    return watches.catalog(app, watches.CONSOLE).resolve_all(words, option="--topic")


def _topic_set(app: ServiceContext) -> TopicSet:
    return watches.topic_set(app, watches.CONSOLE)


def _show(app: ServiceContext, fmt: str, value: Any, reply: Callable[[TopicSet], Reply]) -> int:
    """Print ``value``'s JSON contract (its topics named as this console shows them) or its
    ``reply`` for the console's topics; exit status 0."""
    shown = _topic_set(app)
    show(fmt, lambda: named(value.as_json(), shown), lambda: reply(shown))
    return 0


def _since(app: ServiceContext, word: str) -> datetime | None:
    return periods.since(app, word, option="--since")


def cmd_ingest(app: ServiceContext, args: argparse.Namespace) -> int:
    report = _ingest(app, args.paths or [seed_corpus()])
    extra = say("cli.skipped_n", n=len(report.skipped)) if report.skipped else ""
    out.print(say("cli.ingested", new=report.new, read=report.read, extra=extra))
    return 0


def _ingest(app: ServiceContext, paths: list[str]) -> articles.IngestReport:
    with progress_bar(say("cli.analysing")) as progress:
        report = articles.ingest_paths(app, paths, progress=progress)
    for shown, reason in report.skipped:
        why = problem_text(reason, language())
        line = say("cli.skipped", what=shown, reason=why).replace("[", "\\[")
        err.print(f"[yellow]warning:[/] {line}", markup=True, highlight=False)
    return report


def cmd_demo(app: ServiceContext, args: argparse.Namespace) -> int:
    """The demo builds its own SQLite file (``var/demo.db``, or ``--db``; never
    ``NEWSBOT_DATABASE_URL``) and starts it afresh each time, but it deletes only a file an
    earlier demo made: any other database is refused, untouched."""
    url = app.settings.database_url
    if not url.startswith("sqlite:///"):
        raise UsageError("cli.demo_not_sqlite", option="demo")
    path = url.split("///", 1)[-1]
    seeds = seed_corpus()  # before any file is made: a demo without seeds leaves nothing
    if Path(path).exists():
        if not is_demo_database(url):
            raise UsageError("cli.demo_not_ours", option="demo", path=path)
        _remove_database(path)
    folder = Path(path).parent
    made_folder = not folder.exists()
    try:
        app.store.set_meta(DEMO_MARK, "1")
        report = _ingest(app, [seeds])
    except BaseException:
        app.store.close()  # before its files go
        _remove_database(path)
        if made_folder and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise
    err.print(say("cli.demo", new=report.new, folder=seeds, path=path), highlight=False)
    lang = app.settings.language
    digest = digests.collect(app, Window(), lang=lang)
    print_reply(out, digest_reply(digest, app.topics, app.settings.timezone, lang))
    return 0


def _remove_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


def cmd_digest(app: ServiceContext, args: argparse.Namespace) -> int:
    if args.weekly:
        return digest_weekly(app, args)
    if args.output:
        raise UsageError("cli.output_needs_weekly", option="digest")
    topic_ids = _topics(app, args.topic)
    since = _since(app, "24h" if args.since is None else args.since)  # "" is refused
    articles.catch_up(app)
    lang, tz = app.settings.language, app.settings.timezone
    tenant = posting.target_tenant(app, args.post) if args.post else None
    window = Window(topics=topic_ids, since=since, tenant=tenant)
    digest = digests.collect(app, window, lang=lang)
    if args.post:
        return _post(app, args.post, digest, force=args.force)
    return _show(app, args.format, digest, lambda shown: digest_reply(digest, shown, tz, lang))


def _post(app: ServiceContext, target: str, digest: Digest, *, force: bool) -> int:
    result = posting.post_digest(app, target, digest, force=force)
    where = f"{result.place.platform}:{result.place.channel}"
    if result.status == "empty":
        out.print(say("cli.post_empty"), highlight=False)
        return 0
    if result.status == "sent":
        line = say("cli.posted", stories=result.stories, where=where, parts=result.parts_sent)
        out.print(line, highlight=False)
        return 0
    if result.status == "already":
        out.print(say("cli.post_already", where=where, parts=result.parts_sent), highlight=False)
        return 0
    if result.status == "pending":
        line = say("cli.post_pending", where=where, parts=result.parts_sent)
        err.print(f"error: {line}", highlight=False, markup=False)
        return 1
    if result.status == "paused":
        line = say("cli.post_paused", where=where, reason=result.reason)
        err.print(f"error: {line}", highlight=False, markup=False)
        return 1
    err.print(f"error: {say('cli.post_given_up', where=where)}", highlight=False, markup=False)
    return 1


def cmd_search(app: ServiceContext, args: argparse.Namespace) -> int:
    topic_ids = _topics(app, args.topic)
    since = _since(app, args.since)
    articles.catch_up(app)
    result = searching.search(
        app, " ".join(args.query), topics=topic_ids, since=since, limit=args.limit
    )
    lang, tz = app.settings.language, app.settings.timezone
    return _show(app, args.format, result, lambda shown: search_reply(result, shown, tz, lang))


def cmd_why(app: ServiceContext, args: argparse.Namespace) -> int:
    articles.catch_up(app)
    article = articles.why(app, args.article_id)
    lang, tz = app.settings.language, app.settings.timezone

    def reply(shown: TopicSet) -> Reply:
        return why_reply(article, shown, tz, lang, briefs.story_brief(app, article))

    return _show(app, args.format, article, reply)


def cmd_stats(app: ServiceContext, args: argparse.Namespace) -> int:
    topics = _topic_set(app)  # the built-in topics and the console's watches, by name
    found = articles.stats(app, topics)
    if args.format == "json":
        per_topic = {shown_id(t): found.per_topic.get(t.id, 0) for t in topics.topics}
        print_json({"per_topic": per_topic, "feeds": found.feeds})
        return 0
    print_reply(out, stats_reply(found, topics, app.settings.language))
    return 0


def cmd_topics(app: ServiceContext, args: argparse.Namespace) -> int:
    from bot.cli import missing_sqlite

    # the built-in topics and the console's watches; before any database exists (a fresh
    # install, a mistyped --db) the built-in topics alone, and no empty database is made
    shown = app.topics if missing_sqlite(app.settings.database_url) else _topic_set(app)
    if args.format == "json":
        print_json(
            {
                "topics": [
                    {
                        "id": shown_id(t),
                        "kind": "watch" if watch_id(t.id) is not None else "builtin",
                        "name": t.name,
                        "name_en": t.name_en,
                        "description": t.description,
                        "threshold": t.threshold,
                    }
                    for t in shown.topics
                ]
            }
        )
    else:
        print_reply(out, topics_reply(shown, app.settings.language))
    return 0
