r"""Template language and text reuse: passages two reports share, boilerplate most reports share, last year repeated.

Local reports copy their superiors' documents, each other and their own previous year. This module finds, for a
corpus of any size, every passage of at least :attr:`ReuseSettings.min_chars` characters that two reports share,
with offsets on both sides (normalised and raw), and separates the boilerplate most reports share (slogans, the
standard opening) from pairwise copying.

How (and why so):

1. **Content characters.** Each report's normalised text (``texts.text``) is reduced to its Han characters,
   letters and digits: white space and punctuation are dropped, so that a passage copied with another comma or
   line break is still one passage. An array keeps, for every content character, its offset in the normalised
   text, so every passage is reported in normalised offsets (``start_a`` …) and, through the caller's
   ``to_raw`` (the store's map; :meth:`helpers.normalise.NormalisedText.spans_to_raw`), in raw offsets.
   A passage's ``text`` is side A's normalised text of the span; side B holds the same content characters
   (punctuation and white space inside may differ). The ``passages`` and ``boilerplate`` tables in memory hold
   the offsets only; the text is cut from the report's text when a table is written or shown
   (:func:`passage_texts`, :func:`boilerplate_texts`): at 2·10⁴ reports the passages' text is 0.6 GB and the
   boilerplate's 0.25 GB, and a notebook held them to its end.
2. **Shingles** of :attr:`~ReuseSettings.shingle_chars` = 10 content characters (a 10-gram of Chinese is rarely
   shared by chance, and the genre's stock phrases — 深入学习贯彻习近平法治思想 — are 10–15 characters), each hashed
   to 64 bits (a polynomial hash, mixed with splitmix64; vectorised).
3. **Candidates by MinHash LSH.** The question is passages, not whole reports, so the unit of the sketch is a
   paragraph (a line of the normalised text; lines shorter than ``min_chars`` joined to the next; a line of more
   than 400 content characters cut into windows of 200 with a stride of 100). Each unit's shingles are sketched
   by datasketch's :class:`datasketch.MinHash` (scheme ``affine32``, :attr:`~ReuseSettings.num_perm` = 64
   permutations, seed 1; the sketch is computed for all units at once with datasketch's own permutations and
   mixer, and a test checks it equals :meth:`datasketch.MinHash.update_batch` value for value) and banded with
   the bands × rows that
   :class:`datasketch.MinHashLSH` chooses for a Jaccard threshold of :attr:`~ReuseSettings.lsh_threshold` = 0.4
   (16 × 4 at 64 permutations). The bands are bucketed by sorting in numpy rather than in MinHashLSH's
   dict-of-sets storage: that storage took 1.4–1.6 GiB and 2–3 minutes to index 3·10⁵ units of 100 shingles (as
   many as the paragraphs of 10⁴ reports), most of the scale issue's 2 GiB; a test checks that the buckets give
   the same candidates as :meth:`datasketch.MinHashLSH.query`. Two reports are a candidate pair when one of
   their units share a bucket.
   A unit is sketched on its shingles that are not boilerplate (5), and only when at least ``min_chars - 9`` are
   left; a bucket whose units come from at least :meth:`ReuseSettings.boilerplate_reports` reports yields no
   pair (else the standard opening, the title written to a template, would make every pair of reports a
   candidate: quadratic). Pairs of one unit's reports of consecutive years (metadata ``unit``, ``report_year``)
   are always aligned.
4. **Exact alignment on candidate pairs only.** The two reports' shingles are matched (sorted hashes), the matches
   grouped by diagonal, and consecutive matches merged into maximal common passages (reordered paragraphs are
   found, unlike a monotone diff); each is checked character for character. A passage is kept when it holds at
   least :attr:`~ReuseSettings.min_chars` = 20 content characters (two short clauses: below that the genre's
   stock phrases alone would match).
5. **Boilerplate.** A shingle held by at least :meth:`ReuseSettings.boilerplate_reports` reports —
   ``max(boilerplate_min_reports, min(boilerplate_max_reports, ceil(boilerplate_share × reports with text)))``,
   by default 5 % of the reports, at least 3 and at most 100 — is boilerplate. Not "most reports" (50 %): in a
   corpus of 10⁴ reports the text that 5–50 % of them hold (a part heading with its year, a province's template,
   a slogan of the year) is template language too, not one report copying another, and as pairwise copying it
   would make candidate pairs by the million (measured on a first benchmark corpus whose headings carry the year:
   at 50 %, 17 376 of the 19 900 pairs of 200 reports were candidates). **At most 100 reports**, whatever the
   corpus's size: a passage word for word in 100 reports is a template (a city's or a province's), not copying
   between two of them, and as pairwise copying its holders make ``m (m − 1) / 2`` pairs — with 5 % alone, text
   held by 4 999 of 10⁵ reports would be 1.2·10⁷ pairs, and the search's time and memory grew faster than the
   corpus (synthetic corpus of 10⁴ reports: threshold 500, 36 529 candidate pairs, 56 s; threshold 100, 345 pairs,
   25 s; 2·10⁴ reports, threshold 100: 49 s, linear). Such a passage is in the ``boilerplate`` table with how many
   reports hold it; which pairs of its holders share it is not listed. With 5 reports the threshold is 3 (most of
   them), with 31 it is 3, with 1 000 it is 50, from 2 000 on it is 100. A stretch of at least ``min_chars``
   content characters covered by such shingles is a boilerplate passage (the ``boilerplate`` table, with how many
   reports hold it). Inside a shared passage, boilerplate stretches are
   flagged (``boilerplate`` = True) and left out of pairwise copying; a remainder shorter than ``min_chars`` goes
   with its boilerplate neighbour.

Limits: text held by fewer than the boilerplate threshold but by many reports (a template in 90 reports) makes
many candidate pairs — 4 851 at most (99 reports), whatever the corpus's size (5); a paragraph rewritten so that
fewer than about 40 % of its shingles survive is not a candidate (shorter passages inside long, otherwise different
paragraphs can be missed unless another unit of the same pair is a candidate: on the bundled five reports, two
stock phrases of 22 and 23 characters that aligning every pair finds; tests/test_reuse.py pins them).

Memory and time: the texts, each unit's band keys (16 × 8 bytes; its signature, 64 × 4, is dropped once keyed), and
one boilerplate flag per shingle (a bit a character) are held for the whole corpus, and while boilerplate is counted
each report's distinct shingles (8 bytes each), and the boilerplate shingles in an open-addressing hash table (16
bytes a slot, at most a quarter of the slots full); each report's shingles are recomputed when a pass needs them
(counting, sketching, alignment — each report with all its partners at once — and coverage). The reports holding
each distinct boilerplate stretch are counted with an automaton of the stretches' first 128 characters, not of the
whole stretches (15 MB against 0.55 GB at 10⁴ reports). What the passes freed is handed back to the system
(:mod:`helpers.memory`). On the synthetic corpora of the scale benchmark (every report drawn from the bundled
reports' items) the search's process peaks at 0.49 GiB at 10⁴ reports (14 s) and 0.71 GiB at 2·10⁴ (29 s), the
study's tables loaded (before the band keys and packed flags, 0.55 and 0.80 GiB; before boilerplate was capped at
100 reports, 0.74 GiB (56 s) and 1.27 GiB (161 s)). ``benchmarks/bench_reuse.py`` prints the figures (``make
bench``).
"""

from __future__ import annotations

import heapq
import math
import re
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, islice
from pathlib import Path

import ahocorasick
import numpy as np
import pandas as pd
import pyarrow as pa
from datasketch import MinHash, MinHashLSH
from datasketch.minhash import _fmix

from helpers import memory
from helpers.findings import Findings, cap, of
from helpers.unavailable import Note

