"""Term weights: the study's two TF-IDFs, named and written once.

* **Distinctive terms of a report** (:func:`helpers.vocabulary.tfidf`, and the store's ranking in DuckDB):
  ``tf × idf`` with ``tf`` the term's share of the report's content tokens and the *plain* idf
  ``ln(N / df)`` (:func:`plain_idf`) — a term every report uses scores 0, so "distinctive" means "not shared by
  all".
* **Item vectors** (the cosine between a shortcoming and a plan item, :func:`helpers.comparison.responsiveness`;
  the NMF topics, :func:`helpers.topics.nmf_topics`): raw counts × the *smooth* idf
  ``ln((1 + N) / (1 + df)) + 1`` (:func:`smooth_idf`), rows L2-normalised — scikit-learn's ``TfidfVectorizer``
  defaults, so that a term in every item still weighs 1 and no vector is empty because its words are common.

``N`` is the number of documents (reports, or items) and ``df`` how many of them hold the term.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: The plain idf as DuckDB writes it (the store ranks each report's candidates with it): ``ln(N / df)``.
PLAIN_IDF_SQL = "ln(n_docs / df)"


def plain_idf(n_docs: int, df: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    """``ln(N / df)``: 0 for a term in every document."""
    return np.log(n_docs / df)


def smooth_idf(n_docs: int, df: np.ndarray) -> np.ndarray:
    """``ln((1 + N) / (1 + df)) + 1`` (scikit-learn's ``smooth_idf=True``, computed as it does, to the last bit)."""
    return np.log((n_docs + 1) / (np.asarray(df, dtype=np.float64) + 1.0)) + 1.0


#: Texts split into words at a time by :func:`tfidf_matrix` (its memory: about 0.2 GB a batch of items).
TFIDF_BATCH = 100_000


def _words(docs):
    """``(columns, ends, dictionary)``: each word's code in ``dictionary`` and where each text's words end."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = pc.utf8_split_whitespace(docs.cast(pa.large_string()))
    words = pc.list_flatten(lists)
    sizes = pc.utf8_length(words).to_numpy(zero_copy_only=False)
    ends = lists.offsets.to_numpy()  # each text's words end here (before dropping empty words, if any)
    ends = ends - ends[0]
    if (sizes == 0).any():  # "" and runs of spaces split into empty words: drop them, as str.split does
        kept = sizes > 0
        ends = np.concatenate(([0], np.cumsum(kept)))[ends]
        words = words.filter(pa.array(kept))
    encoded = pc.dictionary_encode(words)
    return np.array(encoded.indices.to_numpy(zero_copy_only=False)), ends, encoded.dictionary  # a writable copy


def _counts(columns: np.ndarray, ends: np.ndarray, width: int):
    """Texts × columns, each word counted (as floats: whole numbers, exact), the columns of a row sorted."""
    from scipy import sparse

    matrix = sparse.csr_matrix((np.ones(len(columns), dtype=np.float64), columns, ends), shape=(len(ends) - 1, width))
    matrix.sum_duplicates()  # a word twice in a text: one column, counted twice
    return matrix


def _documents(texts: Sequence[str] | pd.Series):
    """The texts as one Arrow string array, missing texts as ``""``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(texts, pa.Array | pa.ChunkedArray):
        docs = texts
    else:
        docs = pa.array(texts, from_pandas=True) if isinstance(texts, pd.Series) else pa.array(list(texts), pa.string())
    return pc.fill_null(docs.combine_chunks() if isinstance(docs, pa.ChunkedArray) else docs, "")


def document_frequencies(texts: Sequence[str] | pd.Series, batch: int = TFIDF_BATCH):
    """How many of ``texts`` (pre-tokenised, white space between tokens) hold each term.

    Returns:
        An Arrow table ``term, df`` in no particular order. The tables of several slices of a corpus add up
        (:func:`vocabulary`), so that the idf over every text never needs every text at once.
    """
    import pyarrow as pa

    docs, step = _documents(texts), max(batch, 1)
    counted = []  # each batch's terms and how many of its texts hold each
    for start in range(0, len(docs), step):
        columns, ends, dictionary = _words(docs.slice(start, step))
        held = np.bincount(_counts(columns, ends, len(dictionary)).indices, minlength=len(dictionary))
        counted.append(pa.table({"term": dictionary.cast(pa.large_string()), "df": pa.array(held, pa.int64())}))
        del columns, ends, dictionary
    return _summed(counted)


def _summed(counted: list):
    import pyarrow as pa

    if not counted:
        return pa.table({"term": pa.array([], pa.large_string()), "df": pa.array([], pa.int64())})
    summed = pa.concat_tables(counted).group_by("term").aggregate([("df", "sum")])
    return summed.rename_columns(["term", "df"] if summed.column_names[0] == "term" else ["df", "term"]).select(["term", "df"])


def vocabulary(counted: Sequence, n_docs: int, min_df: int = 1):
    """``(terms, idf)`` of a corpus of ``n_docs`` texts from its slices' :func:`document_frequencies`.

    The terms held by at least ``min_df`` texts in code point order (as Python sorts; an Arrow array) and their
    :func:`smooth_idf`.
    """
    import pyarrow.compute as pc

    every = _summed(list(counted))
    every = every.filter(pc.greater_equal(every["df"], min_df))
    every = every.take(pc.sort_indices(every["term"]))  # code point order, as Python sorts
    return every["term"].combine_chunks(), smooth_idf(n_docs, every["df"].to_numpy())


def tfidf_rows(texts: Sequence[str] | pd.Series, terms, idf: np.ndarray, min_df: int = 1, batch: int = TFIDF_BATCH):
    """The TF-IDF vectors of ``texts`` over a :func:`vocabulary` ``(terms, idf)``: a CSR matrix, texts × terms.

    Raw counts × idf, rows L2-normalised; words not among ``terms`` left out when ``min_df`` > 1. A text's vector
    does not depend on the other texts given with it, to the bit.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from scipy import sparse
    from sklearn.preprocessing import normalize

    docs, step = _documents(texts), max(batch, 1)
    parts = []
    for start in range(0, len(docs), step):
        columns, ends, dictionary = _words(docs.slice(start, step))
        rank = pc.index_in(dictionary.cast(pa.large_string()), value_set=terms).to_numpy(zero_copy_only=False)
        if min_df > 1:  # words of fewer than min_df texts dropped before the vectors are normalised
            known = np.isfinite(rank.astype(np.float64))
            rank = np.where(known, rank, -1).astype(np.int64)
            kept = known[columns]
            ends = np.concatenate(([0], np.cumsum(kept)))[ends]
            columns = columns[kept]
        matrix = _counts(rank.astype(np.int64)[columns], ends, len(terms))
        matrix.data *= idf[matrix.indices]
        parts.append(normalize(matrix, norm="l2", copy=False) if min(matrix.shape) else matrix)
        del columns, ends, dictionary, rank
    return (sparse.vstack(parts, format="csr") if parts
            else sparse.csr_matrix((len(docs), len(terms)), dtype=np.float64))


def tfidf_matrix(texts: Sequence[str] | pd.Series, min_df: int = 1, rows: np.ndarray | None = None,
                 batch: int = TFIDF_BATCH):
    """TF-IDF vectors of pre-tokenised texts (tokens separated by white space): ``(matrix, terms)``.

    Raw counts × :func:`smooth_idf`, rows L2-normalised, over the terms held by at least ``min_df`` texts, in
    the terms' sorted order — what ``TfidfVectorizer(tokenizer=str.split, lowercase=False, min_df=min_df)``
    gives (to 1e-15, and to the bit for ``min_df`` ≥ 2: ``tests/test_weighting.py``), with the counting done
    in Arrow rather than one Python loop per token: 10× faster on 10⁵ items.

    The texts are split ``batch`` at a time, twice: once to count each term's texts (the idf,
    :func:`document_frequencies`), once for the vectors (:func:`tfidf_rows`) — of the texts ``rows`` selects
    only, when given (a boolean mask), the idf still counting every text. Every word of 5·10⁵ items at once took
    1.2 GB; each row's vector is the same either way, to the bit.

    Returns:
        A ``scipy.sparse`` CSR matrix (texts, or the texts ``rows`` selects, × terms) and the terms (a NumPy
        array of str).
    """
    import pyarrow as pa

    docs = _documents(texts)
    terms, idf = vocabulary([document_frequencies(docs, batch)], len(docs), min_df)
    chosen = docs if rows is None else docs.take(pa.array(np.flatnonzero(np.asarray(rows, dtype=bool))))
    return tfidf_rows(chosen, terms, idf, min_df, batch), np.asarray(terms.to_pylist(), dtype=object)
