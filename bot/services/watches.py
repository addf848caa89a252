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
- Adding or editing is two steps: :func:`propose` checks the words and previews them, saving
  nothing; :func:`save` (chat's Save button, ``--yes``) saves.  A preview counts what the watch
  would match in the last :data:`PREVIEW_DAYS` days, shows the top three with their evidence
  (the words as the articles wrote them), and how many each ``-term`` leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.analysis import watches as rule
from bot.config.topics import Topic, TopicSet
from bot.core.unicode import clean_input
from bot.ingest.cleaning import headline
from bot.services import sources
from bot.services.errors import NotFound, UserError
from bot.services.feeds import require_admin
from bot.services.topics import Catalog
from bot.services.watch_names import is_command_word
from bot.store.views import Article, Feed, Place, Watch

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

CONFIRM_WORD = "--yes"  # saves what a preview showed (chat's button sends it; the CLI takes it)
MAX_WATCHES = 50
MAX_TERMS = 30
MAX_WORD = 60  # characters of one term (its +, -, source: or min: included)
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
        word = clean_input(word).strip()  # bidi controls, zero-width and control characters
        low = word.lower()
        if not word:
            continue
        if len(word) > MAX_WORD:
            raise UserError("watch.long_term", term=word[:20], max=MAX_WORD)
        if low in ("+", "-", "source:"):  # a marker with nothing after it is no term
            raise UserError("watch.empty_term", word=word)
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


def workspace_tenant(workspace: Workspace) -> str | None:
    """The tenant whose articles ``workspace`` reads (None on the console: every article)."""
    return None if workspace.platform == "console" else f"{workspace.platform}:{workspace.id}"


def spec_of(watch: Watch) -> rule.WatchSpec:
    return rule.WatchSpec.from_dict(watch.spec)


def check_name(app: ServiceContext, name: str) -> str:
    """The watch name to store, or :class:`UserError`: the grammar, a word the commands read as
    something else (``7d``, ``alerts``, ``weekly``, ``금``), a built-in topic's id or label, or
    a word the analyser reads as one (``에이펙``)."""
    name = name.strip().lower()
    if not NAME.fullmatch(name):
        raise UserError("watch.bad_name", name=name[:40])
    if is_command_word(name):
        raise UserError("watch.command_name", name=name)
    if app.catalog.find(name, strict=True) is not None:
        raise UserError("watch.builtin_name", name=name)
    builtin = app.catalog.find(name)
    if builtin is not None:
        raise UserError("watch.alias_name", name=name, topic=builtin.id)
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


def topic_set(app: ServiceContext, workspace: Workspace | None = None) -> TopicSet:
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


def catalog(app: ServiceContext, workspace: Workspace) -> Catalog:
    """The names a user of ``workspace`` may use for topics: built-ins and the workspace's
    watches."""
    return Catalog(topic_set(app, workspace), lambda text: app.analyser.lemmas(text))  # lazy


# -- acting on watches ---------------------------------------------------------------------------


def list_watches(app: ServiceContext, workspace: Workspace) -> list[Watch]:
    return app.store.watches(workspace.platform, workspace.id)


def get(app: ServiceContext, workspace: Workspace, name: str) -> Watch:
    key = name.strip().lower()
    for watch in list_watches(app, workspace):
        if watch.name == key:
            return watch
    raise NotFound("watch.unknown", name=name[:40])


def compiled(app: ServiceContext, watch: Watch) -> rule.CompiledWatch:
    return rule.CompiledWatch.compile(watch.topic, spec_of(watch), app.analyser.lemmas)


def _quoted(
    app: ServiceContext, cw: rule.CompiledWatch, hits: dict[int, rule.Hit]
) -> dict[int, rule.Hit]:
    """The hits with evidence quoting the articles' own words.  Each term's surface is looked
    up in the stored text among the ways to write it (the watch's words of that concept and the
    lexicon's aliases); an article where one is not found (an inflected verb, a ``#num``) is
    analysed again, and a hit the text no longer gives keeps its lemmas."""
    texts = app.store.article_texts(list(hits))
    forms = {t.text: _forms(app, t.forms, t.lemmas) for t in cw.concepts()}
    out = dict(hits)
    again = []
    for i, hit in hits.items():
        title, body = texts.get(i, ("", ""))
        evidence = []
        for e in hit.evidence:
            said = rule.written_in(title if e["field"] == "title" else body, forms[e["term"]])
            if said is None:
                again.append(i)
                break
            evidence.append({**e, "surface": said})
        else:
            out[i] = rule.Hit(hit.score, tuple(evidence))
    ids = [i for i in again if i in texts]
    docs = ((headline(*texts[i]), texts[i][1]) for i in ids)
    for i, analysis in zip(ids, app.analyser.stream(docs), strict=True):
        quoted = cw.match(
            analysis.title.lemmas,
            analysis.body.lemmas,
            ignore_exclusions=True,
            written=(analysis.title, analysis.body),
        )
        if quoted is not None:
            out[i] = quoted
    return out


def _forms(app: ServiceContext, written: Sequence[str], lemmas: tuple[str, ...]) -> list[str]:
    """The ways to write a concept: the watch's words, and the lexicon's for an alias."""
    known = app.analyser.variants(lemmas[0]) if len(lemmas) == 1 else []
    return [*written, *known]


def preview(
    app: ServiceContext,
    name: str,
    spec: rule.WatchSpec,
    days: int = PREVIEW_DAYS,
    topic: str = "preview",
    tenant: str | None = None,
) -> Preview:
    """What ``spec`` would match among the articles of the last ``days`` days (``tenant``:
    that workspace reads)."""
    watch = rule.CompiledWatch.compile(topic, spec, app.analyser.lemmas)
    since = app.clock.now() - timedelta(days=days)
    rows = app.store.stored_lemmas(since, watch.lemma_words(), tenant)
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
    best = dict(sorted(hits, key=lambda h: -h[1].score)[:3])
    quoted = _quoted(app, watch, best)
    articles = {a.id: a for a in app.store.articles(list(best), tenant)}
    return Preview(
        name,
        spec,
        days,
        len(hits),
        [(articles[i], quoted[i]) for i in best if i in articles],
        excluded,
    )


def reapply(app: ServiceContext, watch: Watch, days: int = REAPPLY_DAYS) -> tuple[int, int]:
    """Match the watch again over the last ``days`` days from stored lemmas; (before, after)."""
    cw = compiled(app, watch)
    since = app.clock.now() - timedelta(days=days)
    hits: dict[int, rule.Hit] = {}
    for row in app.store.stored_lemmas(since, cw.lemma_words()):
        hit = cw.match(row.title, row.body, row.source)
        if hit is not None:
            hits[row.id] = hit
    found = {i: (h.score, list(h.evidence)) for i, h in _quoted(app, cw, hits).items()}
    return app.store.replace_watch_matches(watch.topic, since, found)


@dataclass(slots=True)
class Proposal:
    """A watch as it would be saved, with its preview; nothing is saved yet."""

    workspace: Workspace
    name: str
    spec: rule.WatchSpec
    edit: bool
    preview: Preview
    current: Watch | None  # the watch an edit would change
    follow: list[str] = field(default_factory=list)  # keyword sources to add: google, naver


@dataclass(frozen=True, slots=True)
class WatchChange:
    """A watch to add (``edit``: a change of one) as ``user`` asked for it: its name and words."""

    workspace: Workspace
    name: str
    words: Sequence[str]
    user: str
    edit: bool = False


def propose(app: ServiceContext, change: WatchChange) -> Proposal:
    """Check a new watch (``edit``: a change of one) and preview it, saving nothing."""
    workspace, words, edit = change.workspace, change.words, change.edit
    require_admin(app.settings, change.user)
    name = check_name(app, change.name)
    follow = [w.split(":", 1)[1] for w in words if w.lower().startswith("follow:")]
    spec = parse_spec([w for w in words if not w.lower().startswith("follow:")])
    for kind in follow:
        sources.parse_kind(kind)  # a bad kind is refused before anything is saved
    existing = {w.name: w for w in list_watches(app, workspace)}
    if edit and name not in existing:
        raise NotFound("watch.unknown", name=name)
    if not edit and name in existing:
        raise UserError("watch.exists", name=name)
    if not edit and len(existing) >= MAX_WATCHES:
        raise UserError("watch.too_many", max=MAX_WATCHES)
    current = existing.get(name)
    topic = current.topic if current else "preview"
    shown = preview(app, name, spec, topic=topic, tenant=workspace_tenant(workspace))
    return Proposal(workspace, name, spec, edit, shown, current, follow)


def save(app: ServiceContext, change: WatchChange) -> Saved:
    """Add a watch (``edit``: change an existing one) once confirmed, re-apply it and preview
    it.  A word ``follow:google`` or ``follow:naver`` also follows the watch's terms as a keyword
    source of the workspace (:mod:`bot.services.sources`), so the watch has articles from every
    outlet."""
    proposal = propose(app, change)
    workspace, user = change.workspace, change.user
    tenant = workspace_tenant(workspace)
    query = " ".join(proposal.spec.terms + proposal.spec.required)
    followed = [sources.add_source(app, k, query, tenant=tenant).feed for k in proposal.follow]
    watch = app.store.save_watch(
        workspace.platform, workspace.id, proposal.name, proposal.spec.as_dict(), user=user
    )
    before, after = reapply(app, watch)
    saved = Saved(watch, not change.edit, before, after, proposal.preview)
    saved.followed = followed
    return saved


def remove(app: ServiceContext, workspace: Workspace, name: str, *, user: str) -> Watch:
    require_admin(app.settings, user)
    watch = get(app, workspace, name)
    app.store.remove_watch(watch.id)
    return watch