#: ``to_raw(report_id, starts, ends) -> (raw_starts, raw_ends)``: normalised offsets → offsets into the file as read.
ToRaw = Callable[[str, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_BASE = np.uint64(1_000_003)
_EMPTY = np.zeros(0, dtype=np.uint64)

PASSAGE_COLUMNS = ["report_a", "part_a", "start_a", "end_a", "raw_start_a", "raw_end_a", "report_b", "part_b",
                   "start_b", "end_b", "raw_start_b", "raw_end_b", "chars", "content_chars", "boilerplate", "text"]
PAIR_COLUMNS = ["report_a", "report_b", "passages", "chars_a", "chars_b", "share_a_pct", "share_b_pct",
                "boilerplate_passages", "consecutive_years"]
BOILERPLATE_COLUMNS = ["text", "content_chars", "reports", "shingle_reports_min", "report_id", "part", "start", "end",
                       "raw_start", "raw_end"]
COVERAGE_COLUMNS = ["report_id", "part", "chars", "reused_chars", "boilerplate_chars", "pairwise_chars",
                    "reused_pct", "boilerplate_pct", "pairwise_pct"]
REPEAT_COLUMNS = ["report_id", "unit", "report_year", "previous_report_id", "plans_chars", "repeat_chars",
                  "repeat_pairwise_chars", "repeat_pct", "repeat_pairwise_pct"]


#: What each column of the tables holds (for the data dictionary, helpers.dictionary).
MEANINGS = {
    "report_a": "the report of side A (the earlier in corpus order)", "report_b": "the report of side B",
    "part_a": "the part of side A where the passage starts", "part_b": "the part of side B where the passage starts",
    "start_a": "first character of the passage in A, offset into A's normalised text",
    "end_a": "one past its last character in A (normalised)", "start_b": "first character in B (normalised)",
    "end_b": "one past its last character in B (normalised)",
    "raw_start_a": "first character in A, offset into A's file as read", "raw_end_a": "one past its last, in A's file",
    "raw_start_b": "first character in B, offset into B's file as read", "raw_end_b": "one past its last, in B's file",
    "chars": "characters (normalised) of the passage in A, punctuation inside included; of the part in by-part tables",
    "content_chars": "Han characters, letters and digits of the passage (the same on both sides; at least min_chars)",
    "boilerplate": "the passage is boilerplate: every character in a shingle held by ≥ the threshold's reports",
    "text": "the passage as it stands in A's normalised text",
    "passages": "pairwise passages (boilerplate left out) the two reports share",
    "chars_a": "characters of A in those passages (their union)", "chars_b": "characters of B in those passages",
    "share_a_pct": "chars_a as % of A's characters", "share_b_pct": "chars_b as % of B's characters",
    "boilerplate_passages": "boilerplate passages the two reports share (aligned with the pair)",
    "consecutive_years": "A and B are one unit's reports of consecutive years",
    "reports": "reports holding the passage whole (its content characters, in order)",
    "shingle_reports_min": "the fewest reports holding one of its 10-character shingles (≥ the threshold)",
    "report_id": "the report", "part": "the part", "start": "first character (normalised)",
    "end": "one past the last (normalised)", "raw_start": "first character in the file as read",
    "raw_end": "one past the last, in the file as read",
    "reused_chars": "characters of the part found in another report (boilerplate + pairwise)",
    "boilerplate_chars": "characters of the part in boilerplate", "pairwise_chars": "characters copied beyond boilerplate",
    "reused_pct": "reused_chars as % of the part", "boilerplate_pct": "boilerplate_chars as % of the part",
    "pairwise_pct": "pairwise_chars as % of the part", "unit": "the publishing unit (metadata)",
    "report_year": "the year reported on (metadata)",
    "previous_report_id": "the same unit's report of the year before; empty when the corpus has none",
    "plans_chars": "characters of the report's plans part(s)",
    "repeat_chars": "characters of the plans in passages shared with the previous year's report (boilerplate too)",
    "repeat_pairwise_chars": "the same, boilerplate left out", "repeat_pct": "repeat_chars as % of plans_chars",
    "repeat_pairwise_pct": "repeat_pairwise_chars as % of plans_chars",
}


@dataclass(frozen=True)
class ReuseSettings:
    """The settings of :func:`find_reuse` (module docstring: why these defaults)."""

    #: content characters per shingle.
    shingle_chars: int = 10
    #: the shortest passage reported, in content characters (Han characters, letters, digits).
    min_chars: int = 20
    #: MinHash permutations (datasketch, scheme ``affine32``) and its seed.
    num_perm: int = 64
    seed: int = 1
    #: the Jaccard similarity of two units' shingles above which LSH makes them a candidate (bands × rows chosen
    #: by :class:`datasketch.MinHashLSH` for it).
    lsh_threshold: float = 0.4
    #: text held by at least this share of the reports with text (and at least ``boilerplate_min_reports``, at
    #: most ``boilerplate_max_reports``) is boilerplate (module docstring, 5: why 5 %, why at most 100 reports).
    boilerplate_share: float = 0.05
    boilerplate_min_reports: int = 3
    boilerplate_max_reports: int = 100
    #: a line longer than ``unit_max_chars`` content characters is sketched in windows of ``unit_window``, stride
    #: ``unit_window // 2``.
    unit_max_chars: int = 400
    unit_window: int = 200

    def boilerplate_reports(self, reports: int) -> int:
        """How many reports must hold a shingle for it to be boilerplate, in a corpus of ``reports`` with text.

        ``boilerplate_share`` of them, at most ``boilerplate_max_reports``, at least ``boilerplate_min_reports``
        (the floor wins when the two disagree).

        Example:
            >>> [ReuseSettings().boilerplate_reports(n) for n in (5, 31, 1000, 2000, 10_000, 100_000)]
            [3, 3, 50, 100, 100, 100]
        """
        share = math.ceil(self.boilerplate_share * reports)
        return max(self.boilerplate_min_reports, min(self.boilerplate_max_reports, share))

    def bands(self) -> tuple[int, int]:
        """``(bands, rows)`` of the LSH, as :class:`datasketch.MinHashLSH` picks them for the threshold."""
        lsh = MinHashLSH(threshold=self.lsh_threshold, num_perm=self.num_perm)
        return int(lsh.b), int(lsh.r)


@dataclass(frozen=True)
class Reuse:
    """What :func:`find_reuse` found: its tables and the counts behind them."""

    #: one row per passage two reports share (:data:`PASSAGE_COLUMNS` but ``text``: :func:`passage_texts` cuts it),
    #: boilerplate stretches flagged.
    passages: pd.DataFrame
    #: one row per pair of reports sharing pairwise passages (:data:`PAIR_COLUMNS`).
    pairs: pd.DataFrame
    #: one row per distinct boilerplate passage (:data:`BOILERPLATE_COLUMNS` but ``text``: :func:`boilerplate_texts`
    #: cuts it): where it first stands, how many reports hold it.
    boilerplate: pd.DataFrame
    #: one row per report × part (:data:`COVERAGE_COLUMNS`): characters that appear in another report.
    coverage: pd.DataFrame
    #: one row per report (:data:`REPEAT_COLUMNS`): its plans' characters shared with the same unit's report of the
    #: year before (NA when the corpus has none).
    repeats: pd.DataFrame
    reports: int
    reports_with_text: int
    units: int
    candidate_unit_pairs: int
    candidate_pairs: int
    boilerplate_reports: int
    settings: ReuseSettings = field(default_factory=ReuseSettings)
    #: report ids → their normalised texts (a few at a time: the passages' and boilerplate's text is cut from them).
    read_texts: Callable[[Sequence[str]], Mapping[str, str]] | None = field(default=None, repr=False, compare=False)
    #: the reports in the order they were searched (the store's): the order their texts are read in to be cut.
    order: tuple[str, ...] = field(default=(), repr=False, compare=False)


# ---------------------------------------------------------------------------------------------------------------
# characters and shingles


#: Whether each character of the Basic Multilingual Plane is a content character (``str.isalnum``).
_ALNUM_BMP = np.fromiter((chr(c).isalnum() for c in range(0x10000)), dtype=bool, count=0x10000)


def content_characters(text: str) -> tuple[str, np.ndarray]:
    """The Han characters, letters and digits of ``text``, and the offset in ``text`` of each.

    Example:
        >>> compact, offsets = content_characters("一、依法，行政 A1")
        >>> compact, offsets.tolist()
        ('一依法行政A1', [0, 2, 3, 5, 6, 8, 9])
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    alnum = _ALNUM_BMP[np.minimum(codes, 0xFFFF)]
    for i in np.flatnonzero(codes > 0xFFFF):  # beyond the BMP (rare CJK extensions): asked one by one
        alnum[i] = text[i].isalnum()
    keep = np.flatnonzero(alnum)
    return codes[keep].tobytes().decode("utf-32-le"), keep.astype(np.int64)


def _codes(compact: str) -> np.ndarray:
    return np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


class _Powers:
    """``_BASE ** i`` and its inverse's powers modulo 2⁶⁴, for ``i`` below the longest text seen (grown as needed)."""

    inverse = np.uint64(pow(int(_BASE), -1, 1 << 64))  # the base is odd: invertible modulo 2⁶⁴

    def __init__(self) -> None:
        self.up = self.down = np.ones(1, dtype=np.uint64)

    def at_least(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.up) < n:
            size = max(n, 2 * len(self.up))
            with np.errstate(over="ignore"):
                self.up = np.cumprod(np.concatenate(([np.uint64(1)], np.full(size - 1, _BASE))), dtype=np.uint64)
                self.down = np.cumprod(np.concatenate(([np.uint64(1)], np.full(size - 1, self.inverse))),
                                       dtype=np.uint64)
        return self.up, self.down


_POWERS = _Powers()


def shingle_hashes(compact: str, k: int) -> np.ndarray:
    """64-bit hashes of every ``k``-character shingle of ``compact`` (one per start, ``len - k + 1`` of them).

    Each is the polynomial ``c[i]·B^(k-1) + … + c[i+k-1]`` modulo 2⁶⁴ (``B`` = :data:`_BASE`), then mixed. It is
    computed from prefix sums of ``c[t]·B^-t`` (``B`` is odd, so invertible modulo 2⁶⁴): ``(P[i+k] - P[i])·B^(i+k-1)``
    — a few passes over the text whatever ``k``, rather than two for each of its characters.
    """
    n = len(compact) - k + 1
    if n <= 0:
        return _EMPTY
    codes = _codes(compact)
    up, down = _POWERS.at_least(len(codes))
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        codes *= down[:len(codes)]
        np.cumsum(codes, out=prefix[1:])
        h = prefix[k:k + n] - prefix[:n]
        h *= up[k - 1:k - 1 + n]
        h ^= h >> np.uint64(30)  # splitmix64's finaliser: neighbouring shingles far apart
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h


def _units(text: str, pos: np.ndarray, n_shingles: int, s: ReuseSettings) -> list[tuple[int, int]]:
    """Shingle ranges ``[first, last)`` of each unit: a line, or windows of a long line (module docstring, 3).

    Lines shorter than ``min_chars`` are joined to the lines after them until the unit is that long (an item
    written as short lines is one unit, not none).
    """
    units = []
    line_start, pending = 0, None
    bounds = np.searchsorted(pos, [m.start() for m in re.finditer("\n", text)] + [len(text)])
    for line_end in bounds:
        a, b = int(line_start if pending is None else pending), int(line_end)  # content characters of the unit
        line_start = line_end
        if b - a < s.min_chars:
            pending = a
            continue
        pending = None
        if b - a <= s.unit_max_chars:
            units.append((a, min(b - s.shingle_chars + 1, n_shingles)))
            continue
        for w in range(a, b - s.unit_window // 2, s.unit_window // 2):
            units.append((w, min(w + s.unit_window, b) - s.shingle_chars + 1))
    return [(a, b) for a, b in units if b > a]


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutations datasketch draws for ``num_perm`` and ``seed`` (drawn once, not once per report)."""
    a, b = MinHash(num_perm=num_perm, seed=seed).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def minhash_signatures(hashes: np.ndarray, units: Sequence[tuple[int, int]], s: ReuseSettings,
                       keep: np.ndarray | None = None) -> np.ndarray:
    """The MinHash (datasketch ``affine32``) of each unit's shingles, one row per unit (``num_perm`` uint32).

    ``hashes[a:b]`` are unit ``(a, b)``'s shingles (only those where ``keep`` is true, when given); their low 32
    bits are what datasketch hashes. The result equals ``MinHash(num_perm, seed, hashfunc=int).update_batch(...)``
    of the same values (a test checks it); a unit with no shingle kept has datasketch's empty MinHash.
    """
    a, b = _permutations(s.num_perm, s.seed)
    out = np.empty((len(units), s.num_perm), dtype=np.uint32)
    if not len(units):
        return out
    with np.errstate(over="ignore"):
        hv = _fmix((hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32), 32).reshape(-1, 1)
        permuted = hv * a + b
    empty = np.full(s.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    for row, (first, last) in enumerate(units):
        chosen = permuted[first:last] if keep is None else permuted[first:last][keep[first:last]]
        out[row] = chosen.min(axis=0) if len(chosen) else empty
    return out


def _band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per unit × band (the band's ``rows`` values mixed), shape ``(units, bands)``."""
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            h = np.full(len(signatures), 0x9E3779B97F4A7C15, dtype=np.uint64)
            for r in range(rows):
                h = (h ^ signatures[:, band * rows + r].astype(np.uint64)) * np.uint64(0x100000001B3)
                h ^= h >> np.uint64(29)
            keys[:, band] = h
    return keys


def lsh_buckets(signatures: np.ndarray, s: ReuseSettings) -> list[np.ndarray]:
    """The LSH buckets of two or more units: arrays of unit indices sharing one band of their signatures."""
    return list(_buckets(_band_keys(signatures, *s.bands())))


def _buckets(keys: np.ndarray) -> Iterator[np.ndarray]:
    """:func:`lsh_buckets` of the units' band keys (:func:`_band_keys`, one row per unit), a band at a time."""
    bands = keys.shape[1]
    for band in range(bands):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        sorted_keys = column[order]
        starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_keys)) + 1))
        sizes = np.diff(np.concatenate((starts, [len(order)])))
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):  # most units are alone
            yield order[start:start + size]


# ---------------------------------------------------------------------------------------------------------------
# alignment


@dataclass(frozen=True)
class _Shingled:
    compact: str
    pos: np.ndarray
    hashes: np.ndarray
    #: which shingles are boilerplate (when the boilerplate was known), and the hashes' sorted order (when asked)
    boiler: np.ndarray | None = None
    order: np.ndarray | None = None


@dataclass(frozen=True)
class _Packed:
    """A report's boilerplate flags, one bit per shingle (kept for every report between the search's passes)."""

    bits: np.ndarray
    n: int

    @classmethod
    def of(cls, flags: np.ndarray) -> _Packed:
        return cls(np.packbits(flags), len(flags))

    def unpack(self) -> np.ndarray:
        return np.unpackbits(self.bits, count=self.n).astype(bool)

    def any(self) -> bool:
        return bool(self.bits.any())


