"""Near-duplicate articles: MinHash signatures of word shingles and an LSH band index.

Syndicated copies of one story and re-scrapes of one page with other furniture share most of
their 5-word shingles, so their estimated Jaccard similarity (the fraction of equal min-hashes)
stays high, while different stories on the same topic share few. Everything is deterministic
across processes, runs and machines (blake2b word hashes, permutation parameters drawn from a
fixed seed with blake2b rather than ``hash()`` or numpy's RNG, whose streams may change), so
signatures and band keys can be stored in the database and compared later.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

NUM_PERM = 128
# 32 bands x 4 rows: a pair is an LSH candidate with probability 1 - (1 - s**4)**32, steep around
# (1/32)**(1/4) = 0.42 and 0.988 at THRESHOLD (16x8, steep at 0.71, gives 0.24 there). Measured:
# 99.98% of the benchmark's positive pairs >= THRESHOLD share a band key (16x8: 65%).
BANDS = 32
ROWS = 4
# `.venv/bin/python benchmarks/dedup.py`: 1,514 idrw articles, 12,113 positive pairs (copies with
# other furniture/byline, sentence edits, truncation, combined), 5,500 negatives (2,500 hard):
#   T=0.50 P=0.9996 R=0.699 F1=0.823, 3 false merges (real pairs: NOTAMs for other dates 0.59)
#   T=0.55 P=0.9997 R=0.577 F1=0.731, 2 false merges
#   T=0.60 P=1.000  R=0.472 F1=0.641, none: the lowest threshold without a false merge
#   T=0.65 P=1.000  R=0.358 F1=0.527
# Recall at 0.60: new furniture and byline 0.93, truncated 0.998, edited 0.75; edits combined
# with truncation or furniture 0.01-0.45 (such copies keep as few shingles as templated reports).
THRESHOLD = 0.6

SEED = b"armswatch-dedup-v1"
K = TypeVar("K")
_MERSENNE = (1 << 61) - 1
_EMPTY = (1 << 64) - 1  # min-hash of an empty text: no real value (< 2**61 - 1) can equal it
_MASK32 = np.uint64(0xFFFFFFFF)
_MASK29 = np.uint64((1 << 29) - 1)
_P = np.uint64(_MERSENNE)
_CHUNK = 128  # shingles per block: 128 x 128 uint64 buffers stay in cache
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_APOSTROPHE = re.compile(r"['’‘`´]")
_WORD = re.compile(r"[^\W_]+")

U64 = npt.NDArray[np.uint64]


def _draw(label: str, index: int, low: int) -> int:
    digest = hashlib.blake2b(f"{label}:{index}".encode(), digest_size=8, key=SEED).digest()
    return low + int.from_bytes(digest, "little") % (_MERSENNE - low)


# (a, b) of the universal hash family h(x) = (a*x + b) mod (2**61 - 1), one pair per permutation.
PERM_A: tuple[int, ...] = tuple(_draw("a", i, 1) for i in range(NUM_PERM))
PERM_B: tuple[int, ...] = tuple(_draw("b", i, 0) for i in range(NUM_PERM))
_A = np.array(PERM_A, dtype=np.uint64)[:, None]
_A_HI, _A_LO = _A >> np.uint64(32), _A & _MASK32
_B = np.array(PERM_B, dtype=np.uint64)[:, None]


def normalise(text: str) -> list[str]:
    """Return the words of ``text``: casefolded, apostrophes dropped, other punctuation split."""
    return _WORD.findall(_APOSTROPHE.sub("", text.casefold()))


def _shingle_hashes(text: str, k: int) -> U64:
    """Return the sorted unique 64-bit hashes of the ``k``-word shingles of ``text``."""
    if k < 1:
        raise ValueError(f"shingle size must be at least 1, not {k}")
    words = normalise(text)
    if not words:
        return np.empty(0, dtype=np.uint64)
    vocabulary: dict[str, int] = {}
    ids = np.array([vocabulary.setdefault(w, len(vocabulary)) for w in words], dtype=np.intp)
    digests = b"".join(hashlib.blake2b(w.encode(), digest_size=8).digest() for w in vocabulary)
    word_hashes = np.frombuffer(digests, dtype="<u8").astype(np.uint64)[ids]
    width = min(k, len(words))  # a text shorter than k words is one shingle of all its words
    count = len(words) - width + 1
    h = np.full(count, _FNV_OFFSET, dtype=np.uint64)
    for j in range(width):  # FNV-1a over word hashes: order-sensitive, wraps mod 2**64
        h = (h ^ word_hashes[j : j + count]) * _FNV_PRIME
    h ^= h >> np.uint64(30)  # splitmix64 finaliser, to spread the FNV bits over all 64
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return np.unique(h)


def shingles(text: str, k: int = 5) -> set[int]:
    """Return the 64-bit hashes of the ``k``-word shingles of the normalised ``text``.

    A text of fewer than ``k`` words gives one shingle of all its words; an empty text none.
    """
    return set(_shingle_hashes(text, k).tolist())


def _mod_mersenne(x: U64) -> U64:
    """Return ``x mod (2**61 - 1)`` for any uint64 ``x``."""
    x = (x & _P) + (x >> np.uint64(61))
    return np.minimum(x, x - _P)  # x - P wraps to a huge value when x < P


def _min_hashes(x: U64) -> U64:
    """Return min over ``x`` of (a*x + b) mod (2**61 - 1) for each permutation, exactly."""
    x = _mod_mersenne(x)
    result = np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    shape = (NUM_PERM, min(_CHUNK, x.size))
    ll, mid, total, tmp = (np.empty(shape, dtype=np.uint64) for _ in range(4))
    for start in range(0, x.size, _CHUNK):
        block = x[start : start + _CHUNK]
        if block.size != ll.shape[1]:
            ll, mid, total, tmp = (a[:, : block.size] for a in (ll, mid, total, tmp))
        x_hi = (block >> np.uint64(32))[None, :]  # x = x_hi * 2**32 + x_lo, x_hi < 2**29
        x_lo = (block & _MASK32)[None, :]
        # a*x = hh * 2**64 + mid * 2**32 + ll, and 2**61 = 1 (mod P), so 2**64 = 8
        np.multiply(_A_LO, x_lo, out=ll)
        np.multiply(_A_LO, x_hi, out=mid)
        mid += np.multiply(_A_HI, x_lo, out=tmp)  # < 2**62
        np.multiply(_A_HI, x_hi, out=total)
        total <<= np.uint64(3)  # hh * 8 < 2**61
        # mid * 2**32 = (mid >> 29) * 2**61 + (mid & M29) * 2**32
        total += np.right_shift(mid, np.uint64(29), out=tmp)
        mid &= _MASK29
        mid <<= np.uint64(32)
        total += mid
        total += np.right_shift(ll, np.uint64(61), out=tmp)
        ll &= _P
        total += ll
        total += _B  # six terms, each below 2**61: no overflow
        np.minimum(result, _mod_mersenne(total).min(axis=1), out=result)
    return result


@dataclass(frozen=True)
class Signature:
    """The ``NUM_PERM`` min-hashes of an article's shingles (all ``2**64-1`` for empty text)."""

    values: tuple[int, ...]

    @property
    def empty(self) -> bool:
        """True for the signature of a text without words, which is similar to nothing."""
        return all(v == _EMPTY for v in self.values)

    def to_bytes(self) -> bytes:
        """Return the min-hashes as little-endian uint64 (8 * NUM_PERM bytes) for a BLOB."""
        return np.array(self.values, dtype="<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Return the signature stored by ``to_bytes``."""
        if len(data) != 8 * NUM_PERM:
            raise ValueError(f"a signature is {8 * NUM_PERM} bytes, not {len(data)}")
        return cls(tuple(np.frombuffer(data, dtype="<u8").tolist()))

    def band_keys(self) -> list[str]:
        """Return one LSH key per band, ``"{band}:{16 hex digits}"``; none for an empty text.

        Two signatures sharing a key agree on all ``ROWS`` min-hashes of that band.
        """
        if self.empty:
            return []
        raw, size = self.to_bytes(), 8 * ROWS
        digests = (
            hashlib.blake2b(raw[i : i + size], digest_size=8) for i in range(0, len(raw), size)
        )
        return [f"{band}:{digest.hexdigest()}" for band, digest in enumerate(digests)]

    def similarity(self, other: Signature) -> float:
        """Return the fraction of equal min-hashes (estimated Jaccard); 0.0 if either is empty."""
        if len(self.values) != len(other.values):
            raise ValueError("signatures of different lengths")
        if self.empty or other.empty:
            return 0.0
        equal = sum(a == b for a, b in zip(self.values, other.values, strict=True))
        return equal / len(self.values)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: the min-hashes as 16-digit hex strings, and emptiness."""
        return {"values": [f"{v:016x}" for v in self.values], "empty": self.empty}


def signature(text: str) -> Signature:
    """Return the MinHash signature of the 5-word shingles of ``text``."""
    hashes = _shingle_hashes(text, 5)
    if not hashes.size:
        return Signature((_EMPTY,) * NUM_PERM)
    return Signature(tuple(_min_hashes(hashes).tolist()))


def is_duplicate(a: Signature, b: Signature) -> bool:
    """Return True when ``a`` and ``b`` are copies of one report (similarity >= THRESHOLD)."""
    return a.similarity(b) >= THRESHOLD


def best_match(
    sig: Signature, candidates: Iterable[tuple[K, Signature]], threshold: float = THRESHOLD
) -> K | None:
    """Return the key of the candidate ``sig`` copies: the most similar at or above
    ``threshold``, ties to the first given; None when none is similar enough."""
    best: K | None = None
    best_similarity = -1.0
    for key, other in candidates:
        similarity = sig.similarity(other)
        if similarity >= threshold and similarity > best_similarity:
            best, best_similarity = key, similarity
    return best


class DuplicateIndex:
    """In-memory LSH index of signatures: finds which earlier article a new one duplicates."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        """Create an empty index confirming candidates at ``threshold``."""
        self.threshold = threshold
        self._signatures: dict[str, Signature] = {}  # in the order added
        self._order: dict[str, int] = {}
        self._buckets: dict[str, list[str]] = {}
        self._canonical: dict[str, str] = {}

    def __len__(self) -> int:
        """Return the number of indexed items."""
        return len(self._signatures)

    def add(self, key: str, sig: Signature) -> str | None:
        """Index ``sig`` under ``key`` and return the key of the item it duplicates, or None.

        Candidates share a band key; among those with similarity >= threshold the most similar
        wins, ties going to the earliest added.
        """
        if key in self._signatures:
            raise ValueError(f"{key!r} is already indexed")
        bands = sig.band_keys()
        candidates: set[str] = set()
        for band in bands:
            candidates.update(self._buckets.get(band, ()))
        best = best_match(
            sig,
            ((c, self._signatures[c]) for c in sorted(candidates, key=self._order.__getitem__)),
            self.threshold,
        )
        self._order[key] = len(self._signatures)
        self._signatures[key] = sig
        for band in bands:
            self._buckets.setdefault(band, []).append(key)
        self._canonical[key] = key if best is None else self._canonical[best]
        return best

    def canonical(self, key: str) -> str:
        """Return the first-added item of the cluster ``key`` belongs to."""
        return self._canonical[key]

    def clusters(self) -> dict[str, list[str]]:
        """Return canonical key -> its members in the order added (singletons included).

        Clusters are transitive: a copy joins the cluster of the item it duplicates.
        """
        result: dict[str, list[str]] = {}
        for key in self._signatures:
            result.setdefault(self._canonical[key], []).append(key)
        return result
