"""Story clusters: the same story from several outlets becomes one digest entry.

Each article's body is reduced to its lemma bigrams ("shingles"), summarised by a 64-value
MinHash signature (computed with numpy over all bigrams at once); datasketch's LSH index finds
earlier articles whose
estimated Jaccard similarity reaches ``THRESHOLD``, and the new article joins the cluster of the
most similar one.  Wire copy and light rewrites share most bigrams; a different story on the same
topic shares the topic's words but few bigrams (measured: a rewrite 0.65, seeds on the same topics at most 0.04).  Only articles seen in the last ``WINDOW_DAYS``
are compared.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import LeanMinHash

NUM_PERM = 64
SCHEME = "legacy"  # values below 2**32 kept as uint64, as datasketch's legacy scheme does
THRESHOLD = 0.4
WINDOW_DAYS = 14
SHINGLE = 2

# MinHash by universal hashing modulo the Mersenne prime 2**61 - 1, vectorised with numpy over
# all of an article's bigrams at once (the permutations are fixed by the seed, so stored
# signatures stay comparable across processes and restarts).
_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64((1 << 32) - 1)
_MIX = np.uint64(0x9E3779B1)
_SHIFT = np.uint64(61)
_rng = np.random.RandomState(1)
_A = _rng.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_lemma_hashes: dict[str, int] = {}


def _hashes(lemmas: Sequence[str]) -> list[int]:
    """CRC-32 of each lemma (stable across processes, unlike ``hash``), remembered."""
    known = _lemma_hashes
    try:
        return [known[lemma] for lemma in lemmas]
    except KeyError:
        pass
    out = []
    for lemma in lemmas:
        value = known.get(lemma)
        if value is None:
            value = zlib.crc32(lemma.encode())
            if len(known) < 500_000:
                known[lemma] = value
        out.append(value)
    return out


def shingles(lemmas: Sequence[str], k: int = SHINGLE) -> set[tuple[str, ...]]:
    """The lemma k-grams of a text (what the signature summarises)."""
    if len(lemmas) < k:
        return {tuple(lemmas)} if lemmas else set()
    return {tuple(lemmas[i : i + k]) for i in range(len(lemmas) - k + 1)}


def signature(lemmas: Sequence[str]) -> LeanMinHash:
    """The MinHash of the article's lemma bigrams."""
    hashes = np.array(_hashes(lemmas), dtype=np.uint64)
    # one value per bigram (a text shorter than a bigram is its own shingle)
    grams = (hashes[:-1] * _MIX + hashes[1:]) & _MASK if len(hashes) >= SHINGLE else hashes
    if not len(grams):
        values = np.full(NUM_PERM, _MASK, dtype=np.uint64)
    else:
        values = (_mod_prime(np.multiply.outer(grams, _A) + _B) & _MASK).min(axis=0)
    return _lean(values)


def _mod_prime(x: np.ndarray) -> np.ndarray:
    """``x % (2**61 - 1)`` for uint64 values, with shifts and adds instead of a division
    (2**61 is 1 modulo the prime, so the high bits fold onto the low ones); in place."""
    low = x & _PRIME
    x >>= _SHIFT
    low += x
    np.subtract(low, _PRIME, out=low, where=low >= _PRIME)
    return low


def _lean(values: np.ndarray) -> LeanMinHash:
    from datasketch import LeanMinHash  # imported on first use: it pulls in scipy (~0.6 s)

    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def to_bytes(mh: LeanMinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    return _lean(np.frombuffer(data, dtype=np.uint64).copy())


class Clusterer:
    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.cluster_of: dict[int, int] = {}
        self.sigs: dict[int, LeanMinHash] = {}

    def load(self, rows: Sequence[tuple[int, int, bytes]]) -> None:
        for article_id, cluster_id, data in rows:
            self._insert(article_id, cluster_id, from_bytes(data))

    def _insert(self, article_id: int, cluster_id: int, mh: LeanMinHash) -> None:
        if article_id in self.sigs:
            return
        self.lsh.insert(str(article_id), mh, check_duplication=False)  # sigs guards it
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