@dataclass(frozen=True)
class _Report:
    """A report's id and normalised text; its shingles are computed when needed.

    Never kept for the whole corpus (12 bytes a character: 430 MB at 10⁴ reports): memory stays with the texts.
    """

    report_id: str
    text: str
    k: int

    def shingled(self, boiler: _HashSet | _Packed | np.ndarray | None = None, order: bool = False) -> _Shingled:
        """Its content characters, their offsets and shingles; which are boilerplate; the shingles' sort order.

        ``boiler``: the boilerplate shingles, or the flags computed for this report before.
        """
        compact, pos = content_characters(self.text)
        hashes = shingle_hashes(compact, self.k)
        flags = (boiler.holds(hashes) if isinstance(boiler, _HashSet) else boiler.unpack() if isinstance(boiler, _Packed)
                 else boiler)
        return _Shingled(compact, pos.astype(np.int32), hashes, flags,
                         np.argsort(hashes, kind="stable") if order else None)


def common_passages(ha: np.ndarray, hb: np.ndarray, k: int, min_chars: int) -> list[tuple[int, int, int]]:
    """Maximal passages two shingle sequences share: ``(start_a, start_b, length)`` in content characters.

    Matching shingles are grouped by diagonal (``start_a - start_b``); consecutive ones merge into one passage of
    ``matches + k - 1`` characters. Only passages of at least ``min_chars`` are returned, in order of ``start_a``.
    """
    return common_passages_many(ha, np.argsort(ha, kind="stable"), [hb], k, min_chars)[0]


#: Slots of the bitmap :func:`common_passages_many` sets from one report's shingles (a power of two).
_MATCH_BITMAP = 1 << 18


def common_passages_many(ha: np.ndarray, order: np.ndarray, others: Sequence[np.ndarray], k: int,
                         min_chars: int) -> list[list[tuple[int, int, int]]]:
    """:func:`common_passages` of ``ha`` with each of ``others``, in one pass (``order``: ``ha``'s sort order).

    One report is aligned with all its candidate partners at once: its hashes are sorted once, and the matches of
    every partner are grouped by partner and diagonal together (the same passages as pair by pair).
    """
    found: list[list[tuple[int, int, int]]] = [[] for _ in others]
    sizes = np.array([len(hb) for hb in others], dtype=np.int64)
    if not len(ha) or not sizes.sum():
        return found
    sorted_a = ha[order]
    hb = np.concatenate(list(others))
    # only the partners' shingles whose low bits some shingle of A has are looked up (a bitmap of A's: most of
    # the others are answered by it, without a binary search each)
    bitmap = np.zeros(_MATCH_BITMAP, dtype=bool)
    bitmap[(ha & np.uint64(_MATCH_BITMAP - 1)).astype(np.intp)] = True
    maybe = np.flatnonzero(bitmap[(hb & np.uint64(_MATCH_BITMAP - 1)).astype(np.intp)])
    asked = hb[maybe]
    # where each asked shingle's run of equal values in A begins, and (by the run's end, not a second binary
    # search) how many there are
    lo = np.searchsorted(sorted_a, asked, "left")
    at = np.minimum(lo, len(sorted_a) - 1)
    bounds = np.concatenate((np.flatnonzero(sorted_a[1:] != sorted_a[:-1]) + 1, [len(sorted_a)]))
    run_end = np.repeat(bounds, np.diff(np.concatenate(([0], bounds))))
    counts = np.where(sorted_a[at] == asked, run_end[at] - lo, 0)
    total = int(counts.sum())
    if not total:
        return found
    first = np.cumsum(sizes) - sizes  # where each partner's hashes begin in ``hb``
    matched = maybe[np.repeat(np.arange(len(asked)), counts)]  # positions in ``hb``
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    ii = order[np.repeat(lo, counts) + offsets]
    partner = np.repeat(np.arange(len(others)), sizes)[matched]
    jj = matched - first[partner]
    diagonal = ii - jj
    # sorted by partner, diagonal and start in A: one sort of packed keys when they fit in 63 bits (a match is
    # then the one before it plus 1 exactly when it continues its passage), else a lexsort
    i_bits, d_bits = int(len(ha)).bit_length() + 1, int(len(ha) + int(sizes.max())).bit_length() + 1
    if i_bits + d_bits + int(len(others)).bit_length() <= 62:
        key = (partner << (i_bits + d_bits)) | ((diagonal + int(sizes.max())) << i_bits) | ii
        key.sort()
        ii = key & ((1 << i_bits) - 1)
        diagonal = ((key >> i_bits) & ((1 << d_bits) - 1)) - int(sizes.max())
        partner = key >> (i_bits + d_bits)
        jj = ii - diagonal
        breaks = np.flatnonzero(np.diff(key) != 1) + 1
    else:
        sort = np.lexsort((ii, diagonal, partner))
        ii, jj, diagonal, partner = ii[sort], jj[sort], diagonal[sort], partner[sort]
        breaks = np.flatnonzero((np.diff(partner) != 0) | (np.diff(diagonal) != 0) | (np.diff(ii) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    lengths = np.diff(np.concatenate((starts, [len(ii)]))) + k - 1
    keep = starts[lengths >= min_chars]
    lengths = lengths[lengths >= min_chars]
    by = np.lexsort((lengths, jj[keep], ii[keep], partner[keep]))
    for p, a, b, n in zip(partner[keep][by].tolist(), ii[keep][by].tolist(), jj[keep][by].tolist(),
                          lengths[by].tolist()):
        found[p].append((a, b, n))
    return found


def _covered(flags: np.ndarray, length: int, k: int) -> np.ndarray:
    """Characters ``[0, length)`` covered by a flagged shingle (``flags[p]``: the shingle starting at ``p``)."""
    started = np.zeros(length + 1, dtype=np.int32)  # flagged shingles starting before each character
    np.cumsum(flags[:length], out=started[1:len(flags[:length]) + 1])
    started[len(flags[:length]) + 1:] = started[len(flags[:length])]
    at = np.arange(1, length + 1)
    return started[at] > started[np.maximum(at - k, 0)]


def _runs(mask: np.ndarray) -> list[tuple[int, int, bool]]:
    """Maximal runs ``(start, end, value)`` of a boolean array."""
    if not len(mask):
        return []
    breaks = np.flatnonzero(np.diff(mask.astype(np.int8))) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(mask)]))
    return [(int(a), int(b), bool(mask[a])) for a, b in zip(starts, ends)]


def _split_boilerplate(boiler: np.ndarray, min_chars: int) -> list[tuple[int, int, bool]]:
    """A passage's stretches ``(start, end, is_boilerplate)``, from which of its characters are covered.

    Covered runs of at least ``min_chars`` are boilerplate; an uncovered remainder shorter than ``min_chars`` joins
    its boilerplate neighbour.
    """
    return _merged(_runs(boiler), min_chars)


def _merged(covered: list[tuple[int, int, bool]], min_chars: int) -> list[tuple[int, int, bool]]:
    """:func:`_split_boilerplate` from the runs ``(start, end, covered)`` of a passage's characters."""
    runs = [(a, b, flag and b - a >= min_chars) for a, b, flag in covered]
    if any(flag for _, _, flag in runs):
        runs = [(a, b, flag or b - a < min_chars) for a, b, flag in runs]
    merged: list[tuple[int, int, bool]] = []
    for a, b, flag in runs:
        if merged and merged[-1][2] == flag:
            merged[-1] = (merged[-1][0], b, flag)
        else:
            merged.append((a, b, flag))
    return merged


