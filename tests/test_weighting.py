"""The study's two TF-IDFs (helpers.weighting) against the definitions they claim."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from helpers.weighting import plain_idf, smooth_idf, tfidf_matrix

TEXTS = ["依法 行政 依法 决策", "", "行政 执法  执法 监督", "普法 宣传", "依法 普法", "  ", "监督 行政 复议"]


@pytest.mark.parametrize("min_df", [1, 2, 3])
def test_tfidf_matrix_gives_the_floats_tfidfvectorizer_gives(min_df):
    expected = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, min_df=min_df)
    want = expected.fit_transform(TEXTS)
    got, terms = tfidf_matrix(pd.Series(TEXTS), min_df=min_df)
    assert list(terms) == list(expected.get_feature_names_out())
    assert got.shape == want.shape
    if min_df > 1:  # the NMF topics' matrix: the same floats, not just close ones
        assert np.array_equal(got.toarray(), want.toarray())
    else:  # scikit-learn leaves a row's columns unsorted here, so its L2 norm sums in another order
        np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=0, atol=1e-15)


def test_tfidf_matrix_by_hand():
    matrix, terms = tfidf_matrix(["甲 甲 乙", "乙"])
    assert list(terms) == ["乙", "甲"]
    # smooth idf: 乙 in both texts ln(3/3)+1 = 1; 甲 in one ln(3/2)+1; raw counts; rows L2-normalised
    a, b = 1.0, 2 * (math.log(3 / 2) + 1)
    norm = math.hypot(a, b)
    assert matrix.toarray() == pytest.approx(np.array([[a / norm, b / norm], [1.0, 0.0]]))


def test_tfidf_matrix_keeps_one_character_words_and_reads_a_missing_text_as_empty():
    matrix, terms = tfidf_matrix(pd.Series(["法 治 法", None, "法"]))
    want = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False).fit_transform(["法 治 法", "", "法"])
    assert list(terms) == ["治", "法"]
    np.testing.assert_allclose(matrix.toarray(), want.toarray(), rtol=0, atol=1e-15)


def test_tfidf_matrix_of_texts_without_shared_terms_has_no_columns():
    matrix, terms = tfidf_matrix(["甲", "乙", ""], min_df=2)
    assert matrix.shape == (3, 0) and len(terms) == 0
    assert tfidf_matrix([])[0].shape == (0, 0)


def test_the_two_idfs():
    assert plain_idf(5, np.array([5, 1])) == pytest.approx([0.0, math.log(5)])  # shared by all: 0
    assert smooth_idf(5, np.array([5, 1])) == pytest.approx([1.0, math.log(6 / 2) + 1])  # shared by all: 1


@pytest.mark.parametrize("min_df", [1, 2])
def test_tfidf_matrix_by_batches_and_of_chosen_rows_is_the_same_to_the_bit(min_df):
    """Split a few texts at a time, and vectors for some rows only (the idf still over every text): same floats."""
    texts = pd.Series([*TEXTS, None, "执法 执法 依法 监督 宣传", "复议"] * 3)
    whole, terms = tfidf_matrix(texts, min_df=min_df)
    chosen = np.array([i % 3 != 1 for i in range(len(texts))])
    for batch in (1, 2, 5, 1000):
        got, got_terms = tfidf_matrix(texts, min_df=min_df, batch=batch)
        assert list(got_terms) == list(terms)
        for a, b in ((got, whole), (tfidf_matrix(texts, min_df=min_df, rows=chosen, batch=batch)[0], whole[chosen])):
            assert a.shape == b.shape and a.has_sorted_indices
            assert all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ("data", "indices", "indptr"))
    none = tfidf_matrix(texts, min_df=min_df, rows=np.zeros(len(texts), dtype=bool))[0]
    assert none.shape == (0, len(terms))
