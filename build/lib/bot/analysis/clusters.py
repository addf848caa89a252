"""Story clusters: the same story from several outlets becomes one digest entry.

Each article's body is reduced to its lemma bigrams ("shingles") and summarised by a 64-value
MinHash signature (computed with numpy over all bigrams at once).  Locality-sensitive hashing
finds the earlier articles worth comparing: the signature is cut into ``BANDS`` bands of
``ROWS`` values, and two articles are candidates when any band is identical (the band sizes are
the ones datasketch's ``MinHashLSH`` chooses for a 0.4 threshold and 64 permutations: a rewrite
at Jaccard 0.65 is a candidate 96% of the time, unrelated text almost never).  A candidate whose
estimated Jaccard similarity reaches ``THRESHOLD`` is a match, and the new article joins the
cluster of the most similar one.  Wire copy and light rewrites share most bigrams; a different
story on the same topic shares the topic's words but few bigrams (measured: a rewrite 0.65,
seeds on the same topics at most 0.04).  Only articles seen in the last ``WINDOW_DAYS`` are
compared: a long-running process forgets older ones as it goes, so its index stays the size of
the window.

The bands are dictionaries keyed by the band's bytes, kept here rather than in datasketch's
``MinHashLSH``: its generic storage cost 50 µs per article (half of clustering), this costs 9,
and the same bands give the same candidates.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import numpy as np

from bot.core.clock import Clock
from bot.store.views import Signature

NUM_PERM = 64
BANDS, ROWS = 16, 4  # BANDS * ROWS == NUM_PERM
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


def signature(lemmas: Sequence[str]) -> np.ndarray:
    """The MinHash of the article's lemma bigrams: ``NUM_PERM`` values below 2**32, as uint64."""
    hashes = np.array(_hashes(lemmas), dtype=np.uint64)
    # one value per bigram (a text shorter than a bigram is its own shingle)
    grams = (hashes[:-1] * _MIX + hashes[1:]) & _MASK if len(hashes) >= SHINGLE else hashes
    if not len(grams):
        values = np.full(NUM_PERM, _MASK, dtype=np.uint64)
    else:
        values = (_mod_prime(np.multiply.outer(grams, _A) + _B) & _MASK).min(axis=0)
    return values


def _mod_prime(x: np.ndarray) -> np.ndarray:
    """``x % (2**61 - 1)`` for uint64 values, with shifts and adds instead of a division
    (2**61 is 1 modulo the prime, so the high bits fold onto the low ones); in place."""
    low = x & _PRIME
    x >>= _SHIFT
    low += x
    np.subtract(low, _PRIME, out=low, where=low >= _PRIME)
    return low


def to_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint64).copy()


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The share of equal signature values: an estimate of the bigram sets' Jaccard index."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


_BAND_BYTES = ROWS * 8
WINDOW = timedelta(days=WINDOW_DAYS)


class Clusterer:
    def __init__(
        self, threshold: float = THRESHOLD, now: Callable[[], datetime] | None = None
    ) -> None:
        self.threshold = threshold
        self.now = now or Clock().now
        self.bands: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]
        self.cluster_of: dict[int, int] = {}
        self.sigs: dict[int, np.ndarray] = {}
        self._seen: deque[tuple[datetime, int]] = deque()  # (seen, article id), oldest first

    def load(self, rows: Sequence[Signature]) -> None:
        for row in rows:
            data = row.minhash
            if len(data) == NUM_PERM * 8:  # a signature of another size is from elsewhere
                self._insert(row.article_id, row.cluster_id, from_bytes(data), data, row.seen_at)

    def _insert(
        self, article_id: int, cluster_id: int, sig: np.ndarray, raw: bytes, seen: datetime
    ) -> None:
        if article_id in self.sigs:
            return
        for band, key in zip(self.bands, _band_keys(raw), strict=True):
            band.setdefault(key, []).append(article_id)
        self.sigs[article_id] = sig
        self.cluster_of[article_id] = cluster_id
        self._seen.append((seen, article_id))

    def forget_before(self, cutoff: datetime) -> None:
        """Drop the articles seen before ``cutoff`` (they are no longer compared)."""
        while self._seen and self._seen[0][0] < cutoff:
            _, article_id = self._seen.popleft()  # ``_insert`` put it in every band
            del self.cluster_of[article_id]
            raw = to_bytes(self.sigs.pop(article_id))
            for band, key in zip(self.bands, _band_keys(raw), strict=True):
                ids = band[key]
                ids.remove(article_id)
                if not ids:
                    del band[key]

    def candidates(self, raw: bytes) -> set[int]:
        """Earlier articles that share at least one band with this signature."""
        found: set[int] = set()
        for band, key in zip(self.bands, _band_keys(raw), strict=True):
            ids = band.get(key)
            if ids:
                found.update(ids)
        return found

    def assign(self, article_id: int, lemmas: Sequence[str]) -> tuple[bytes, int]:
        """(signature bytes, cluster id) for an article; the cluster id is its own id when it
        matches nothing earlier."""
        if article_id in self.sigs:
            return to_bytes(self.sigs[article_id]), self.cluster_of[article_id]
        now = self.now()
        self.forget_before(now - WINDOW)
        sig = signature(lemmas)
        raw = to_bytes(sig)
        best, best_sim = None, 0.0
        for other in self.candidates(raw):
            sim = jaccard(sig, self.sigs[other])
            if sim >= self.threshold and (
                sim > best_sim or (sim == best_sim and other < (best or other))
            ):
                best, best_sim = other, sim
        cluster_id = self.cluster_of[best] if best is not None else article_id
        self._insert(article_id, cluster_id, sig, raw, now)
        return raw, cluster_id


def _band_keys(raw: bytes) -> list[bytes]:
    return [raw[i : i + _BAND_BYTES] for i in range(0, BANDS * _BAND_BYTES, _BAND_BYTES)]