class _HashSet:
    """A sorted array of shingle hashes, asked for membership many times (the boilerplate shingles).

    Answered by an open-addressing hash table (linear probing, at most a quarter full) of positions in the sorted
    array: most questions in one or two vectorised probes (the hashes are mixed already, so their low bits are the
    slot), the few left by a binary search — rather than a binary search each.
    """

    #: probes tried for every question before the binary search (each probe is a pass over the questions left).
    _PROBES = 2

    def __init__(self, hashes: np.ndarray):
        self.hashes = hashes
        size = 1 << max(4, (4 * len(hashes)).bit_length())
        self.mask = size - 1
        self.slots = np.full(size, -1, dtype=np.int64)  # position in ``hashes``, -1: empty
        waiting = np.arange(len(hashes), dtype=np.int64)
        slot = (hashes & np.uint64(self.mask)).astype(np.int64)
        while len(waiting):  # each round places, in each empty slot asked for, the first hash asking for it
            free = self.slots[slot] < 0
            asked, first = np.unique(slot[free], return_index=True)
            self.slots[asked] = waiting[free][first]
            placed = np.zeros(len(waiting), dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            waiting, slot = waiting[~placed], (slot[~placed] + 1) & self.mask
        self.keys = np.zeros(size, dtype=np.uint64)  # the hash in each slot (beside its position: one gather a probe)
        self.keys[self.slots >= 0] = hashes[self.slots[self.slots >= 0]]

    def __len__(self) -> int:
        return len(self.hashes)

    def find(self, hashes: np.ndarray) -> np.ndarray:
        """The position of each of ``hashes`` in the sorted array, -1 where it is not in the set."""
        if not len(self.hashes) or not len(hashes):
            return np.full(len(hashes), -1, dtype=np.int64)
        slot = (hashes & np.uint64(self.mask)).astype(np.int64)
        at = self.slots[slot]
        hit = self.keys[slot] == hashes
        found = np.where(hit, at, -1)
        asking = np.flatnonzero((at >= 0) & ~hit)  # an empty slot ends the search: not in the set
        slot = slot[asking]
        for _ in range(self._PROBES - 1):  # those that met another hash in their slot probe the next one
            slot = (slot + 1) & self.mask
            at = self.slots[slot]
            hit = self.keys[slot] == hashes[asking]
            found[asking[hit]] = at[hit]
            going = (at >= 0) & ~hit
            asking, slot = asking[going], slot[going]
        if len(asking):  # the last few: a binary search each
            asked = hashes[asking]
            at = np.minimum(np.searchsorted(self.hashes, asked), len(self.hashes) - 1)
            hit = self.hashes[at] == asked
            found[asking[hit]] = at[hit]
        return found

    def holds(self, hashes: np.ndarray) -> np.ndarray:
        """Whether each of ``hashes`` is in the set."""
        return self.find(hashes) >= 0


def _is_boiler(hashes: np.ndarray, boiler_hashes: np.ndarray | _HashSet) -> np.ndarray:
    return (boiler_hashes if isinstance(boiler_hashes, _HashSet) else _HashSet(boiler_hashes)).holds(hashes)


def _pair_stretches(a: _Shingled, b: _Shingled, passages: Sequence[tuple[int, int, int]], s: ReuseSettings,
                    runs: tuple[list[int], list[int]] | None = None) -> list[tuple[int, int, int, int, int, bool]]:
    """Every common passage's stretches ``(start_a, end_a, start_b, end_b, content_chars, boilerplate)``, in order.

    A passage ``(i0, j0, length)`` in content characters is a stretch (offsets into the normalised texts) or, when
    boilerplate shingles cover part of it, several: covered runs of ``min_chars`` or more are boilerplate
    (:func:`_split_boilerplate`'s rule); a passage whose characters differ (a hash collision) gives none. Which
    characters are covered is read from the runs of ``a``'s boilerplate shingles (``runs``: :func:`_flag_runs`,
    when the caller has them), not character by character: a run of shingles starting at ``t`` … ``u - 1`` covers
    the characters ``t`` … ``u + k - 2``.
    """
    k, least = s.shingle_chars, s.min_chars
    starts, ends = runs if runs is not None else _flag_runs(a)
    chosen = []
    for i0, j0, n in passages:
        if a.compact[i0:i0 + n] != b.compact[j0:j0 + n]:  # a hash collision, not a passage
            continue
        last = i0 + n - k + 1  # the passage's shingles start at i0 … last - 1
        first_run, end_run = bisect_right(ends, i0), bisect_left(starts, last)
        if first_run >= end_run:  # no boilerplate shingle inside
            pieces = [(0, n, False)]
        else:
            covered: list[list[int]] = []  # covered characters, [x, y) from the passage's start
            for r in range(first_run, end_run):
                x, y = max(starts[r], i0) - i0, min(ends[r], last) - i0 + k - 1
                if covered and x <= covered[-1][1]:
                    covered[-1][1] = max(covered[-1][1], y)
                else:
                    covered.append([x, y])
            flags, at = [], 0
            for x, y in covered:
                if x > at:
                    flags.append((at, x, False))
                flags.append((x, y, True))
                at = y
            if at < n:
                flags.append((at, n, False))
            pieces = _merged(flags, least)
        chosen += [(i0, j0, x, y, boiler) for x, y, boiler in pieces if y - x >= least]
    if not chosen:
        return []
    i0s, j0s, xs, ys = (np.array(column, dtype=np.int64) for column in list(zip(*chosen))[:4])
    return list(zip(a.pos[i0s + xs].tolist(), (a.pos[i0s + ys - 1] + 1).tolist(), b.pos[j0s + xs].tolist(),
                    (b.pos[j0s + ys - 1] + 1).tolist(), (ys - xs).tolist(), [c[4] for c in chosen]))


def _flag_runs(a: _Shingled) -> tuple[list[int], list[int]]:
    """The runs of ``a``'s boilerplate shingles: their first starts and their ends (exclusive), in order."""
    assert a.boiler is not None
    flagged = [(start, end) for start, end, flag in _runs(a.boiler) if flag]
    return [start for start, _ in flagged], [end for _, end in flagged]


def align(a: _Shingled, b: _Shingled, boiler_hashes: np.ndarray | _HashSet,
          s: ReuseSettings) -> list[tuple[int, int, int, int, int, bool]]:
    """Passages reports ``a`` and ``b`` share: ``(start_a, end_a, start_b, end_b, content_chars, boilerplate)``.

    Offsets are into the normalised texts; boilerplate stretches are split off and flagged (module docstring, 5).
    """
    if a.boiler is None:
        a = _Shingled(a.compact, a.pos, a.hashes, _is_boiler(a.hashes, boiler_hashes), a.order)
    return _pair_stretches(a, b, common_passages(a.hashes, b.hashes, s.shingle_chars, s.min_chars), s)


# ---------------------------------------------------------------------------------------------------------------
# the corpus


def _texts(texts: pd.DataFrame | Mapping[str, str]) -> list[tuple[str, str]]:
    if isinstance(texts, pd.DataFrame):
        return [(str(r), t if isinstance(t, str) else "") for r, t in zip(texts["report_id"], texts["text"])]
    return [(str(r), t if isinstance(t, str) else "") for r, t in texts.items()]


def _previous_years(metadata: pd.DataFrame | None, ids: Sequence[str]) -> dict[str, str]:
    """Report id → the same unit's report of the year before, when the corpus holds one (one per unit and year)."""
    if metadata is None or metadata.empty or not {"report_id", "unit", "report_year"} <= set(metadata.columns):
        return {}
    meta = metadata[metadata["report_id"].astype(str).isin(set(ids))]
    years = pd.to_numeric(meta["report_year"], errors="coerce")
    keyed = {(str(u), int(y)): str(r) for r, u, y in zip(meta["report_id"], meta["unit"], years)
             if isinstance(u, str) and u and not pd.isna(y)}
    return {r: keyed[(u, y - 1)] for (u, y), r in sorted(keyed.items()) if (u, y - 1) in keyed}


def _part_finder(parts: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
    """Report id → its parts' starts, ends and names, in text order (split in one pass, not a group-by)."""
    if parts.empty:
        return {}
    ordered = parts.sort_values(["report_id", "start"], kind="stable")
    ids = ordered["report_id"].astype(str).to_numpy(object)
    starts, ends = ordered["start"].to_numpy(np.int64), ordered["end"].to_numpy(np.int64)
    names = ordered["part"].astype(str).tolist()
    bounds = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    return {str(ids[a]): (starts[a:b], ends[a:b], names[a:b])
            for a, b in zip(np.concatenate(([0], bounds)).tolist(), np.concatenate((bounds, [len(ids)])).tolist())}


def _part_at(finder: Mapping, rid: str, offsets: Sequence[int]) -> list[str]:
    if rid not in finder:
        return [""] * len(offsets)
    starts, _, names = finder[rid]
    at = np.searchsorted(starts, np.asarray(offsets, dtype=np.int64), "right") - 1
    return [names[i] if i >= 0 else "" for i in at]


def _raw(to_raw: ToRaw | None, rid: str, starts: Sequence[int], ends: Sequence[int]) -> tuple[list, list]:
    if to_raw is None or not len(starts):
        return [pd.NA] * len(starts), [pd.NA] * len(starts)
    raw_starts, raw_ends = to_raw(rid, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))
    return [int(x) for x in raw_starts], [int(x) for x in raw_ends]


def _candidates(reports: Sequence[_Report], s: ReuseSettings, threshold: int, boiler_hashes: _HashSet,
                flags: list[_Packed] | None = None) -> tuple[set[tuple[int, int]], int, int]:
    """Candidate pairs of reports (indices, smaller first), units sketched, and candidate unit pairs.

    ``flags``, when given, receives each report's boilerplate flags (one per shingle, packed a bit each: kept for
    the alignment and the coverage rather than looked up again).

    A unit is sketched on its shingles that are not boilerplate, and only when it has enough of them to hold a
    passage of ``min_chars`` beyond boilerplate: a title or an opening line written to the corpus's template
    (``…街道2024年法治政府建设工作情况报告``) is otherwise like every other report's, and buckets of a few dozen such
    lines made candidate pairs by the ten thousand (measured on the benchmark corpus of 1 000 reports).
    """
    # each unit's band keys, not its signature: 16 keys of 8 bytes against 64 values of 4 (at 2·10⁴ reports the
    # signatures, kept and then stacked, took 0.24 GB beside the keys)
    owners, keys = [], []
    bands, rows = s.bands()
    enough = s.min_chars - s.shingle_chars + 1
    for index, report in enumerate(reports):
        shingled = report.shingled(boiler_hashes)
        assert shingled.boiler is not None
        if flags is not None:
            flags.append(_Packed.of(shingled.boiler))
        keep = ~shingled.boiler
        counts = np.concatenate(([0], np.cumsum(keep)))
        units = [(a, b) for a, b in _units(report.text, shingled.pos, len(shingled.hashes), s)
                 if counts[b] - counts[a] >= enough]
        if units:
            keys.append(_band_keys(minhash_signatures(shingled.hashes, units, s, keep), bands, rows))
            owners.append(np.full(len(units), index, dtype=np.int64))
    if not keys:
        return set(), 0, 0
    owner = np.concatenate(owners)
    stacked = np.vstack(keys)
    keys.clear()
    pairs: set[tuple[int, int]] = set()
    unit_pairs = 0
    for bucket in _buckets(stacked):
        held = np.unique(owner[bucket])
        if len(held) < 2 or len(held) >= threshold:  # one report's own repeats; boilerplate
            continue
        unit_pairs += len(bucket) * (len(bucket) - 1) // 2
        pairs.update((int(x), int(y)) for x, y in combinations(held.tolist(), 2))
    return pairs, len(owner), unit_pairs


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``np.unique`` without its hash table: faster on short uint64 arrays)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


#: Side B's shingles kept for reuse while reports are aligned (a report is the partner of a few others).
_CACHED = 4096

#: Shingle hashes are counted over reports in at least this many slices of the hash space, one sort each (each
#: report's distinct shingles are computed once, cut into the slices, and held until their slice is counted).
_COUNT_SLICES = 4
#: Bytes of hashes a slice may hold, about; past ``_COUNT_SLICES`` such slices (a corpus of ~ 9 000 reports) the
#: slices are spilled to files in a temporary folder while the reports are read, and counted one at a time: in
#: memory, every report's distinct shingles took 0.8 GB at 2·10⁴ reports and grew with the corpus.
_COUNT_BYTES = 64 * 2**20
#: At most this many slices (files open at once); a slice past ``_COUNT_BYTES`` at ~ 4·10⁶ reports.
_MOST_SLICES = 256


def _boilerplate_hashes(reports: Sequence[_Report], threshold: int,
                        budget: int = _COUNT_BYTES) -> tuple[np.ndarray, np.ndarray]:
    """Sorted shingle hashes held by at least ``threshold`` reports, and how many reports hold each.

    ``budget``: the bytes of hashes a slice may hold, about (a report has at most one shingle a character).
    """
    found, found_counts = [_EMPTY], [np.zeros(0, dtype=np.int64)]
    wanted = -(-8 * sum(len(r.text) for r in reports) // max(budget, 1))
    count = min(max(_COUNT_SLICES, 1 << max(wanted - 1, 0).bit_length()), _MOST_SLICES)  # a power of two
    cuts = np.arange(1, count, dtype=np.uint64) << np.uint64(64 - count.bit_length() + 1)
    held: list[list[np.ndarray]] = [[] for _ in range(count)]
    holding = [0] * count  # reports with a shingle in each slice
    with ExitStack() as stack:
        folder = (Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="study-reuse-")))
                  if wanted > _COUNT_SLICES else None)
        out = [stack.enter_context(open(folder / f"{part}.u64", "wb")) for part in range(count)] if folder else []
        for report in reports:  # each report's distinct shingles, cut into the slices (sorted: each slice a range)
            distinct = _distinct(report.shingled().hashes)
            for part, piece in enumerate(np.split(distinct, np.searchsorted(distinct, cuts))):
                if len(piece):
                    holding[part] += 1
                    if folder is not None:
                        out[part].write(piece.tobytes())
                    else:
                        held[part].append(piece)
        for f in out:
            f.close()
        for part in range(count):
            if holding[part] < threshold:
                held[part] = []
                continue
            if folder is not None:
                every = np.fromfile(folder / f"{part}.u64", dtype=np.uint64)
            else:
                every = np.concatenate(held[part])
                held[part] = []
            every.sort()
            # a value held by ≥ threshold reports begins a run of ≥ threshold equal values: no per-value count array
            # (most shingles are held by one report: it would be as long as ``every``)
            span = max(threshold, 1) - 1
            common = _distinct(every[:len(every) - span][every[:len(every) - span] == every[span:]])
            found.append(common)
            found_counts.append(np.searchsorted(every, common, "right") - np.searchsorted(every, common, "left"))
            del every
    return np.concatenate(found), np.concatenate(found_counts).astype(np.int64)


