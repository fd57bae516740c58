"""Tokenise reports with jieba and the 法治 lexicon; cache tokens on disk.

* Two backends give the same tokens: ``rjieba`` (jieba-rs, Rust, about 18× faster) and ``jieba`` (the Python
  reference). The default is rjieba; ``STUDY_TOKENISER=jieba`` (or ``Tokeniser(backend="jieba")``) picks the
  reference. ``tests/test_tokenise.py`` checks, on every bundled report and the external reports, that both give
  identical tokens with the lexicon, HMM off; the default may stay rjieba only while that test holds. With the
  HMM on (only the word-segmentation comparison in notebook 02 uses it) the reference is used.

* HMM new-word guessing is **off** by default: with it on, jieba invents words from unseen character runs
  (names, but also false words across word boundaries), which makes counts depend on the model's guesses.
* Every lexicon term comes out as one token: terms written with characters jieba splits on (``双随机、一公开``,
  ``书记抓、抓书记``, ``社区戒毒（康复）工作站``) are matched first and kept whole; the rest of the text goes to
  jieba with the lexicon added at its tuned frequencies (tuned by :mod:`helpers.lexicon_tuning`; the tokeniser is
  scored against the hand-segmented word gold by :mod:`helpers.word_gold`).
* Tokens carry offsets into the normalised text. They are cached as token end offsets in
  ``data/processed/cache/tokens/``, keyed by a hash of the text, the lexicon's fingerprint and the settings,
  so re-running is cheap and a changed lexicon never reuses stale tokens.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.corpus import Report
from helpers.lexicon import Lexicon, default_lexicon
from helpers.paths import CACHE

#: Characters jieba keeps inside one block (its ``re_han_default``); a term with any other character is
#: matched before jieba sees the text.
_JIEBA_BLOCK = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
_HAN = re.compile(r"[\u4E00-\u9FFF]")
_NUMBER = re.compile(r"^[0-9.,%]+$")
#: jieba frequency used when a lexicon term has none tuned yet.
DEFAULT_TERM_FREQ = 10_000
#: Floor of a tuned frequency: as common as a moderately common jieba word, so that a term also stays
#: whole in reports the tuning has not seen.
MIN_TERM_FREQ = 1_000

#: The tokeniser backends; the first is the default unless ``STUDY_TOKENISER`` names another.
BACKENDS = ("rjieba", "jieba")

logging.getLogger("jieba").setLevel(logging.WARNING)


def default_backend() -> str:
    """The backend named by ``STUDY_TOKENISER``, else ``rjieba``.

    Raises:
        ValueError: ``STUDY_TOKENISER`` names no backend.
    """
    name = os.environ.get("STUDY_TOKENISER", "").strip() or BACKENDS[0]
    if name not in BACKENDS:
        raise ValueError(f"STUDY_TOKENISER={name!r}: use one of {', '.join(BACKENDS)}")
    return name


def _silence_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)


class Tokeniser:
    """jieba with the study's lexicon.

    Args:
        lexicon: the lexicon (default: ``data/lexicon``); ``None`` entries fall back to the default.
        hmm: jieba's HMM new-word guessing (default off).
        use_lexicon: add the lexicon's terms (off = bare jieba, for comparisons).
        cache_dir: where token caches go (default ``data/processed/cache``); ``False`` disables caching.
        backend: ``rjieba`` or ``jieba`` (default :func:`default_backend`); with ``hmm`` on, always ``jieba``.
    """

    def __init__(self, lexicon: Lexicon | None = None, hmm: bool = False, use_lexicon: bool = True,
                 cache_dir: Path | str | bool | None = None, backend: str | None = None) -> None:
        self.lexicon = lexicon or default_lexicon()
        self.hmm = hmm
        self.backend = "jieba" if hmm else (backend or default_backend())
        if self.backend not in BACKENDS:
            raise ValueError(f"tokeniser backend {self.backend!r}: use one of {', '.join(BACKENDS)}")
        self._rjieba = None
        self.use_lexicon = use_lexicon
        folder = cache_dir if isinstance(cache_dir, (str, Path)) and str(cache_dir) else CACHE  # True, None: the default
        self.cache_dir = None if cache_dir is False else Path(folder) / "tokens"
        self._jieba = None
        protected = [t for t in self.lexicon.terms["term"] if not _JIEBA_BLOCK.match(t)] if use_lexicon else []
        protected.sort(key=lambda t: (-len(t), t))
        self._protected = re.compile("|".join(map(re.escape, protected))) if protected else None

    @property
    def settings_key(self) -> str:
        """What the tokens depend on besides the text."""
        lex = self.lexicon.fingerprint if self.use_lexicon else "none"
        return f"{self.backend}|hmm={self.hmm}|lexicon={lex}"

    def jieba(self):
        """The underlying ``jieba.Tokenizer``, built on first use with the lexicon added."""
        if self._jieba is None:
            _silence_jieba()
            import jieba

            tok = jieba.Tokenizer()
            tok.initialize()
            if self.use_lexicon:
                for term, freq in zip(self.lexicon.terms["term"], self.lexicon.terms["freq"]):
                    if _JIEBA_BLOCK.match(term):
                        tok.add_word(term, int(freq) or DEFAULT_TERM_FREQ)
            self._jieba = tok
        return self._jieba

    def rjieba(self):
        """The ``rjieba.Jieba`` instance, built on first use with the lexicon added at the same frequencies."""
        if self._rjieba is None:
            import rjieba

            tok = rjieba.Jieba()
            if self.use_lexicon:
                for term, freq in zip(self.lexicon.terms["term"], self.lexicon.terms["freq"]):
                    if _JIEBA_BLOCK.match(term):
                        tok.add_word(term, int(freq) or DEFAULT_TERM_FREQ, None)
            self._rjieba = tok
        return self._rjieba

    def _cut(self, text: str) -> list[str]:
        if not text:
            return []
        if self.backend == "rjieba":
            return self.rjieba().cut(text, self.hmm)
        return [word for word, _, _ in self.jieba().tokenize(text, HMM=self.hmm)]

    def cut(self, text: str) -> list[str]:
        """The tokens of ``text``, uncached: lexicon terms jieba would split are matched first and kept whole."""
        if self._protected is None:
            return self._cut(text)
        tokens: list[str] = []
        pos = 0
        for m in self._protected.finditer(text):
            tokens.extend(self._cut(text[pos : m.start()]))
            tokens.append(m.group())
            pos = m.end()
        tokens.extend(self._cut(text[pos:]))
        return tokens

    def token_ends(self, text: str) -> np.ndarray:
        """End offsets of the tokens of ``text`` (tokens are ``text[ends[k-1]:ends[k]]``), uncached."""
        return np.cumsum(np.fromiter(map(len, self.cut(text)), dtype=np.int64))

    def cached_token_ends(self, text: str) -> np.ndarray:
        """:meth:`token_ends`, read from or written to the on-disk cache."""
        if self.cache_dir is None:
            return self.token_ends(text)
        key = hashlib.sha256(f"{self.settings_key}\0{text}".encode()).hexdigest()
        path = self.cache_dir / f"{key}.npy"
        if path.is_file():
            return np.load(path)
        ends = self.token_ends(text)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, ends)
        tmp.replace(path)
        return ends

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """``(token, start, end)`` for every token of ``text``, white space and punctuation included."""
        ends = self.cached_token_ends(text)
        starts = np.concatenate(([0], ends[:-1])) if len(ends) else ends
        return [(text[s:e], int(s), int(e)) for s, e in zip(starts, ends)]

    def lcut(self, text: str) -> list[str]:
        """The tokens of ``text`` as strings (like ``jieba.lcut``)."""
        return [t for t, _, _ in self.tokenize(text)]


def backend_differences(texts: Sequence[str], lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Where the rjieba and jieba backends cut ``texts`` differently (lexicon on, HMM off).

    Returns:
        One row per stretch of text cut differently: ``text`` (index into ``texts``), ``start``, ``end``
        (offsets of the stretch), ``jieba`` and ``rjieba`` (the tokens, joined by ``/``). Empty when identical.
    """
    reference = Tokeniser(lexicon, backend="jieba", cache_dir=False)
    fast = Tokeniser(lexicon, backend="rjieba", cache_dir=False)
    rows = []
    for n, text in enumerate(texts):
        a, b = reference.token_ends(text), fast.token_ends(text)
        if len(a) == len(b) and (a == b).all():
            continue
        shared = np.intersect1d(a, b)  # token ends both backends agree on; a difference lies between two of them
        bounds = np.concatenate(([0], shared))
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            cut_a, cut_b = a[(a > lo) & (a <= hi)], b[(b > lo) & (b <= hi)]
            if len(cut_a) != len(cut_b) or (cut_a != cut_b).any():
                rows.append({"text": n, "start": int(lo), "end": int(hi),
                             "jieba": "/".join(text[s:e] for s, e in zip(np.r_[lo, cut_a[:-1]], cut_a)),
                             "rjieba": "/".join(text[s:e] for s, e in zip(np.r_[lo, cut_b[:-1]], cut_b))})
    return pd.DataFrame(rows, columns=["text", "start", "end", "jieba", "rjieba"])


