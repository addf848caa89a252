"""Story clusters: the same story from several outlets becomes one digest entry.

Each article's body is reduced to the set of its lemma 3-grams ("shingles"), summarised by a
MinHash signature (datasketch, 128 permutations); an LSH index finds earlier articles whose
estimated Jaccard similarity reaches ``THRESHOLD``, and the new article joins the cluster of the
most similar one.  Wire copy and light rewrites share most 3-grams; a different story on the same
topic shares the topic's words but few 3-grams.  Only articles seen in the last ``WINDOW_DAYS``
are compared.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.45
WINDOW_DAYS = 14
SHINGLE = 3


def shingles(lemmas: Sequence[str], k: int = SHINGLE) -> set[bytes]:
    if len(lemmas) < k:
        return {" ".join(lemmas).encode()} if lemmas else set()
    return {" ".join(lemmas[i : i + k]).encode() for i in range(len(lemmas) - k + 1)}


def signature(lemmas: Sequence[str]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM)
    sh = shingles(lemmas)
    if sh:
        mh.update_batch(list(sh))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64).copy())


class Clusterer:
    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.cluster_of: dict[int, int] = {}
        self.sigs: dict[int, MinHash] = {}

    def load(self, rows: Sequence[tuple[int, int, bytes]]) -> None:
        for article_id, cluster_id, data in rows:
            self._insert(article_id, cluster_id, from_bytes(data))

    def _insert(self, article_id: int, cluster_id: int, mh: MinHash) -> None:
        if article_id in self.sigs:
            return
        self.lsh.insert(str(article_id), mh)
        self.sigs[article_id] = mh
        self.cluster_of[article_id] = cluster_id

    def assign(self, article_id: int, lemmas: Sequence[str]) -> tuple[bytes, int]:
        """(signature bytes, cluster id) for an article; the cluster id is its own id when it
        matches nothing earlier."""
        if article_id in self.sigs:
            return to_bytes(self.sigs[article_id]), self.cluster_of[article_id]
        mh = signature(lemmas)
        best, best_sim = None, 0.0
        for key in self.lsh.query(mh):
            other = int(key)
            sim = mh.jaccard(self.sigs[other])
            if sim >= self.threshold and (
                sim > best_sim or (sim == best_sim and other < (best or other))
            ):
                best, best_sim = other, sim
        cluster_id = self.cluster_of[best] if best is not None else article_id
        self._insert(article_id, cluster_id, mh)
        return to_bytes(mh), cluster_id
