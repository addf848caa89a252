"""Watches as users act on them: add (with a preview), edit, show, list, remove, export and
import, and re-applying a watch to stored articles.  The CLI, chat and the scheduler call these.

Rules (one place):

- A watch belongs to a workspace (Slack team, Discord guild; the console and the CLI share the
  workspace ``console:``).  Its name is 1–32 of ``a-z 0-9 _ -`` and Hangul, unique in the
  workspace and not a built-in topic's name.  At most :data:`MAX_WATCHES` per workspace and
  :data:`MAX_TERMS` terms per watch.  When ``NEWSBOT_ADMINS`` is set, only those users may add,
  edit, remove or import.
- The words of a watch: see :mod:`bot.analysis.watches` (plain terms, ``+all``, ``-exclude``,
  ``min:N``, ``source:NAME``).
- Saving or editing re-applies the watch to the articles of the last :data:`REAPPLY_DAYS` days
  from their stored lemmas; newer articles are matched as they are ingested.
- A preview counts what the watch would match in the last :data:`PREVIEW_DAYS` days, shows the
  top three with their evidence, and how many each ``-term`` leaves out.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.analysis import watches as rule
from bot.config.topics import Topic, TopicSet
from bot.services import sources
from bot.services.errors import NotFound, UserError
from bot.services.feeds import require_admin
from bot.services.topics import Catalog
from bot.store.views import Article, Feed, Place, Watch

if TYPE_CHECKING:
    from bot.runtime.app import App

MAX_WATCHES = 50
MAX_TERMS = 30
PREVIEW_DAYS = 7
REAPPLY_DAYS = 30
NAME = re.compile(r"^[a-z0-9_\-가-힣]{1,32}$")


@dataclass(frozen=True, slots=True)
class Workspace:
    platform: str
    id: str

    @classmethod
    def of(cls, place: Place) -> Workspace:
        return cls(place.platform, place.workspace)


CONSOLE = Workspace("console", "")


@dataclass(slots=True)
class Preview:
    name: str
    spec: rule.WatchSpec
    days: int
    count: int
    top: list[tuple[Article, rule.Hit]] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Saved:
    watch: Watch
    created: bool
    before: int  # matches in the re-applied window before the change
    after: int
    preview: Preview
    followed: list[Feed] = field(default_factory=list)  # keyword sources ``follow:`` added


# -- reading a watch's words ---------------------------------------------------------------------


def parse_spec(words: Sequence[str]) -> rule.WatchSpec:
    terms: list[str] = []
    required: list[str] = []
    exclude: list[str] = []
    sources: list[str] = []
    min_score: float | None = None
    for word in words:
        word = word.strip()
        low = word.lower()
        if not word:
            continue
        if low.startswith("min:"):
            try:
                min_score = float(word[4:])
            except ValueError:
                raise UserError("watch.bad_min", value=word[:20]) from None
            if not 0 <= min_score <= 1000:
                raise UserError("watch.bad_min", value=word[:20])
        elif low.startswith("source:") and len(word) > 7:
            sources.append(word[7:][:100])
        elif word.startswith("-") and len(word) > 1:
            exclude.append(word[1:][:100])
        elif word.startswith("+") and len(word) > 1:
            required.append(word[1:][:100])
        else:
            terms.append(word[:100])
    if not terms and not required:
        raise UserError("watch.no_terms")
    count = len(terms) + len(required) + len(exclude)
    if count > MAX_TERMS:
        raise UserError("watch.too_many_terms", count=count, max=MAX_TERMS)
    return rule.WatchSpec(
        tuple(dict.fromkeys(terms)),
        tuple(dict.fromkeys(required)),
        tuple(dict.fromkeys(exclude)),
        min_score,
        tuple(dict.fromkeys(sources)),
    )


def spec_of(watch: Watch) -> rule.WatchSpec:
    return rule.WatchSpec.from_dict(watch.spec)


def check_name(app: App, name: str) -> str:
    name = name.strip().lower()
    if not NAME.fullmatch(name):
        raise UserError("watch.bad_name", name=name[:40])
    if app.catalog.find(name, strict=True) is not None:
        raise UserError("watch.builtin_name", name=name)
    return name


# -- the topics a place may name -----------------------------------------------------------------


def watch_topic(watch: Watch) -> Topic:
    """A watch as a topic (for digests, labels and subscriptions)."""
    return Topic(
        id=watch.topic,
        name=watch.name,
        name_en=watch.name,
        description=" ".join(spec_of(watch).words()),
        threshold=0.0,
        title_weight=rule.TITLE_POINTS,
        min_sentences=1,
        needs_context=False,
        any=(),
        all=(),
        none=(),
        groups=(),
        context=(),
        alert_score=0.0,  # a team's watch is narrow: each new story of it is worth an alert
    )


def topic_set(app: App, workspace: Workspace | None = None) -> TopicSet:
    """The built-in topics and the watches of ``workspace`` (every watch when None)."""
    found = (
        app.store.watches()
        if workspace is None
        else app.store.watches(workspace.platform, workspace.id)
    )
    base = app.topics
    return TopicSet(
        topics=base.topics + tuple(watch_topic(w) for w in found),
        path=base.path,
        digest=base.digest,
        roundup=base.roundup,
    )


def catalog(app: App, workspace: Workspace) -> Catalog:
    """The names a user of ``workspace`` may use for topics: built-ins and the workspace's
    watches."""
    return Catalog(topic_set(app, workspace), app.analyser.lemmas)


# -- acting on watches ---------------------------------------------------------------------------


def list_watches(app: App, workspace: Workspace) -> list[Watch]:
    return app.store.watches(workspace.platform, workspace.id)


def get(app: App, workspace: Workspace, name: str) -> Watch:
    key = name.strip().lower()
    for watch in list_watches(app, workspace):
        if watch.name == key:
            return watch
    raise NotFound("watch.unknown", name=name[:40])


def compiled(app: App, watch: Watch) -> rule.CompiledWatch:
    return rule.CompiledWatch.compile(watch.topic, spec_of(watch), app.analyser.lemmas)


def preview(
    app: App, name: str, spec: rule.WatchSpec, days: int = PREVIEW_DAYS, topic: str = "preview"
) -> Preview:
    """What ``spec`` would match among the articles of the last ``days`` days."""
    watch = rule.CompiledWatch.compile(topic, spec, app.analyser.lemmas)
    since = app.clock.now() - timedelta(days=days)
    rows = app.store.stored_lemmas(since, watch.lemma_words())
    hits: list[tuple[int, rule.Hit]] = []
    excluded: dict[str, int] = {t.text: 0 for t in watch.exclude}
    for row in rows:
        hit = watch.match(row.title, row.body, row.source, ignore_exclusions=True)
        if hit is None:
            continue
        dropped = watch.excluded_by(row.title, row.body)
        for term in dropped:
            excluded[term] += 1
        if not dropped:
            hits.append((row.id, hit))
    best = sorted(hits, key=lambda h: -h[1].score)[:3]
    articles = {a.id: a for a in app.store.articles([i for i, _ in best])}
    return Preview(
        name,
        spec,
        days,
        len(hits),
        [(articles[i], h) for i, h in best if i in articles],
        excluded,
    )


def reapply(app: App, watch: Watch, days: int = REAPPLY_DAYS) -> tuple[int, int]:
    """Match the watch again over the last ``days`` days from stored lemmas; (before, after)."""
    cw = compiled(app, watch)
    since = app.clock.now() - timedelta(days=days)
    found: dict[int, tuple[float, list[dict[str, str]]]] = {}
    for row in app.store.stored_lemmas(since, cw.lemma_words()):
        hit = cw.match(row.title, row.body, row.source)
        if hit is not None:
            found[row.id] = (hit.score, list(hit.evidence))
    return app.store.replace_watch_matches(watch.topic, since, found)


def save(
    app: App,
    workspace: Workspace,
    name: str,
    words: Sequence[str],
    *,
    user: str,
    edit: bool = False,
) -> Saved:
    """Add a watch (``edit``: change an existing one), re-apply it and preview it.  A word
    ``follow:google`` or ``follow:naver`` also follows the watch's terms as a keyword source of
    the workspace (:mod:`bot.services.sources`), so the watch has articles from every outlet."""
    require_admin(app.settings, user)
    name = check_name(app, name)
    follow = [w.split(":", 1)[1] for w in words if w.lower().startswith("follow:")]
    words = [w for w in words if not w.lower().startswith("follow:")]
    spec = parse_spec(words)
    for kind in follow:
        sources.parse_kind(kind)  # a bad kind is refused before anything is saved
    existing = {w.name: w for w in list_watches(app, workspace)}
    if edit and name not in existing:
        raise NotFound("watch.unknown", name=name)
    if not edit and name in existing:
        raise UserError("watch.exists", name=name)
    if not edit and len(existing) >= MAX_WATCHES:
        raise UserError("watch.too_many", max=MAX_WATCHES)
    tenant = None if workspace.platform == "console" else f"{workspace.platform}:{workspace.id}"
    query = " ".join(spec.terms + spec.required)
    followed = [sources.add_source(app, k, query, tenant=tenant).feed for k in follow]
    watch = app.store.save_watch(workspace.platform, workspace.id, name, spec.as_dict(), user=user)
    before, after = reapply(app, watch)
    saved = Saved(watch, not edit, before, after, preview(app, name, spec, topic=watch.topic))
    saved.followed = followed
    return saved


def remove(app: App, workspace: Workspace, name: str, *, user: str) -> Watch:
    require_admin(app.settings, user)
    watch = get(app, workspace, name)
    app.store.remove_watch(watch.id)
    return watch


def export_toml(app: App, workspace: Workspace) -> str:
    """The workspace's watches as TOML (``[watches.<name>]`` tables), for ``import``."""
    lines = ["# newsbot watches: newsbot watches import FILE", ""]
    for watch in list_watches(app, workspace):
        spec = spec_of(watch)
        lines.append(f'[watches."{watch.name}"]')
        lines.append(f"terms = {_toml_list(spec.terms)}")
        if spec.required:
            lines.append(f"all = {_toml_list(spec.required)}")
        if spec.exclude:
            lines.append(f"exclude = {_toml_list(spec.exclude)}")
        if spec.min_score is not None:
            lines.append(f"min_score = {spec.min_score:g}")
        if spec.sources:
            lines.append(f"sources = {_toml_list(spec.sources)}")
        lines.append("")
    return "\n".join(lines)


