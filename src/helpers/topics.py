"""NMF topics over the coded items: an unsupervised cross-check of the codebook's themes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.segment import ITEM_KEYS
from helpers.themes import split_labels
from helpers.unavailable import Unavailable
from helpers.weighting import tfidf_matrix

#: NMF is fitted on at most this many items: past it, on a seeded random sample of them.
NMF_SAMPLE = 20_000


def nmf_items(item_tokens: pd.DataFrame, limit: int = NMF_SAMPLE, seed: int = 0) -> pd.DataFrame:
    """The items NMF is fitted on: all of them up to ``limit``, else a random sample of ``limit``.

    The sample is seeded and kept in corpus order. Eight topics are as well estimated from 20 000 items as from
    300 000, at a fifteenth of the cost.
    """
    if len(item_tokens) <= limit:
        return item_tokens
    rows = np.sort(np.random.default_rng(seed).choice(len(item_tokens), size=limit, replace=False))
    return item_tokens.iloc[rows].reset_index(drop=True)


def nmf_item_tokens(study, coded: pd.DataFrame, limit: int = NMF_SAMPLE, seed: int = 0) -> pd.DataFrame:
    """``nmf_items(item_token_texts(study.item_texts(), coded), limit, seed)``, reading only the sample's tokens.

    Which coded items have tokens is read first (their keys), the sample is drawn from them as :func:`nmf_items`
    draws it, and then its items' tokens are read: every coded item's tokens held 0.4 GB at 10⁴ reports and
    grew with the corpus, for a sample of at most ``limit`` items. ``study``: a :class:`helpers.context.Study` or
    its :class:`helpers.store.Store`.
    """
    keys = nmf_items(item_token_texts(study.item_texts(tokens=False), coded), limit, seed)
    return item_token_texts(study.item_texts(keys), keys)


def nmf_topics(texts: Sequence[str], n_topics: int, seed: int = 0,
               top: int = 8) -> tuple[pd.DataFrame | Unavailable, np.ndarray | Unavailable]:
    """NMF over TF-IDF (:func:`helpers.weighting.tfidf_matrix`) of pre-tokenised texts (tokens separated by spaces).

    Returns:
        ``(topics, weights)``: ``topics`` has one row per topic with its ``top`` terms; ``weights`` is the
        items × topics matrix (rows sum to whatever NMF gives; the dominant topic is the argmax). Both are
        :class:`~helpers.unavailable.Unavailable` when there are fewer items or shared terms than topics.
    """
    from sklearn.decomposition import NMF

    matrix, terms = tfidf_matrix(texts, min_df=2)  # the terms of two items or more
    if min(matrix.shape) < n_topics:
        gap = Unavailable(f"{n_topics} NMF topics over the items", f"this corpus has {len(texts)} coded items with words "
                          f"and {matrix.shape[1]} terms used in two items or more; "
                          f"{n_topics} topics need at least {n_topics} of each")
        return gap, gap
    model = NMF(n_components=n_topics, init="nndsvd", random_state=seed, max_iter=1000)
    weights = model.fit_transform(matrix)
    rows = []
    for k, component in enumerate(model.components_):
        order = np.argsort(-component, kind="stable")[:top]
        rows.append({"topic": f"T{k + 1}", "top_terms": " · ".join(terms[order])})
    return pd.DataFrame(rows), weights


def item_token_texts(item_texts: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """The content tokens of each coded item, space-joined: ``report_id, part_seq, item_seq, token``.

    Args:
        item_texts: every item's content tokens (:meth:`helpers.store.Store.item_texts`: ``…, tokens``).
        coded: :func:`code_items` output (the items kept).
    """
    keys = list(ITEM_KEYS)
    return item_texts.rename(columns={"tokens": "token"}).merge(coded[keys], on=keys)


def topics_by_theme(item_tokens: pd.DataFrame, weights: np.ndarray | Unavailable, labelled: pd.DataFrame,
                    ids: Sequence[str], name: str = "theme") -> pd.DataFrame | Unavailable:
    """Items per dominant NMF topic (rows) and theme (columns; ``(none)`` for items without one).

    Args:
        item_tokens: :func:`item_token_texts`, in the order of the rows of ``weights``.
        weights: the items × topics matrix of :func:`nmf_topics`.
        labelled: items with their ``themes`` (coder or hand codes).
        ids: theme ids, in column order.
        name: the columns' name (which labels they are).
    """
    if isinstance(weights, Unavailable):
        return weights
    keys = list(ITEM_KEYS)
    frame = item_tokens.assign(topic=[f"T{k + 1}" for k in weights.argmax(axis=1)]).merge(labelled[[*keys, "themes"]], on=keys)
    pairs = [(topic, theme) for topic, labels in zip(frame["topic"], split_labels(frame["themes"]))
             for theme in (labels or {"(none)"})]
    table = pd.crosstab(pd.Series([t for t, _ in pairs], name="topic"), pd.Series([h for _, h in pairs], name=name))
    return table.reindex(columns=[*ids, "(none)"], fill_value=0)