def token_kind(token: str) -> str:
    """``word`` (holds a Han character or letter), ``number``, ``space`` or ``punct``."""
    if token.isspace():
        return "space"
    if _HAN.search(token) or any(c.isalpha() for c in token):
        return "word"
    if _NUMBER.match(token):
        return "number"
    return "punct"


#: The columns of the tokens table, in order.
TOKEN_COLUMNS = ("report_id", "part_seq", "part", "item_seq", "token", "start", "end", "raw_start", "raw_end",
                 "token_kind", "is_function", "is_filler", "is_marker", "category", "content")


def _char_byte_offsets(text: str) -> np.ndarray:
    """``offsets[k]``: the UTF-8 byte offset of character ``k`` of ``text`` (and ``len(text)`` → its length)."""
    code = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    dtype = np.int32 if len(code) < 2**29 else np.int64  # 4 bytes a character at most
    widths = 1 + (code >= 0x80).astype(dtype) + (code >= 0x800) + (code >= 0x10000)
    offsets = np.zeros(len(code) + 1, dtype=dtype)
    np.cumsum(widths, out=offsets[1:])
    return offsets


def _slices(text: str, starts: np.ndarray, ends: np.ndarray):
    """``text[starts[k]:ends[k]]`` for every k, as an Arrow string array.

    Built from the text's UTF-8 bytes, without one Python string per slice, when the slices tile the text (as a
    report's tokens do).
    """
    import pyarrow as pa

    tiled = len(starts) and starts[0] == 0 and ends[-1] == len(text) and np.array_equal(starts[1:], ends[:-1])
    if not tiled:
        return pa.array([text[a:b] for a, b in zip(starts.tolist(), ends.tolist())], type=pa.string())
    data = text.encode("utf-8")
    offsets = _char_byte_offsets(text)[np.append(starts, len(text))]
    if len(data) < 2**31:
        return pa.StringArray.from_buffers(len(starts), pa.py_buffer(offsets.astype(np.int32, copy=False)),
                                           pa.py_buffer(data))
    return pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets.astype(np.int64, copy=False)),
                                            pa.py_buffer(data)).cast(pa.string())


