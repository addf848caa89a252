"""The commands core: ``/news <sub-command> …`` to a platform-neutral :class:`Reply`.

No Slack or Discord imports here.  Adapters pass the text after ``/news`` and a
:class:`Context` (who and where), and render the reply.  Bad arguments get a one-line usage,
never a traceback; an unexpected failure is logged as one line and answered with a short apology.
Everything here is blocking (SQL, kiwi): async adapters call :meth:`Commands.handle` through
``asyncio.to_thread``.
"""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config.settings import parse_hhmm
from bot.core.periods import PeriodError, parse_since
from bot.present.i18n import t
from bot.present.reply import Fact, Reply, Section, digest_reply, error, search_reply, topics_reply
from bot.present.reply import why_reply as why_reply_for
from bot.runtime.app import App
from bot.services.digests import build_digest
from bot.services.search import search
from bot.store import Place, Window

log = logging.getLogger(__name__)

USAGE = {
    "search": "/news search <검색어…> [주제] [기간: 24h|7d|2025-10-01|all]",
    "digest": "/news digest [주제…] [기간]",
    "topics": "/news topics",
    "subscribe": "/news subscribe <주제…> [at HH:MM] [tz Asia/Seoul] [alerts]",
    "unsubscribe": "/news unsubscribe <주제…|all>",
    "feeds": "/news feeds add <URL> [이름] | feeds list | feeds remove <ID>",
    "why": "/news why <기사 ID>",
    "stats": "/news stats",
    "help": "/news help",
}
USAGE_EN = {
    "search": "/news search <query…> [topic] [period: 24h|7d|2025-10-01|all]",
    "digest": "/news digest [topic…] [period]",
    "subscribe": "/news subscribe <topic…> [at HH:MM] [tz Asia/Seoul] [alerts]",
    "unsubscribe": "/news unsubscribe <topic…|all>",
    "feeds": "/news feeds add <URL> [name] | feeds list | feeds remove <ID>",
    "why": "/news why <item id>",
}
SLOW = {"search", "digest", "stats", "why"}
PERIOD = re.compile(r"^(all|전체|\d{1,5}(m|min|h|d|w|분|시간|일|주)|\d{4}-\d{1,2}-\d{1,2})$", re.I)


@dataclass(frozen=True, slots=True)
class Context:
    platform: str  # slack | discord | console
    workspace: str  # team / guild id, "" when none
    channel: str
    user: str
    lang: str = "ko"

    @property
    def place(self) -> Place:
        return Place(self.platform, self.workspace, self.channel)


class CommandError(Exception):
    """A user mistake: the message is shown as is."""