def find_reuse(texts: pd.DataFrame | Mapping[str, str], parts: pd.DataFrame, to_raw: ToRaw | None = None,
               metadata: pd.DataFrame | None = None, settings: ReuseSettings | None = None,
               every_pair: bool = False, read_texts: Callable[[Sequence[str]], Mapping[str, str]] | None = None) -> Reuse:
    """Shared passages, boilerplate and year-to-year repeats of a corpus (module docstring: how).

    Args:
        texts: ``report_id, text`` (the store's ``texts`` table) or report id → normalised text, in corpus order.
        parts: the parts table (``report_id, part, start, end`` in normalised offsets).
        to_raw: ``to_raw(report_id, starts, ends) -> (raw_starts, raw_ends)`` (the store's ``Store.to_raw``); when
            None the raw offset columns are NA.
        metadata: ``report_id, unit, report_year`` (the corpus table), for the year-to-year repeats.
        settings: the thresholds (default :class:`ReuseSettings`).
        every_pair: align every pair of reports, not only LSH's candidates (quadratic: for checking LSH's recall
            on a small corpus).
        read_texts: report ids → their texts, for cutting the passages' and boilerplate's text when they are
            written or shown (the store's texts, read a slice at a time); when None, the texts given are kept for it.

    Returns:
        A :class:`Reuse` with the passages, pairs, boilerplate, coverage and repeats tables.
    """
    s = settings or ReuseSettings()
    given = _texts(texts)
    reports = [_Report(rid, text, s.shingle_chars) for rid, text in given]
    index = {r.report_id: i for i, r in enumerate(reports)}
    with_text = sum(1 for r in reports if any(c.isalnum() for c in r.text))
    threshold = s.boilerplate_reports(with_text)
    boiler_hashes, boiler_counts = _boilerplate_hashes(reports, threshold)
    memory.release()  # every report's distinct shingles, counted and dropped: 0.3 GB of small arrays at 10⁴ reports
    boiler_hashes.flags.writeable = False
    boiler_set = _HashSet(boiler_hashes)
    flags: list[_Packed] = []
    pairs, units, unit_pairs = _candidates(reports, s, threshold, boiler_set, flags)
    if every_pair:
        pairs = set(combinations(range(len(reports)), 2))
    previous = _previous_years(metadata, [r.report_id for r in reports])
    for rid, before in previous.items():
        pairs.add(tuple(sorted((index[rid], index[before]))))  # type: ignore[arg-type]
    finder = _part_finder(parts)

    # each passage's numbers as machine integers, not Python ints (28 bytes each, and a pointer): 0.1 GB at 2·10⁴ reports
    rows: dict[str, list | array] = {"report_a": [], "report_b": [], "boilerplate": array("b"),
                                     **{key: array("q") for key in ("start_a", "end_a", "start_b", "end_b", "content_chars")}}
    cache: OrderedDict[int, _Shingled] = OrderedDict()

    def shingled(j: int) -> _Shingled:  # side b: a report is the partner of a few others
        if j in cache:
            cache.move_to_end(j)
        else:
            if len(cache) >= _CACHED:
                cache.popitem(last=False)
            cache[j] = reports[j].shingled()
        return cache[j]

    spans: dict[int, list[tuple[int, int, str, int]]] = {}
    partners: dict[int, list[int]] = defaultdict(list)
    for i, j in sorted(pairs):
        partners[i].append(j)
    for i, js in partners.items():  # each report aligned with all its partners at once
        a = reports[i]
        if i in cache:  # it was the partner of a report before it: its shingles are at hand
            held = cache[i]
            sa = _Shingled(held.compact, held.pos, held.hashes, flags[i].unpack(), np.argsort(held.hashes, kind="stable"))
        else:
            sa = a.shingled(flags[i], order=True)
        assert sa.order is not None
        others = [shingled(j) for j in js]
        runs = _flag_runs(sa)
        spans[i] = _boiler_spans(sa, (boiler_set, boiler_counts), s)  # for the coverage, while its shingles are here
        for j, sb, passages in zip(js, others, common_passages_many(sa.hashes, sa.order, [o.hashes for o in others],
                                                                     s.shingle_chars, s.min_chars)):
            b = reports[j]
            for start_a, end_a, start_b, end_b, content, boiler in _pair_stretches(sa, sb, passages, s, runs):
                for key, value in zip(("report_a", "start_a", "end_a", "report_b", "start_b", "end_b",
                                       "content_chars", "boilerplate"),
                                      (a.report_id, start_a, end_a, b.report_id, start_b, end_b, content, boiler)):
                    rows[key].append(value)
    cache.clear()  # side B's shingles: 0.2 GB at 10⁴ reports, not needed past the alignment
    passages = _passages_table(rows, finder, to_raw)
    rows.clear()
    coverage, boilerplate = _coverage(reports, passages, (boiler_set, boiler_counts), finder, to_raw, s, flags, spans)
    spans.clear()
    flags.clear()
    memory.release()  # what the alignment's millions of small arrays and strings left behind
    consecutive = {tuple(sorted((index[r], index[p]))) for r, p in previous.items()}
    found = Reuse(passages=passages, pairs=_pairs_table(passages, reports, index, consecutive),
                  boilerplate=_boilerplate_table(boilerplate, reports), coverage=coverage,
                  repeats=_repeats_table(reports, passages, previous, finder, metadata),
                  reports=len(reports), reports_with_text=with_text, units=units, candidate_unit_pairs=unit_pairs,
                  candidate_pairs=len(pairs), boilerplate_reports=threshold, settings=s,
                  read_texts=read_texts or _reader(dict(given)), order=tuple(r.report_id for r in reports))
    del boilerplate  # the stretches, now in the boilerplate table
    memory.release()
    return found


def _reader(texts: Mapping[str, str]) -> Callable[[Sequence[str]], Mapping[str, str]]:
    return lambda ids: {rid: texts[rid] for rid in ids}


#: The passages and boilerplate tables' columns in memory: all but the text (:func:`passage_texts`,
#: :func:`boilerplate_texts`).
_PASSAGE_HELD = [c for c in PASSAGE_COLUMNS if c != "text"]
_BOILERPLATE_HELD = [c for c in BOILERPLATE_COLUMNS if c != "text"]


def _passages_table(rows: Mapping[str, list | array], finder: Mapping, to_raw: ToRaw | None) -> pd.DataFrame:
    if not len(rows["report_a"]):
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in _PASSAGE_HELD})
    table = _frame({key: (np.frombuffer(values, dtype=np.int64 if values.typecode == "q" else np.int8).astype(_dtype(key))
                          if isinstance(values, array) else values) for key, values in rows.items()})
    for side in ("a", "b"):
        ids = table[f"report_{side}"].to_numpy(object)
        starts, ends = table[f"start_{side}"].to_numpy(np.int64), table[f"end_{side}"].to_numpy(np.int64)
        parts = np.empty(len(table), dtype=object)
        raw_starts, raw_ends = np.empty(len(table), dtype=object), np.empty(len(table), dtype=object)
        for rid, at in _groups(ids).items():
            parts[at] = _part_at(finder, rid, starts[at].tolist())
            raw_starts[at], raw_ends[at] = _raw(to_raw, rid, starts[at].tolist(), ends[at].tolist())
        table[f"part_{side}"] = parts
        table[f"raw_start_{side}"] = pd.array(raw_starts.tolist(), dtype="Int64")
        table[f"raw_end_{side}"] = pd.array(raw_ends.tolist(), dtype="Int64")
    table["chars"] = table["end_a"] - table["start_a"]
    for c in _PASSAGE_HELD:
        table[c] = table[c].astype(_dtype(c))
    return table[_PASSAGE_HELD].reset_index(drop=True)


def _frame(columns: Mapping[str, Sequence | np.ndarray]) -> pd.DataFrame:
    """A table of these columns, its text columns (:func:`_dtype` ``object``) holding the very strings given.

    Inferred, they became Arrow strings (another copy of every text, at 3 bytes a Han character against Python's 2)
    and then Python strings again where the tables want them: 1.4 GB more for the passages of 2·10⁴ reports.
    """
    return pd.DataFrame({key: pd.Series(values, dtype=object) if _dtype(key) == "object" else values
                         for key, values in columns.items()})


def _groups(values: np.ndarray | Sequence) -> dict:
    """Value → the positions holding it (int arrays), in one pass."""
    positions: dict = defaultdict(list)
    for i, value in enumerate(values):
        positions[value].append(i)
    return {value: np.asarray(at, dtype=np.int64) for value, at in positions.items()}