def import_toml(app: App, workspace: Workspace, text: str, *, user: str) -> list[Saved]:
    """Add or replace the watches a TOML export lists; every one is checked before any is
    saved."""
    require_admin(app.settings, user)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError("watch.bad_toml", reason=str(exc)) from None
    table = data.get("watches")
    if not isinstance(table, dict) or not table:
        raise UserError("watch.bad_toml", reason="no [watches.<name>] tables")
    specs: list[tuple[str, list[str]]] = []
    for name, raw in table.items():
        if not isinstance(raw, dict):
            raise UserError("watch.bad_toml", reason=f"watches.{name} is not a table")
        specs.append((check_name(app, str(name)), _words(raw, str(name))))
    for _, words in specs:
        parse_spec(words)  # every one valid before any is saved
    existing = {w.name for w in list_watches(app, workspace)}
    new = {n for n, _ in specs} - existing
    if len(existing) + len(new) > MAX_WATCHES:
        raise UserError("watch.too_many", max=MAX_WATCHES)
    return [
        save(app, workspace, name, words, user=user, edit=name in existing) for name, words in specs
    ]


def _words(raw: dict[str, Any], name: str) -> list[str]:
    def strings(key: str) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError("watch.bad_toml", reason=f"watches.{name}.{key} must be a list of text")
        return value

    words = strings("terms") + [f"+{t}" for t in strings("all")]
    words += [f"-{t}" for t in strings("exclude")]
    words += [f"source:{s}" for s in strings("sources")]
    if raw.get("min_score") is not None:
        words.append(f"min:{raw['min_score']}")
    return words


def _toml_list(items: Sequence[str]) -> str:
    return (
        "["
        + ", ".join('"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items)
        + "]"
    )