class Commands:
    def __init__(self, app: App) -> None:
        self.app = app
        self.now = app.clock.now
        self.handlers: dict[str, Callable[[list[str], Context], Reply]] = {
            "search": self.search,
            "digest": self.digest,
            "topics": self.topics,
            "subscribe": self.subscribe,
            "unsubscribe": self.unsubscribe,
            "feeds": self.feeds,
            "why": self.why,
            "stats": self.stats,
            "help": self.help,
        }

    @staticmethod
    def is_slow(text: str) -> bool:
        """Whether the command may take more than a moment (adapters acknowledge first)."""
        words = text.strip().split(maxsplit=1)
        return bool(words) and words[0].lower() in SLOW

    def handle(self, text: str, ctx: Context) -> Reply:
        args = _split(text)
        if args and args[0].lower() in ("/news", "news"):
            args = args[1:]
        name = args[0].lower() if args else "help"
        handler = self.handlers.get(name)
        if handler is None:
            return error(t("unknown_command", ctx.lang, name=name[:40]))
        try:
            return handler(args[1:], ctx)
        except CommandError as exc:
            return error(str(exc))
        except Exception as exc:  # one log line for the operator, no traceback for the user
            log.error("command %s failed: %s: %s", name, exc.__class__.__name__, exc)
            return error(t("internal_error", ctx.lang))

    # -- helpers ---------------------------------------------------------------------------

    def _usage(self, name: str, ctx: Context) -> CommandError:
        usage = (USAGE_EN if ctx.lang == "en" else {}).get(name, USAGE[name])
        return CommandError(t("usage", ctx.lang, usage=usage))

    def _topic(self, word: str) -> str | None:
        word = word.lower()
        return word if self.app.topics.get(word) else None

    def _since(self, word: str, ctx: Context) -> datetime | None:
        try:
            return parse_since(word, self.now(), self.app.settings.timezone)
        except PeriodError:
            raise CommandError(t("bad_since", ctx.lang, value=word[:40])) from None

    def _filters(
        self, args: list[str], ctx: Context, keep: int
    ) -> tuple[list[str], list[str], str | None]:
        """Split trailing topic ids and a period off ``args``; keep at least ``keep`` words."""
        rest = list(args)
        topics: list[str] = []
        period: str | None = None
        while len(rest) > keep:
            word = rest[-1]
            if period is None and PERIOD.match(word):
                period = rest.pop()
            elif self._topic(word):
                topics.insert(0, rest.pop().lower())
            else:
                break
        return rest, topics, period

    # -- sub-commands ----------------------------------------------------------------------

    def search(self, args: list[str], ctx: Context) -> Reply:
        words, topics, period = self._filters(args, ctx, keep=1)
        query = " ".join(words).strip()
        if not query:
            raise self._usage("search", ctx)
        if len(query) > 200:
            raise CommandError(t("usage", ctx.lang, usage=USAGE["search"]))
        since = self._since(period, ctx) if period else None
        result = search(
            self.app.store, self.app.analyser, query, topics=topics, since=since, limit=5
        )
        return search_reply(
            query, result.total, result.items, self.app.topics, self.app.settings.timezone, ctx.lang
        )

    def digest(self, args: list[str], ctx: Context) -> Reply:
        words, topics, period = self._filters(args, ctx, keep=0)
        if words:
            if (
                not PERIOD.match(words[0])
                and len(words[0]) < 30
                and re.fullmatch(r"[a-z_]+", words[0])
            ):
                raise CommandError(
                    t(
                        "unknown_topic",
                        ctx.lang,
                        name=words[0],
                        topics=", ".join(self.app.topics.ids()),
                    )
                )
            raise self._usage("digest", ctx)
        since = self._since(period or "24h", ctx)
        ids = self.app.store.matched_ids(Window(topics=topics, since=since))
        digest = build_digest(
            self.app.store.articles(ids),
            self.app.topics,
            wanted=topics,
            since=since,
            until=self.now(),
            lang=ctx.lang,
        )
        return digest_reply(digest, self.app.topics, self.app.settings.timezone, ctx.lang)

    def topics(self, args: list[str], ctx: Context) -> Reply:
        return topics_reply(self.app.topics, ctx.lang)

    def subscribe(self, args: list[str], ctx: Context) -> Reply:
        if not args:
            return self._list_subscriptions(ctx)
        settings = self.app.settings
        at, tz, alerts = settings.digest_time.strftime("%H:%M"), settings.timezone, False
        topics: list[str] = []
        rest = list(args)
        while rest:
            word = rest.pop(0)
            low = word.lower()
            if low in ("at", "시각") and rest:
                at = self._time(rest.pop(0), ctx)
            elif re.fullmatch(r"\d{1,2}:\d{2}", word):
                at = self._time(word, ctx)
            elif low in ("tz", "timezone") and rest:
                tz = self._zone(rest.pop(0), ctx)
            elif low in ("alerts", "alert", "알림"):
                alerts = True
            elif self._topic(low):
                topics.append(low)
            else:
                raise CommandError(
                    t(
                        "unknown_topic",
                        ctx.lang,
                        name=word[:40],
                        topics=", ".join(self.app.topics.ids()),
                    )
                )
        if not topics:
            raise self._usage("subscribe", ctx)
        self.app.store.subscribe(
            ctx.place, topics, digest_time=at, timezone=tz, alerts=alerts, user=ctx.user
        )
        labels = ", ".join(self._label(x, ctx) for x in topics)
        extra = t("subscribed.alerts", ctx.lang) if alerts else ""
        return Reply(
            text=t("subscribed", ctx.lang, topics=labels, time=at, tz=tz, alerts=extra),
            ephemeral=False,
        )

    def _time(self, word: str, ctx: Context) -> str:
        try:
            return parse_hhmm(word).strftime("%H:%M")
        except ValueError:
            raise CommandError(t("bad_time", ctx.lang, value=word[:20])) from None

    def _zone(self, word: str, ctx: Context) -> str:
        try:
            ZoneInfo(word)
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(t("usage", ctx.lang, usage=USAGE["subscribe"])) from None
        return word

    def _label(self, topic_id: str, ctx: Context) -> str:
        topic = self.app.topics.get(topic_id)
        return topic.label(ctx.lang) if topic else topic_id

    def _list_subscriptions(self, ctx: Context) -> Reply:
        subs = self.app.store.subscriptions(ctx.place)
        if not subs:
            return Reply(text=t("subscriptions.none", ctx.lang))
        listing = ", ".join(
            f"{self._label(s.topic, ctx)} {s.digest_time} {s.timezone}{' +alerts' if s.alerts else ''}"
            for s in subs
        )
        reason = subs[0].destination.paused_reason
        paused = t("subscriptions.paused", ctx.lang, reason=reason) if reason else ""
        return Reply(text=t("subscriptions", ctx.lang, list=listing) + paused)

    def unsubscribe(self, args: list[str], ctx: Context) -> Reply:
        if not args:
            raise self._usage("unsubscribe", ctx)
        if [a.lower() for a in args] in (["all"], ["전체"]):
            topics = None
        else:
            topics = []
            for word in args:
                if not self._topic(word):
                    raise CommandError(
                        t(
                            "unknown_topic",
                            ctx.lang,
                            name=word[:40],
                            topics=", ".join(self.app.topics.ids()),
                        )
                    )
                topics.append(word.lower())
        removed = self.app.store.unsubscribe(ctx.place, topics)
        if not removed:
            names = ", ".join(topics) if topics else "all"
            return Reply(text=t("not_subscribed", ctx.lang, topics=names))
        return Reply(
            text=t(
                "unsubscribed", ctx.lang, topics=", ".join(self._label(x, ctx) for x in removed)
            ),
            ephemeral=False,
        )

    def feeds(self, args: list[str], ctx: Context) -> Reply:
        action = args[0].lower() if args else "list"
        if action == "list":
            return self._list_feeds(ctx)
        admins = self.app.settings.admins
        if admins and ctx.user not in admins:
            raise CommandError(t("feeds.admin_only", ctx.lang))
        if action == "add" and len(args) >= 2:
            url = args[1].strip("<>")
            if not re.match(r"^https?://[^\s/]+", url, re.I) or len(url) > 2000:
                raise self._usage("feeds", ctx)
            name = " ".join(args[2:])[:200] or None
            interval = int(self.app.settings.feed_interval)
            feed, created = self.app.store.add_feed(url, name, interval)
            key = "feeds.added" if created else "feeds.exists"
            return Reply(text=t(key, ctx.lang, id=feed.id, url=feed.url))
        if action == "remove" and len(args) == 2 and args[1].lstrip("#").isdigit():
            feed_id = int(args[1].lstrip("#"))
            removed = self.app.store.remove_feed(feed_id)
            return Reply(
                text=t("feeds.removed" if removed else "feeds.missing", ctx.lang, id=feed_id),
                error=not removed,
            )
        raise self._usage("feeds", ctx)

    def _list_feeds(self, ctx: Context) -> Reply:
        feeds = self.app.store.list_feeds()
        if not feeds:
            return Reply(text=t("feeds.empty", ctx.lang))
        lines = []
        for f in feeds:
            problem = (
                f" — {f.disabled_reason or f.last_error}"
                if f.health in ("failing", "disabled")
                else ""
            )
            lines.append(f"#{f.id} {f.label} [{f.health}]{problem}")
        return Reply(title=t("feeds.title", ctx.lang), text="\n".join(lines))

    def why(self, args: list[str], ctx: Context) -> Reply:
        if len(args) != 1:
            raise self._usage("why", ctx)
        article_id = self.app.store.resolve_article(args[0][:80])
        items = self.app.store.articles([article_id]) if article_id is not None else []
        if not items:
            raise CommandError(t("why.missing", ctx.lang, ref=args[0][:40]))
        return why_reply_for(items[0], self.app.topics, self.app.settings.timezone, ctx.lang)

    def stats(self, args: list[str], ctx: Context) -> Reply:
        since = self.now() - timedelta(days=7)
        counts = self.app.store.topic_counts(since)
        facts = [
            Fact(self._label(tid, ctx), str(counts.get(tid, 0))) for tid in self.app.topics.ids()
        ]
        health = self.app.store.feed_health()
        text = t(
            "stats.feeds",
            ctx.lang,
            ok=health["ok"] + health["new"],
            failing=health["failing"],
            disabled=health["disabled"],
        )
        from bot.present.reply import Card

        card = Card(id=0, title=t("stats.items", ctx.lang), url=None, meta="", facts=facts)
        return Reply(title=t("stats.title", ctx.lang), text=text, sections=[Section("", [card])])

    def help(self, args: list[str], ctx: Context) -> Reply:
        usage = {**USAGE, **(USAGE_EN if ctx.lang == "en" else {})}
        return Reply(title=t("help.title", ctx.lang), text="\n".join(usage.values()))


def _split(text: str) -> list[str]:
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()