def _union_chars(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by the union of ``[start, end)`` spans."""
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _dtype(column: str) -> str:
    if column.startswith(("raw_",)):
        return "Int64"
    if column in ("start_a", "end_a", "start_b", "end_b", "chars", "content_chars", "passages", "boilerplate_passages",
                  "shingle_reports_min",
                  "chars_a", "chars_b", "reports", "start", "end", "plans_chars", "reused_chars",
                  "boilerplate_chars", "pairwise_chars"):
        return "int64"
    if column in ("boilerplate", "consecutive_years"):
        return "bool"
    if column.endswith("_pct"):
        return "float64"
    return "object"


def _mask(length: int, starts: Iterable[int], ends: Iterable[int]) -> np.ndarray:
    edges = np.zeros(length + 1, dtype=np.int64)
    s, e = np.asarray(list(starts), dtype=np.int64), np.asarray(list(ends), dtype=np.int64)
    np.add.at(edges, s, 1)
    np.add.at(edges, e, -1)
    return np.cumsum(edges[:length]) > 0


def _sides(passages: pd.DataFrame, boiler: bool | None = None) -> dict[str, tuple[list[int], list[int]]]:
    """Report id → (starts, ends) of the passages on its side (either side of a pair)."""
    chosen = passages if boiler is None else passages[passages["boilerplate"] == boiler]
    spans: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for side in ("a", "b"):
        for rid, start, end in zip(chosen[f"report_{side}"], chosen[f"start_{side}"], chosen[f"end_{side}"]):
            spans[rid][0].append(int(start))
            spans[rid][1].append(int(end))
    return spans


def _boiler_spans(shingled: _Shingled, boiler: tuple[_HashSet, np.ndarray],
                  s: ReuseSettings) -> list[tuple[int, int, str, int]]:
    """A report's boilerplate stretches: ``(start, end, content characters, fewest reports holding a shingle)``."""
    flags = shingled.boiler
    assert flags is not None
    spans: list[tuple[int, int, str, int]] = []
    if not flags.any():
        return spans
    held = np.full(len(flags), np.iinfo(np.int64).max, dtype=np.int64)
    held[flags] = boiler[1][boiler[0].find(shingled.hashes[flags])]
    for a, b, flag in _runs(_covered(flags, len(shingled.compact), s.shingle_chars)):
        if flag and b - a >= s.min_chars:
            spans.append((int(shingled.pos[a]), int(shingled.pos[b - 1]) + 1, shingled.compact[a:b],
                          int(held[a:b - s.shingle_chars + 1].min())))
    return spans


def _coverage(reports: Sequence[_Report], passages: pd.DataFrame, boiler: tuple[_HashSet, np.ndarray],
              finder: Mapping, to_raw: ToRaw | None, s: ReuseSettings, flags_of: Sequence[_Packed],
              found: Mapping[int, list[tuple[int, int, str, int]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per report × part: characters shared (boilerplate, pairwise); and each distinct boilerplate stretch, first seen.

    ``found``: the :func:`_boiler_spans` of the reports whose shingles the alignment had at hand (report index →
    spans); the others' shingles are computed again here.
    """
    pairwise = _sides(passages, boiler=False)
    rows: dict[str, list] = defaultdict(list)
    # each distinct stretch where it first stands (what the boilerplate table keeps): at 10⁴ reports every report
    # repeats the same few hundred, and holding each repeat with its text took 0.6 GB
    stretches: dict[str, list] = defaultdict(list)
    seen: set[str] = set()
    for index, (report, report_flags) in enumerate(zip(reports, flags_of)):
        n = len(report.text)
        boiler_mask = np.zeros(n, dtype=bool)
        if index in found:
            spans = found[index]
        else:
            spans = _boiler_spans(report.shingled(report_flags), boiler, s) if report_flags.any() else []
        for start, end, _, _ in spans:
            boiler_mask[start:end] = True
        fresh = []
        for span in spans:
            if span[2] not in seen:
                seen.add(span[2])
                fresh.append(span)
        if fresh:
            raw_s, raw_e = _raw(to_raw, report.report_id, [x[0] for x in fresh], [x[1] for x in fresh])
            parts_of = _part_at(finder, report.report_id, [x[0] for x in fresh])
            for (start, end, compact, fewest), rs, re_, part in zip(fresh, raw_s, raw_e, parts_of):
                for key, value in zip(("report_id", "part", "start", "end", "raw_start", "raw_end", "compact",
                                       "shingle_reports_min"),
                                      (report.report_id, part, start, end, rs, re_, compact, fewest)):
                    stretches[key].append(value)
        pair_mask = _mask(n, *pairwise.get(report.report_id, ([], [])))
        if report.report_id not in finder:
            continue
        for start, end, part in zip(*finder[report.report_id]):
            chars = int(end - start)
            b_chars = int(boiler_mask[start:end].sum())
            p_chars = int((pair_mask[start:end] & ~boiler_mask[start:end]).sum())
            for key, value in zip(COVERAGE_COLUMNS[:6], (report.report_id, part, chars, b_chars + p_chars, b_chars,
                                                          p_chars)):
                rows[key].append(value)
    if rows:
        table = pd.DataFrame(rows)
        table = table.groupby(["report_id", "part"], sort=False, as_index=False).sum()  # a part split in two
    else:
        table = pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in COVERAGE_COLUMNS[:6]})
    for what in ("reused", "boilerplate", "pairwise"):
        table[f"{what}_pct"] = (100 * table[f"{what}_chars"] / table["chars"].where(table["chars"] > 0)).astype(float)
    return table[COVERAGE_COLUMNS].reset_index(drop=True), _frame(stretches)


def _boilerplate_table(stretches: pd.DataFrame, reports: Sequence[_Report]) -> pd.DataFrame:
    """One row per distinct boilerplate stretch, where it first stands (``stretches``: :func:`_coverage` keeps only those).

    With how many reports hold it whole (its content characters, in order), and the fewest reports holding one of
    its shingles (at least the threshold).
    """
    if stretches.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in _BOILERPLATE_HELD})
    first = stretches.reset_index(drop=True)
    first["reports"] = _holding(first["compact"].tolist(), reports)
    compact = first["compact"].tolist()
    first["content_chars"] = np.fromiter(map(len, compact), dtype=np.int64, count=len(compact))
    # most held, longest, then by text (each stretch's text is distinct): pandas' sort of the text column turned it
    # into Arrow strings on the way (0.34 GB more at 10⁴ reports)
    by_text = np.empty(len(compact), dtype=np.int64)
    by_text[sorted(range(len(compact)), key=compact.__getitem__)] = np.arange(len(compact))
    first = first.take(np.lexsort((by_text, -first["content_chars"].to_numpy(), -first["reports"].to_numpy())))
    for c in ("raw_start", "raw_end"):
        first[c] = first[c].astype("Int64")
    # a copy: the columns kept, selected, would be views of blocks that also hold each stretch's text (``compact``),
    # which would then live as long as the table (0.13 GB at 2·10⁴ reports)
    return first[_BOILERPLATE_HELD].reset_index(drop=True).copy()


#: Characters of each boilerplate stretch put in the Aho-Corasick automaton that finds where stretches may start (the
#: rest is compared as text): the automaton of the whole stretches took 0.55 GB at 10⁴ reports, of these 15 MB.
_ANCHOR = 128


def _longest_common_prefix(x: str, y: str) -> int:
    lo, hi = 0, min(len(x), len(y))
    while lo < hi:  # ``y.startswith`` a slice of ``x``: a dozen calls in C, not a loop over characters
        mid = (lo + hi + 1) // 2
        if y.startswith(x[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _prefixes_of(text: str, candidates: Sequence[str]) -> Iterable[int]:
    """Positions in ``candidates`` (sorted) of those that begin ``text``.

    From the largest candidate not after ``text`` down: one that begins ``text`` is a match; one that does not,
    sharing its first ``n`` characters with it, rules out every candidate longer than ``n`` below it (a candidate
    beginning ``text`` and longer than ``n`` would sort above it), so the search goes on for ``text[:n]``.
    """
    hi = bisect_right(candidates, text)
    while hi > 0:
        candidate = candidates[hi - 1]
        if text.startswith(candidate):
            yield hi - 1
            hi -= 1
            continue
        text = text[:_longest_common_prefix(candidate, text)]
        hi = bisect_right(candidates, text, 0, hi - 1)


def _holding(passages: Sequence[str], reports: Sequence[_Report], anchor: int = _ANCHOR) -> list[int]:
    """How many reports hold each passage (content characters) whole.

    The passages' first ``anchor`` characters go in an Aho-Corasick automaton, one pass over every report; where
    one is found, the passages beginning with it that begin the text there are found in their sorted list
    (:func:`_prefixes_of`). The whole passages in the automaton gave the same counts in 0.55 GB (10⁴ reports).
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for number, passage in enumerate(passages):
        groups[passage[:anchor]].append(number)
    automaton = ahocorasick.Automaton()
    for key, numbers in groups.items():
        numbers.sort(key=lambda n: passages[n])
        texts = [passages[n] for n in numbers]
        automaton.add_word(key, (len(key), max(map(len, texts)), texts, numbers))
    counts = [0] * len(passages)
    if not groups:
        return counts
    automaton.make_automaton()
    for report in reports:
        compact = content_characters(report.text)[0]
        held: set[int] = set()
        for end, (length, longest, texts, numbers) in automaton.iter(compact):
            start = end - length + 1
            held.update(numbers[at] for at in _prefixes_of(compact[start:start + longest], texts))
        for number in held:
            counts[number] += 1
    return counts


def _pairs_table(passages: pd.DataFrame, reports: Sequence[_Report], index: Mapping[str, int],
                 consecutive: set) -> pd.DataFrame:
    lengths = {r.report_id: len(r.text) for r in reports}
    spans: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    boiler: dict[tuple[str, str], int] = defaultdict(int)
    for ra, rb, sa, ea, sb, eb, flag in zip(*(passages[c] for c in ("report_a", "report_b", "start_a", "end_a", "start_b",
                                                                   "end_b", "boilerplate"))):
        if flag:
            boiler[(ra, rb)] += 1
        else:
            spans[(ra, rb)][0].append((int(sa), int(ea)))
            spans[(ra, rb)][1].append((int(sb), int(eb)))
    rows: dict[str, list] = defaultdict(list)
    for (ra, rb), (side_a, side_b) in spans.items():
        chars_a, chars_b = _union_chars(side_a), _union_chars(side_b)
        for key, value in zip(PAIR_COLUMNS, (ra, rb, len(side_a), chars_a, chars_b, 100 * chars_a / lengths[ra],
                                             100 * chars_b / lengths[rb], boiler[(ra, rb)],
                                             tuple(sorted((index[ra], index[rb]))) in consecutive)):
            rows[key].append(value)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in PAIR_COLUMNS})
    table = pd.DataFrame(rows).sort_values(["chars_a", "report_a", "report_b"], ascending=[False, True, True])
    return table.astype({c: _dtype(c) for c in PAIR_COLUMNS}).reset_index(drop=True)


def _repeats_table(reports: Sequence[_Report], passages: pd.DataFrame, previous: Mapping[str, str], finder: Mapping,
                   metadata: pd.DataFrame | None) -> pd.DataFrame:
    """Each report's plans characters shared with the same unit's report of the year before (NA when none)."""
    meta = {}
    if metadata is not None and {"report_id", "unit", "report_year"} <= set(metadata.columns):
        meta = {str(r): (u, y) for r, u, y in zip(metadata["report_id"], metadata["unit"], metadata["report_year"])}
    wanted = {(rid, before) for rid, before in previous.items()} | {(before, rid) for rid, before in previous.items()}
    by_pair = {pair: at for pair, at in _groups(list(zip(passages["report_a"], passages["report_b"]))).items()
               if pair in wanted}
    columns = {c: passages[c].to_numpy() for c in ("report_a", "start_a", "end_a", "start_b", "end_b", "boilerplate")}
    rows: dict[str, list] = defaultdict(list)
    for report in reports:
        rid = report.report_id
        unit, year = meta.get(rid, (pd.NA, pd.NA))
        before = previous.get(rid)
        values: list = [pd.NA] * 5
        plans = [(s, e) for s, e, p in zip(*finder[rid]) if p == "plans"] if rid in finder and before else []
        plan_mask = _mask(len(report.text), [s for s, _ in plans], [e for _, e in plans])
        if before is not None and plan_mask.any():
            at = np.sort(np.concatenate([by_pair.get((rid, before), np.zeros(0, np.int64)),
                                         by_pair.get((before, rid), np.zeros(0, np.int64))]))
            spans: dict[bool, tuple[list[int], list[int]]] = {True: ([], []), False: ([], [])}
            for i in at.tolist():
                side = "a" if columns["report_a"][i] == rid else "b"
                flag = bool(columns["boilerplate"][i])
                spans[flag][0].append(int(columns[f"start_{side}"][i]))
                spans[flag][1].append(int(columns[f"end_{side}"][i]))
            own = _mask(len(report.text), *spans[False]) & plan_mask
            every = (own | _mask(len(report.text), *spans[True])) & plan_mask
            total = int(plan_mask.sum())
            values = [total, int(every.sum()), int(own.sum()), 100 * int(every.sum()) / total, 100 * int(own.sum()) / total]
        elif before is not None:
            values = [0, pd.NA, pd.NA, pd.NA, pd.NA]
        for key, value in zip(REPEAT_COLUMNS, (rid, unit, year, before if before is not None else pd.NA, *values)):
            rows[key].append(value)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c) if not c.endswith("chars") else "Int64")
                             for c in REPEAT_COLUMNS})
    table = pd.DataFrame(rows)
    for c in ("plans_chars", "repeat_chars", "repeat_pairwise_chars"):
        table[c] = table[c].astype("Int64")
    for c in ("repeat_pct", "repeat_pairwise_pct"):
        table[c] = table[c].astype("Float64")
    return table[REPEAT_COLUMNS]


# ---------------------------------------------------------------------------------------------------------------
# the study's store, and the tables written


