"""Dedup keys of a batch of drafts, and the replacement of a stored copy by the report that
outranks it (the rules are :mod:`bot.store.articles`'s docstring)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config.outlets import is_feed_label, rank
from bot.store.drafts import Draft
from bot.store.models import ArticleRow

SAME_ARTICLE_WINDOW = timedelta(hours=12)
_NOT_WORD = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"^\s*[\[【(<〈《][^\]】)>〉》]{1,20}[\]】)>〉》]\s*")


def title_key(title: str) -> str:
    """A title as the same article's copies share it: NFKC, lower-case, a leading ``[단독]``-style
    tag and every space and punctuation mark dropped."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = _BRACKETED.sub("", text)
    return _NOT_WORD.sub("", text)[:300]


def _titled(d: Draft) -> bool:
    """Whether the draft can be matched on outlet + title + time."""
    return bool(d.source) and not is_feed_label(d.source) and d.published_at is not None


def draft_values(d: Draft, digest: str) -> dict[str, Any]:
    """The columns a draft fills in its article row (stored new, or replacing a copy)."""
    return {
        "kind": d.kind,
        "feed_id": d.feed_id,
        "origin": d.origin,
        "identity": d.identity,
        "url": d.url,
        "canonical_url": d.dedup_url,
        "claimed_url": d.claimed_url,
        "content_hash": digest,
        "title": d.title,
        "title_key": title_key(d.title),
        "body": d.body,
        "source": d.source,
        "owner": d.owner,
        "published_at": d.published_at,
        "published_date_only": d.date_only,
    }


def replace_copy(s: Session, article_id: int, d: Draft, digest: str) -> None:
    """The stored copy ``article_id`` becomes the draft's report (rules in the module
    docstring); a changed text is analysed again (its story stays)."""
    row = s.get(ArticleRow, article_id)
    if row is None:
        return
    changed = (row.title, row.body) != (d.title, d.body)
    values = draft_values(d, digest)
    if changed:
        values["topics_hash"] = None
    try:
        with s.begin_nested():
            s.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(**values))
    except IntegrityError:  # another stored item holds the draft's URL or text: keep both
        pass
    s.expire(row)


class Held:
    """The dedup keys of a batch that the store (or the batch itself) already holds: for a
    content hash or a canonical URL, the holding article's id and rank."""

    def __init__(self) -> None:
        self.hashes: dict[str, tuple[int, int]] = {}
        self.urls: dict[str, tuple[int, int]] = {}
        self.identities: set[tuple[int, str]] = set()
        # (owner, outlet, title key) -> [(published, (id, rank))]
        self.titles: dict[tuple[str | None, str, str], list[tuple[datetime, tuple[int, int]]]]
        self.titles = defaultdict(list)

    @classmethod
    def load(cls, s: Session, chunk: list[Draft], hashes: list[str]) -> Held:
        seen = cls()
        urls = [d.dedup_url for d in chunk if d.dedup_url]
        idents = [(d.feed_id, d.identity) for d in chunk if d.identity and d.feed_id is not None]
        conds: list[Any] = [ArticleRow.content_hash.in_(hashes)]
        if urls:
            conds.append(ArticleRow.canonical_url.in_(urls))
        for feed_id in {f for f, _ in idents}:
            names = [i for f, i in idents if f == feed_id]
            conds.append(and_(ArticleRow.feed_id == feed_id, ArticleRow.identity.in_(names)))
        rows = s.execute(
            select(
                ArticleRow.id,
                ArticleRow.content_hash,
                ArticleRow.canonical_url,
                ArticleRow.feed_id,
                ArticleRow.identity,
                ArticleRow.source,
                ArticleRow.url,
                ArticleRow.owner,
            ).where(or_(*conds))
        )
        for article_id, digest, url, feed, identity, source, link, owner in rows:
            held = (article_id, rank(source, link, owner))
            seen.hashes[digest] = held
            if url:
                seen.urls[url] = held
            if feed is not None and identity:
                seen.identities.add((feed, identity))
        seen._load_titles(s, [d for d in chunk if _titled(d)])
        return seen

    def _load_titles(self, s: Session, titled: list[Draft]) -> None:
        """The stored articles of the drafts' outlets published near them."""
        if not titled:
            return
        times = [d.published_at for d in titled if d.published_at is not None]
        rows = s.execute(
            select(
                ArticleRow.id,
                ArticleRow.title,
                ArticleRow.source,
                ArticleRow.url,
                ArticleRow.owner,
                ArticleRow.published_at,
            ).where(
                ArticleRow.title_key.in_({title_key(d.title) for d in titled}),
                ArticleRow.source.in_({d.source for d in titled}),
                ArticleRow.published_at >= min(times) - SAME_ARTICLE_WINDOW,
                ArticleRow.published_at <= max(times) + SAME_ARTICLE_WINDOW,
            )
        )
        for article_id, title, source, link, owner, published in rows:
            if source is None or published is None:
                continue
            held = (article_id, rank(source, link, owner))
            self.titles[(owner, source, title_key(title))].append((published, held))

    def same_item(self, d: Draft) -> bool:
        """The same entry of the same feed, already stored."""
        return (
            d.feed_id is not None
            and d.identity is not None
            and (d.feed_id, d.identity) in self.identities
        )

    def holder(self, d: Draft, digest: str) -> tuple[int, int] | None:
        """(id, rank) of the article holding the draft's text or link, if any."""
        held = self.hashes.get(digest)
        if held is None and d.dedup_url is not None:
            held = self.urls.get(d.dedup_url)
        if held is None and _titled(d):
            assert d.source is not None and d.published_at is not None
            for published, candidate in self.titles.get(
                (d.owner, d.source, title_key(d.title)), []
            ):
                if abs(published - d.published_at) <= SAME_ARTICLE_WINDOW:
                    return candidate
        return held

    def add(self, d: Draft, digest: str, article_id: int = 0) -> None:
        held = (article_id, rank(d.source, d.url, d.owner))
        self.hashes[digest] = held
        if d.dedup_url:
            self.urls[d.dedup_url] = held
        if d.feed_id is not None and d.identity:
            self.identities.add((d.feed_id, d.identity))
        if _titled(d):
            assert d.source is not None and d.published_at is not None
            key = (d.owner, d.source, title_key(d.title))
            self.titles[key].append((d.published_at, held))