def token_arrays(reports: Sequence[Report], tokeniser: Tokeniser | None = None, progress: bool = False):
    """The tokens table as a ``pyarrow.Table`` (what the store writes; see :func:`tokens_table`).

    The columns of strings that repeat (``report_id``, ``part``, ``token``, ``token_kind``, ``category``) come
    dictionary-encoded, as Parquet stores them; :func:`plain` decodes them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    tokeniser = tokeniser or Tokeniser()
    lex = tokeniser.lexicon
    if progress:
        from tqdm import tqdm

        reports = tqdm(reports, desc="tokenising", unit="report")
    texts, token_starts, token_ends, counts, report_ids = [], [], [], [], []
    part_seqs, part_codes, item_seqs, raw_starts, raw_ends = [], [], [], [], []  # per token, report by report
    part_names: dict[str, int] = {}  # part label → its code in the dictionary-encoded column
    for r in reports:
        text = r.text
        if tokeniser.cache_dir is None:
            cut = tokeniser.cut(text)
            ends = np.cumsum(np.fromiter(map(len, cut), dtype=np.int64, count=len(cut)))
        else:
            ends = tokeniser.cached_token_ends(text)
        starts = np.zeros_like(ends)
        starts[1:] = ends[:-1]
        texts.append(text)
        token_starts.append(starts)
        token_ends.append(ends)
        counts.append(len(ends))
        report_ids.append(r.report_id)
        seg = r.segmentation
        part, item = seg.locate(starts)  # each token's part and item, by where it starts
        part_seqs.append(np.array([p.seq for p in seg.parts], dtype=np.int64)[part] if len(part) else part)
        part_codes.append(np.array([part_names.setdefault(p.label, len(part_names)) for p in seg.parts],
                                   dtype=np.int32)[part] if len(part) else part.astype(np.int32))
        item_seqs.append(np.array([*(i.item_seq for i in seg.items), -1], dtype=np.int64)[item])
        if len(ends):  # a token's span in the raw file (NormalisedText.to_raw of its span)
            raw_starts.append(np.asarray(r.normalised.raw_start, dtype=np.int64)[starts])
            raw_ends.append(np.asarray(r.normalised.raw_end, dtype=np.int64)[ends - 1])

    def joined(arrays: list, dtype) -> np.ndarray:
        return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)

    text = "".join(texts)
    starts, ends = joined(token_starts, np.int64), joined(token_ends, np.int64)  # in each report's text
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    base_of = np.repeat(np.cumsum(lengths) - lengths, counts)  # each token's report's first character in ``text``
    item_seq = joined(item_seqs, np.int64)
    raw_start, raw_end = joined(raw_starts, np.int64), joined(raw_ends, np.int64)
    token = pc.dictionary_encode(_slices(text, starts + base_of, ends + base_of))
    # every property of a token depends on the token alone: compute it once per distinct token
    distinct = pd.Series(token.dictionary.to_pylist(), dtype=object)
    kind = distinct.map(token_kind).to_numpy(dtype=object)
    is_function = distinct.isin(lex.function_words).to_numpy()
    is_filler = distinct.isin(lex.filler_words).to_numpy()
    is_marker = distinct.isin(lex.shortcoming_markers).to_numpy()
    category = distinct.map(lex.category).fillna("").to_numpy(dtype=object)
    content = (kind == "word") & (distinct.str.len() >= 2).to_numpy() & ~is_function & ~is_filler
    codes = token.indices

    def encoded(indices, values) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(indices, type=pa.int32()), pa.array(values, type=pa.string()))

    def per_token(values) -> pa.Array:
        return pc.take(pa.array(values, type=pa.bool_()), codes)

    def small_dictionary(values) -> pa.DictionaryArray:
        """A property of each distinct token, per token, with one dictionary entry per value (not per token)."""
        value_codes, uniques = pd.factorize(values)
        return encoded(value_codes.astype(np.int32)[codes.to_numpy(zero_copy_only=False)], list(uniques))

    return pa.table({
        "report_id": encoded(np.repeat(np.arange(len(report_ids), dtype=np.int32), counts), report_ids),
        "part_seq": joined(part_seqs, np.int64),
        "part": encoded(joined(part_codes, np.int32), list(part_names)),
        "item_seq": pa.array(item_seq, mask=item_seq < 0, type=pa.int64()),
        "token": token,
        "start": starts,
        "end": ends,
        "raw_start": raw_start,
        "raw_end": raw_end,
        "token_kind": small_dictionary(kind),
        "is_function": per_token(is_function),
        "is_filler": per_token(is_filler),
        "is_marker": per_token(is_marker),
        "category": small_dictionary(category),
        "content": per_token(content),
    })


def plain(table):
    """``table`` with its dictionary-encoded columns decoded (a ``pyarrow.Table``)."""
    import pyarrow as pa

    for k, f in enumerate(table.schema):
        if pa.types.is_dictionary(f.type):
            table = table.set_column(k, f.name, table.column(k).cast(f.type.value_type))
    return table


def item_token_arrays(tokens):
    """Each item's content tokens, space-joined in text order: ``report_id, part_seq, item_seq, tokens``.

    A ``pyarrow.Table``, from :func:`token_arrays`'s table: the texts that item-level TF-IDF and NMF read.

    An item's tokens are contiguous in a report's tokens (items do not overlap), so each item is one run of rows,
    joined in Arrow.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kept = tokens.filter(pc.and_(tokens["content"], pc.is_valid(tokens["item_seq"])))
    n = kept.num_rows
    report_id = kept["report_id"].combine_chunks()
    if not pa.types.is_dictionary(report_id.type):
        report_id = pc.dictionary_encode(report_id)
    report = report_id.indices.to_numpy(zero_copy_only=False)
    part_seq = kept["part_seq"].to_numpy()
    item_seq = kept["item_seq"].to_numpy()
    new = np.ones(n, dtype=bool)
    new[1:] = (report[1:] != report[:-1]) | (part_seq[1:] != part_seq[:-1]) | (item_seq[1:] != item_seq[:-1])
    firsts = np.flatnonzero(new)
    words = kept["token"].combine_chunks()
    if pa.types.is_dictionary(words.type):
        words = words.cast(words.type.value_type)
    lists = pa.ListArray.from_arrays(pa.array(np.append(firsts, n), type=pa.int32()), words)
    return pa.table({
        "report_id": report_id.take(pa.array(firsts)).cast(pa.string()),
        "part_seq": pa.array(part_seq[firsts], type=pa.int64()),
        "item_seq": pa.array(item_seq[firsts], type=pa.int64()),
        "tokens": pc.binary_join(lists, " "),
    })