#: The files :func:`write_tables` writes into the processed folder, by table.
FILES = {"pairs": "text_reuse_pairs.csv", "passages": "text_reuse_passages.csv",
         "boilerplate": "text_reuse_boilerplate.csv", "coverage": "text_reuse_by_part.csv",
         "repeats": "text_reuse_plans_repeat.csv"}


def exported_columns() -> dict[str, dict[str, tuple[str, str]]]:
    """File → column → ``(type, meaning)`` of the tables :func:`write_tables` writes (for the data dictionary)."""
    kinds = {"Int64": "integer", "int64": "integer", "bool": "boolean", "float64": "float"}
    tables = {"pairs": PAIR_COLUMNS, "passages": PASSAGE_COLUMNS, "boilerplate": BOILERPLATE_COLUMNS,
              "coverage": COVERAGE_COLUMNS, "repeats": REPEAT_COLUMNS}
    return {FILES[name]: {c: ("integer" if c.endswith("_chars") else kinds.get(_dtype(c), "text"), MEANINGS[c])
                          for c in columns}
            for name, columns in tables.items()}


#: Reports whose texts :func:`study_reuse` reads at once (in the store's order: from their own batches).
TEXT_SLICE_REPORTS = 2000


def study_reuse(study, settings: ReuseSettings | None = None) -> Reuse:
    """:func:`find_reuse` on a :class:`helpers.context.Study`: its store's texts and parts, its corpus table.

    Raw offsets come from the store's map of each report to its file (``Store.raw_maps``, read once).
    """
    def read_texts(ids: Sequence[str]) -> Mapping[str, str]:
        read = study.store.table("texts", columns=["text"], reports=ids)
        return dict(zip(read["report_id"].tolist(), read["text"].tolist()))

    # the texts as the Python strings the alignment reads, a slice of reports at a time in the store's order (whole,
    # the table's Arrow and pandas copies took 0.67 GB beside the strings at 2·10⁴ reports)
    ids = study.store.metadata()["report_id"].tolist()
    texts: dict[str, str] = {}
    for at in range(0, len(ids), TEXT_SLICE_REPORTS):
        texts.update(read_texts(ids[at:at + TEXT_SLICE_REPORTS]))
    memory.arrow()
    maps = study.store.raw_maps()

    def to_raw(report_id: str, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return maps[report_id].spans_to_raw(starts, ends)

    found = find_reuse(texts, study.parts(), to_raw, study.corpus, settings, read_texts=read_texts)
    del texts
    maps.clear()  # the raw maps, used by the search only
    memory.release()  # every report's text, read for the search: 0.18 GB kept by malloc at 2·10⁴ reports otherwise
    return found


#: Reports whose passages (side A) or boilerplate are written a piece, their texts read at once to cut the text:
#: at 2·10⁴ reports a piece of 5 000 held 0.8 GB while written, of 2 000 0.45 GB (each a read of the store: 2 000
#: took 5 s more in all).
PIECE_REPORTS = 2000


def _cut(reuse: Reuse, table: pd.DataFrame, report: str, start: str, end: str) -> pd.Series:
    """Each row's text: its report's normalised text from ``start`` to ``end`` (the names of those columns)."""
    if reuse.read_texts is None:
        raise ValueError("this Reuse keeps no way to read its reports' texts (read_texts): the passages' and "
                         "boilerplate's text is cut from them; make it with find_reuse or study_reuse")
    texts = reuse.read_texts(list(dict.fromkeys(table[report].tolist())))
    return pd.Series([texts[rid][a:b] for rid, a, b in
                      zip(table[report].tolist(), table[start].tolist(), table[end].tolist())],
                     index=table.index, dtype=object)


def passage_texts(reuse: Reuse, passages: pd.DataFrame) -> pd.Series:
    """The text of each of these passages (rows of ``reuse.passages``): side A's normalised text of the span."""
    return _cut(reuse, passages, "report_a", "start_a", "end_a")


def boilerplate_texts(reuse: Reuse, boilerplate: pd.DataFrame) -> pd.Series:
    """The text of each of these boilerplate passages (rows of ``reuse.boilerplate``), where it first stands."""
    return _cut(reuse, boilerplate, "report_id", "start", "end")


def _pieces(reuse: Reuse, table: pd.DataFrame, columns: list[str], report: str, start: str, end: str,
            reports: int) -> Iterable[pd.DataFrame]:
    """``table`` with its ``text`` (``columns``), in pieces of consecutive rows of at most ``reports`` reports each.

    Rows in the order the reports were searched (the passages) have each piece's reports' texts read for it;
    rows in another order (the boilerplate) have their texts cut in one pass (:func:`_texts_in_row_order`).
    """
    if table.empty:
        yield table.assign(text=pd.Series(dtype=object))[columns]
        return
    cuts, held = [0], set[str]()
    for at, rid in enumerate(table[report].tolist()):
        if rid not in held and len(held) >= max(reports, 1):
            cuts.append(at)
            held = set[str]()
        held.add(rid)
    cuts.append(len(table))
    searched = {rid: at for at, rid in enumerate(reuse.order)}
    ranks = np.array([searched.get(rid, -1) for rid in table[report].tolist()], dtype=np.int64)
    if reuse.order and (ranks >= 0).all() and (np.diff(ranks) >= 0).all():  # rows in the order searched (passages)
        for a, b in zip(cuts, cuts[1:]):  # a piece's reports are read for it: each report once
            piece = table.iloc[a:b]
            yield piece.assign(text=_cut(reuse, piece, report, start, end))[columns]
        return
    texts = _texts_in_row_order(reuse, table, report, start, end, reports, searched)
    for a, b in zip(cuts, cuts[1:]):
        piece = table.iloc[a:b]
        yield piece.assign(text=pd.Series(list(islice(texts, b - a)), index=piece.index, dtype=object))[columns]


#: Rows a batch of the temporary files :func:`_texts_in_row_order` merges (what each file holds in memory at once),
#: and at most about this many bytes of text in the batches of all the files together (a file's batch: its share):
#: the boilerplate of the synthetic corpus is whole reports (3 600 characters a row), and 4 096 of them a file, ten
#: files merged, held 0.6 GB at 2·10⁴ reports; 4 MB a file, 0.1 GB there, and twice as much for twice the files.
_MERGE_ROWS = 4096
_MERGE_BYTES = 16 * 2**20


def _texts_in_row_order(reuse: Reuse, table: pd.DataFrame, report: str, start: str, end: str, reports: int,
                        searched: Mapping[str, int]) -> Iterator[str]:
    """Each row's text (its report's normalised text from ``start`` to ``end``), in the rows' order.

    The reports' texts are read in the order they were searched (the store's), ``reports`` at a time — each read
    from the store's batches that hold them — and each slice's cut texts are spilled, in row order, to a temporary
    file; the files are then merged by row. Rows in another order than the reports' (the boilerplate: most held
    first) would otherwise have each piece of rows read most of the store's texts: 2·10⁴ reports' texts read
    thirty times over to write the boilerplate table of 2·10⁴ reports. Memory: one slice's texts while cutting,
    then a batch of :data:`_MERGE_ROWS` rows a file (:data:`_MERGE_BYTES` of text at most in all the files'
    batches). ``searched``: report id → its place in ``reuse.order``.
    """
    if reuse.read_texts is None:
        raise ValueError("this Reuse keeps no way to read its reports' texts (read_texts): the passages' and "
                         "boilerplate's text is cut from them; make it with find_reuse or study_reuse")
    ids = table[report].tolist()
    firsts, lasts = table[start].tolist(), table[end].tolist()
    rows_of = _groups(ids)
    held = sorted(rows_of, key=lambda rid: searched.get(rid, len(searched)))  # stable: others as they come
    files = max(-(-len(held) // max(reports, 1)), 1)
    with tempfile.TemporaryDirectory(prefix="study-reuse-texts-") as folder:
        paths: list[Path] = []
        for at in range(0, len(held), max(reports, 1)):
            chosen = held[at:at + max(reports, 1)]
            texts = reuse.read_texts(chosen)
            rows = np.sort(np.concatenate([rows_of[rid] for rid in chosen]))
            cut = pa.table({"row": pa.array(rows, type=pa.int64()),
                            "text": pa.array([texts[ids[i]][firsts[i]:lasts[i]] for i in rows.tolist()],
                                             type=pa.large_string())})
            paths.append(Path(folder) / f"{len(paths)}.arrow")
            per_row = cut.column("text").nbytes / max(len(rows), 1)
            with pa.OSFile(str(paths[-1]), "wb") as sink, pa.ipc.new_file(sink, cut.schema) as writer:
                writer.write_table(cut, max_chunksize=max(1, min(_MERGE_ROWS, int(_MERGE_BYTES / files / max(per_row, 1)))))
            del texts, cut
        yield from (text for _, text in heapq.merge(*(_rows_of_file(path) for path in paths)))


def _rows_of_file(path: Path) -> Iterator[tuple[int, str]]:
    """``(row, text)`` of a file :func:`_texts_in_row_order` spilled, a batch at a time."""
    with pa.OSFile(str(path)) as source:
        reader = pa.ipc.open_file(source)
        for at in range(reader.num_record_batches):
            batch = reader.get_batch(at)
            yield from zip(batch.column(0).to_pylist(), batch.column(1).to_pylist())


def passage_pieces(reuse: Reuse, reports: int = PIECE_REPORTS) -> Iterable[pd.DataFrame]:
    """The passages table with its ``text`` (:data:`PASSAGE_COLUMNS`), in pieces of consecutive rows.

    A piece holds the rows of at most ``reports`` reports (side A; their texts read for it alone), so only a
    piece's text is in memory; the pieces concatenated are the whole table. An empty table is one empty piece.
    """
    return _pieces(reuse, reuse.passages, PASSAGE_COLUMNS, "report_a", "start_a", "end_a", reports)


def boilerplate_pieces(reuse: Reuse, reports: int = PIECE_REPORTS) -> Iterable[pd.DataFrame]:
    """The boilerplate table with its ``text`` (:data:`BOILERPLATE_COLUMNS`), in pieces as :func:`passage_pieces`."""
    return _pieces(reuse, reuse.boilerplate, BOILERPLATE_COLUMNS, "report_id", "start", "end", reports)


def write_tables(reuse: Reuse, folder, stamp: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> list:
    """Write the tables of ``reuse`` as CSV (:data:`FILES`) into ``folder`` (created); returns the paths.

    ``stamp`` adds the versions a table was computed with (``Study.stamped``). The passages and boilerplate are
    written in pieces with their text (:func:`passage_pieces`, :func:`boilerplate_pieces`).
    """
    from helpers.exports import write_csv

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, file in FILES.items():
        if name in ("passages", "boilerplate"):
            pieces = passage_pieces(reuse) if name == "passages" else boilerplate_pieces(reuse)
            write_csv((stamp(piece) if stamp else piece for piece in pieces), folder / file)
        else:
            table = getattr(reuse, name)
            write_csv(stamp(table) if stamp else table, folder / file)
        written.append(folder / file)
    memory.release()  # the pieces' texts and fields: 0.4 GB kept by malloc at 2·10⁴ reports otherwise
    return written


def top_pairs(pairs: pd.DataFrame, n: int = 20) -> pd.DataFrame | Note:
    """The ``n`` pairs of reports that share the largest share of either's characters beyond boilerplate."""
    if pairs.empty:
        return Note("No two reports share a passage beyond boilerplate.")
    most = pairs[["share_a_pct", "share_b_pct"]].max(axis=1)
    shown = pairs.assign(_most=most).sort_values(["_most", "passages", "report_a", "report_b"],
                                                 ascending=[False, False, True, True], kind="stable")
    return shown.drop(columns="_most").head(n).reset_index(drop=True)


def top_boilerplate(found: Reuse | pd.DataFrame, n: int = 15) -> pd.DataFrame | Note:
    """The ``n`` boilerplate passages held by the most reports (then the longest), where each first stands.

    ``found``: a :class:`Reuse` (the text cut for the rows that can be shown), or a boilerplate table with its text.
    """
    boilerplate = found.boilerplate if isinstance(found, Reuse) else found
    if boilerplate.empty:
        return Note("No passage is held by enough reports to count as boilerplate.")
    # only the rows that can be among the first n are sorted by their text: those held by as many reports and as
    # long as the n-th at least (sorting all 21 426 stretches of 10⁴ reports by their text took 0.3 GB)
    held, length = boilerplate["reports"].to_numpy(), boilerplate["content_chars"].to_numpy()
    order = np.lexsort((-length, -held))
    if n > 0 and len(order) > n:
        last = order[n - 1]
        boilerplate = boilerplate[(held > held[last]) | ((held == held[last]) & (length >= length[last]))]
    if isinstance(found, Reuse):
        boilerplate = boilerplate.assign(text=boilerplate_texts(found, boilerplate))
    shown = boilerplate.sort_values(["reports", "content_chars", "text"], ascending=[False, False, True], kind="stable")
    return shown[["text", "reports", "content_chars", "report_id", "part", "start", "raw_start"]].head(n).reset_index(drop=True)


def plan_repeats(repeats: pd.DataFrame) -> pd.DataFrame | Note:
    """The reports whose unit has a report of the year before in the corpus, with the share of plans repeated."""
    known = repeats[repeats["previous_report_id"].fillna("").astype(str) != ""] if len(repeats) else repeats
    if known.empty:
        return Note("No unit has reports of two consecutive years in this corpus: no plan repeats to measure.")
    return known.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# findings


#: The parts whose reuse the findings compare (plans against measures: do plans copy more?).
SUMMARY_PARTS = ("measures", "shortcomings", "leadership", "plans")


@dataclass(frozen=True)
class ReuseFigures:
    """The numbers behind the reuse sentences (:func:`words`)."""

    reports: int
    reports_with_text: int
    candidate_pairs: int
    #: pairs of reports sharing at least one pairwise passage; the passages; reports on either side of one.
    copying_pairs: int
    pairwise_passages: int
    reports_copying: int
    #: distinct boilerplate passages; the threshold (reports) and share that made them; reports holding one.
    boilerplate_passages: int
    boilerplate_reports: int
    boilerplate_share: float
    boilerplate_min_reports: int
    boilerplate_max_reports: int
    reports_with_boilerplate: int
    min_chars: int
    #: the median over reports of the share (%) of their characters found in another report, and of pairwise copying.
    reused_median_pct: float
    pairwise_median_pct: float
    #: part → (pairwise copying as % of all the corpus's characters in that part, reports whose part holds some,
    #: reports with the part), for the :data:`SUMMARY_PARTS` some report has.
    by_part: dict[str, tuple[float, int, int]]
    #: reports with a previous year's report of their unit in the corpus and plans; median share (%) of their plans
    #: repeating it (all shared text, and pairwise only).
    with_previous: int
    repeat_median_pct: float
    repeat_pairwise_median_pct: float


def report_shares(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per report: characters and the shares reused, boilerplate and pairwise (the coverage table summed over parts)."""
    if coverage.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in COVERAGE_COLUMNS if c != "part"})
    sums = coverage.groupby("report_id", sort=False, as_index=False)[
        ["chars", "reused_chars", "boilerplate_chars", "pairwise_chars"]].sum()
    for what in ("reused", "boilerplate", "pairwise"):
        sums[f"{what}_pct"] = (100 * sums[f"{what}_chars"] / sums["chars"].where(sums["chars"] > 0)).astype(float)
    return sums


def _median(values: pd.Series) -> float:
    known = pd.to_numeric(values, errors="coerce").dropna()
    return float(known.median()) if len(known) else float("nan")


def summary(reuse: Reuse) -> ReuseFigures:
    """The figures behind :func:`words`, from a :class:`Reuse`."""
    shares = report_shares(reuse.coverage)
    own = reuse.passages[~reuse.passages["boilerplate"]]
    by_part = {}
    for part in SUMMARY_PARTS:
        rows = reuse.coverage[(reuse.coverage["part"] == part) & (reuse.coverage["chars"] > 0)]
        if len(rows):
            per_report = rows.groupby("report_id")[["pairwise_chars", "chars"]].sum()
            by_part[part] = (100 * float(per_report["pairwise_chars"].sum()) / float(per_report["chars"].sum()),
                             int((per_report["pairwise_chars"] > 0).sum()), len(per_report))
    repeats = reuse.repeats[reuse.repeats["repeat_pct"].notna()] if len(reuse.repeats) else reuse.repeats
    return ReuseFigures(
        reports=reuse.reports, reports_with_text=reuse.reports_with_text, candidate_pairs=reuse.candidate_pairs,
        copying_pairs=len(reuse.pairs), pairwise_passages=len(own),
        reports_copying=len(set(own["report_a"]) | set(own["report_b"])),
        boilerplate_passages=len(reuse.boilerplate), boilerplate_reports=reuse.boilerplate_reports,
        boilerplate_share=reuse.settings.boilerplate_share, boilerplate_min_reports=reuse.settings.boilerplate_min_reports,
        boilerplate_max_reports=reuse.settings.boilerplate_max_reports,
        reports_with_boilerplate=int((shares["boilerplate_chars"] > 0).sum()) if len(shares) else 0,
        min_chars=reuse.settings.min_chars,
        reused_median_pct=_median(shares["reused_pct"]) if len(shares) else float("nan"),
        pairwise_median_pct=_median(shares["pairwise_pct"]) if len(shares) else float("nan"),
        by_part=by_part, with_previous=len(repeats),
        repeat_median_pct=_median(repeats["repeat_pct"]) if len(repeats) else float("nan"),
        repeat_pairwise_median_pct=_median(repeats["repeat_pairwise_pct"]) if len(repeats) else float("nan"))


def _pct(value: float) -> str:
    return f"{value:.1f} %" if np.isfinite(value) else "n/a"


def words(f: ReuseFigures) -> list[str]:
    """The reuse findings as sentences, each number with its denominator; what cannot be said is said so."""
    if f.reports_with_text < 2:
        return [f"Text reuse needs two reports with text; this corpus has {f.reports_with_text:,} "
                f"(of {f.reports:,} reports)."]
    threshold = (f"boilerplate: text held by at least {f.boilerplate_reports:,} of the {f.reports_with_text:,} reports; "
                 f"the threshold is {_rule(f)}")
    out = []
    if f.boilerplate_reports > f.reports_with_text:
        out.append(f"With {f.reports_with_text:,} reports no text can be boilerplate ({threshold}).")
    else:
        out.append(f"{cap(of(f.reports_with_boilerplate, f.reports_with_text, 'reports'))} hold boilerplate "
                   f"({threshold}); {f.boilerplate_passages:,} distinct boilerplate "
                   f"passage{'' if f.boilerplate_passages == 1 else 's'} of at least {f.min_chars} characters.")
    out.append(f"{cap(of(f.reports_copying, f.reports_with_text, 'reports'))} share at least one passage of "
               f"{f.min_chars} or more characters with another report beyond boilerplate: {f.pairwise_passages:,} "
               f"passages in {f.copying_pairs:,} pairs of reports (of {f.candidate_pairs:,} candidate pairs aligned).")
    out.append(f"The median report has {_pct(f.reused_median_pct)} of its characters in another report "
               f"({_pct(f.pairwise_median_pct)} beyond boilerplate).")
    if "plans" in f.by_part and "measures" in f.by_part:
        plans, measures = f.by_part["plans"], f.by_part["measures"]
        if plans[0] > measures[0]:
            verdict = "plans copy more than measures"
        elif plans[0] < measures[0]:
            verdict = "plans copy less than measures"
        else:
            verdict = "plans and measures copy alike"
        out.append(f"Beyond boilerplate, {verdict}: {_pct(plans[0])} of all plans' characters are copied "
                   f"({of(plans[1], plans[2], 'reports')}' plans hold a copied passage) against {_pct(measures[0])} "
                   f"of all measures' characters ({of(measures[1], measures[2], 'reports')}' measures).")
    if f.with_previous:
        out.append(f"{cap(of(f.with_previous, f.reports_with_text, 'reports'))} have their unit's report of the "
                   f"year before in the corpus: a median {_pct(f.repeat_median_pct)} of their plans repeats it "
                   f"({_pct(f.repeat_pairwise_median_pct)} beyond boilerplate).")
    else:
        out.append("No report has its unit's report of the year before in the corpus: the year-to-year repeat of "
                   "plans cannot be measured here.")
    return out


def _rule(f: ReuseFigures) -> str:
    return (f"{f.boilerplate_share:.0%} of the reports, at least {f.boilerplate_min_reports} and at most "
            f"{f.boilerplate_max_reports:,}")


def limits(f: ReuseFigures) -> list[str]:
    """What the reuse figures cannot say, for this corpus's settings."""
    capped = (f.boilerplate_reports == f.boilerplate_max_reports < math.ceil(f.boilerplate_share * f.reports_with_text))
    return [f"Passages of fewer than {f.min_chars} content characters (Han characters, letters, digits) are not "
            "counted; a short stock phrase inside paragraphs that otherwise differ can be missed (LSH compares "
            f"paragraphs); boilerplate is text held by at least {f.boilerplate_reports:,} reports, a threshold set "
            f"by the corpus's size ({_rule(f)})"
            + (f": text that {f.boilerplate_reports:,} reports or more hold word for word counts as template "
               "language, not copying, and which pairs of them share it is not listed." if capped else ".")]


def title(f: ReuseFigures) -> str:
    """The reuse chart's title: the finding on plans against measures, or what holds for this corpus."""
    if f.reports_with_text < 2:
        return "One report: nothing to compare it with"
    if "plans" in f.by_part and "measures" in f.by_part and f.copying_pairs:
        plans, measures = f.by_part["plans"][0], f.by_part["measures"][0]
        if plans != measures:
            return (f"Beyond boilerplate, plans copy {'more' if plans > measures else 'less'} than measures "
                    f"({_pct(plans)} of plans' characters against {_pct(measures)})")
    if not f.copying_pairs and not f.boilerplate_passages:  # a few unrelated reports: nothing is shared at all
        return "No report copies another beyond boilerplate; nor do reports share template language"
    if not f.copying_pairs:
        return "No report copies another beyond boilerplate; what reports share is template language"
    return f"{f.reports_copying:,} of {f.reports_with_text:,} reports share passages beyond boilerplate"


def reuse_findings(reuse: Reuse) -> Findings:
    """The reuse section's :class:`helpers.findings.Findings` (sentences, limits, figures) for ``findings.show``."""
    f = summary(reuse)
    return Findings(sentences=words(f), limits=limits(f), figures=f)
