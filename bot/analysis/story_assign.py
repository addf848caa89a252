"""Assigning stories: the store's callback that weighs a new report against each candidate
story as a whole (:func:`choose`), with the pairwise rule of :mod:`bot.analysis.stories` (whose
docstring states the whole rule)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from bot.analysis import clusters
from bot.analysis.stories import MINHASH_SAME, Profile
from bot.analysis.story_rule import (
    CLASH_SCORE,
    actors_clash,
    comparable,
    features,
    figures_clash,
    judge,
    score,
)
from bot.store.views import AnalysedRecord, StoryCandidate

# -- assigning -----------------------------------------------------------------------------------

# the mean rule score a report needs over a story's comparable members (average link), chosen
# with the threshold by five-fold cross-validation on the real tuning split (bench/stories/fit.py)
LINK = -0.5
REWRITE_SCORE = 5.0  # a MinHash rewrite's part in that mean
PROFILE_CACHE = 50_000  # parsed profiles kept (they never change)


class StoryRule:
    """The store's ``assign`` callback (:mod:`bot.store.stories`): the earlier article a new one
    is a report of, by :func:`~bot.analysis.story_rule.same_story`, best first; ties go to the
    earliest story."""

    def __init__(self, *, minhash_only: bool = False) -> None:
        self.minhash_only = minhash_only  # the old rule (rewrites only): the baseline
        self._profiles: OrderedDict[int, Profile] = OrderedDict()

    def known(self, article_id: int) -> bool:
        """Whether the profile of ``article_id`` is held (the store then need not load it)."""
        return article_id in self._profiles

    def _profile(self, candidate: StoryCandidate) -> Profile:
        found = self._profiles.get(candidate.id)
        if found is None:
            found = Profile.from_json(candidate.story, candidate.when)
            self._remember(candidate.id, found)
        return found

    def _remember(self, article_id: int, found: Profile) -> None:
        self._profiles[article_id] = found  # trimmed after each call, never during one

    def __call__(self, record: AnalysedRecord, candidates: list[StoryCandidate]) -> int | None:
        assert record.story is not None and record.when is not None
        me = getattr(record.story, "profile", None)  # the pipeline's own (Profile.as_json)
        if me is None or me.when != record.when:
            me = Profile.from_json(record.story, record.when)
        similar = _similarities(record.minhash, candidates)
        votes: dict[int, list[float | None]] = {}  # (the old rule) story: its members' verdicts
        compared: dict[int, list[Member]] = {}  # story: its comparable members
        for candidate, mh in zip(candidates, similar, strict=True):
            other = self._profile(candidate)
            if self.minhash_only:
                votes.setdefault(candidate.cluster_id, []).append(
                    mh if mh >= MINHASH_SAME else None
                )
            elif comparable(me, other):  # (another time: no say)
                found = judge(me, other, mh)
                compared.setdefault(candidate.cluster_id, []).append((other, mh, found))
        self._remember(record.id, me)
        while len(self._profiles) > PROFILE_CACHE:
            self._profiles.popitem(last=False)
        if self.minhash_only:
            return choose(votes, {}, single_link=True)
        return decide(me, compared)


Member = tuple[Profile, float, float | None]  # a story's member, its MinHash similarity, verdict


def decide(me: Profile, compared: dict[int, list[Member]]) -> int | None:
    """The story the report ``me`` joins (:func:`choose`), from each candidate story's comparable
    members with their MinHash similarity and :func:`~bot.analysis.story_rule.judge` verdict; the
    mean (:func:`link`) is worked out only for a story the report may join."""
    votes = {story: [found for *_, found in members] for story, members in compared.items()}
    means = {
        story: link(me, compared[story])
        for story, found in votes.items()
        if any(f is not None for f in found)
    }
    return choose(votes, means)


def link(me: Profile, members: list[Member]) -> float:
    """The mean rule score of a report with a story's comparable ``members`` (each with its
    MinHash similarity and :func:`~bot.analysis.story_rule.judge` verdict): a member it passes
    with counts its score (a rewrite :data:`REWRITE_SCORE`), one whose figures or unknown
    company clash :data:`~bot.analysis.story_rule.CLASH_SCORE`, any other the linear score of
    their features whatever the gates."""
    total = 0.0
    for other, mh, found in members:
        if found is not None:
            total += REWRITE_SCORE if found >= 100.0 else found
        elif figures_clash(me, other) or actors_clash(me, other):
            total += CLASH_SCORE
        else:
            total += score(features(me, other, mh))
    return total / len(members) if members else 0.0


def choose(
    votes: dict[int, list[float | None]], means: dict[int, float], *, single_link: bool = False
) -> int | None:
    """The story a report joins, from each candidate story's verdicts
    (:func:`~bot.analysis.story_rule.same_story` of the report with each comparable member; None:
    not one story) and ``means`` (:func:`link`, for the stories with a verdict): a rewrite of any
    member (MinHash) joins, else the report must pass the rule with one member at least and
    score :data:`LINK` or more on average over all of them (average link: a report like one
    member and unlike the rest stays out); among the stories that pass, the highest mean
    verdict wins, ties to the earliest story."""
    best, best_score = None, 0.0
    for story, found in votes.items():
        passed = [f for f in found if f is not None]
        if not passed:
            continue
        if single_link or max(passed) >= 100.0:
            value = max(passed)
        elif means[story] >= LINK:
            value = sum(passed) / len(passed)
        else:
            continue
        if best is None or value > best_score or (value == best_score and story < best):
            best, best_score = story, value
    return best


def _similarities(raw: bytes | None, candidates: Sequence[StoryCandidate]) -> list[float]:
    """Each candidate's MinHash similarity to the signature ``raw`` (:func:`clusters.jaccard`;
    0.0 where either has none, or one of another size, from elsewhere), in one numpy step."""
    size = clusters.NUM_PERM * 8
    if raw is None or len(raw) != size or not candidates:
        return [0.0] * len(candidates)
    signatures = [c.minhash for c in candidates]
    if all(m is not None and len(m) == size for m in signatures):  # (as a rule: no gaps to mind)
        theirs = np.frombuffer(b"".join(signatures), dtype=np.uint64)  # type: ignore[arg-type]
        equal = np.count_nonzero(
            theirs.reshape(len(signatures), -1) == np.frombuffer(raw, dtype=np.uint64), axis=1
        )
        return (equal / clusters.NUM_PERM).tolist()
    out = [0.0] * len(candidates)
    have = [(i, m) for i, m in enumerate(signatures) if m and len(m) == size]
    if have:
        theirs = np.frombuffer(b"".join(m for _, m in have), dtype=np.uint64).reshape(len(have), -1)
        equal = np.count_nonzero(theirs == np.frombuffer(raw, dtype=np.uint64), axis=1).tolist()
        for (i, _), n in zip(have, equal, strict=True):
            out[i] = n / clusters.NUM_PERM
    return out