def term_count_arrays(tokens):
    """Each report's content tokens counted: ``report_id, token, n, first`` and the token's properties.

    A ``pyarrow.Table``, from :func:`token_arrays`'s table; ``first`` is the offset of the token's first occurrence.

    What per-report vocabulary (top terms, TF-IDF) reads: a third of the tokens table's rows, so its aggregates
    in DuckDB need a third of the work.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = np.flatnonzero(tokens["content"].to_numpy(zero_copy_only=False))

    def codes(column) -> np.ndarray:
        array = column.combine_chunks()
        if not pa.types.is_dictionary(array.type):
            array = pc.dictionary_encode(array)
        return array.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    token_codes = codes(tokens["token"])[rows]
    key = codes(tokens["report_id"])[rows] * (int(token_codes.max(initial=0)) + 1) + token_codes
    _, first, n = np.unique(key, return_index=True, return_counts=True)  # each group's first row, and its size
    order = np.argsort(first, kind="stable")  # groups in order of their first occurrence
    first, n = first[order], n[order]
    taken = tokens.take(pa.array(rows[first], type=pa.int64()))
    return pa.table({
        "report_id": taken["report_id"], "token": taken["token"], "n": pa.array(n, type=pa.int64()),
        "first": taken["start"], **{c: taken[c] for c in ("token_kind", "content", "category", "is_function", "is_filler",
                                                         "is_marker")},
    })


def tokens_table(reports: Sequence[Report], tokeniser: Tokeniser | None = None, progress: bool = False) -> pd.DataFrame:
    """One row per token of every report, tied to its part and item.

    Returns:
        Columns :data:`TOKEN_COLUMNS`: ``report_id, part_seq, part, item_seq, token, start, end, raw_start, raw_end,
        token_kind, is_function, is_filler, is_marker, category, content``; ``start``/``end`` are offsets into the
        normalised text, ``raw_start``/``raw_end`` into the file as read. ``item_seq`` is ``<NA>`` for tokens
        outside any item (headings, line breaks); ``category`` is the lexicon category or ``""``; ``content`` marks
        the tokens counted as vocabulary: words of two or more characters that are neither function words nor
        filler.
    """
    return arrow_to_pandas(plain(token_arrays(reports, tokeniser, progress)), ("item_seq",))


def arrow_to_pandas(table, nullable_ints: Sequence[str] = ()) -> pd.DataFrame:
    """A ``pyarrow.Table`` as the study's DataFrames have it: ``Int64`` for the nullable integer columns named."""
    frame = table.to_pandas()
    for column in nullable_ints:
        frame[column] = frame[column].astype("Int64")
    return frame
