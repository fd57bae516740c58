"""The one definition of precision, recall and F1, and of every occurrence of a string."""

from __future__ import annotations

import pytest

from helpers.evaluation import precision_recall_f1


def test_precision_recall_f1_from_counts():
    assert precision_recall_f1(3, 4, 6) == pytest.approx((0.75, 0.5, 0.6))
    assert precision_recall_f1(0, 0, 5) == (0.0, 0.0, 0.0)  # nothing predicted: precision undefined, taken as 0
    assert precision_recall_f1(0, 2, 0) == (0.0, 0.0, 0.0)  # no gold
    assert precision_recall_f1(2, 2, 2) == (1.0, 1.0, 1.0)


def test_occurrences_include_overlapping_ones():
    from helpers.spans import occurrences

    assert occurrences("调解调解调", "调解调") == [0, 2]
    assert occurrences("aaa", "aa") == [0, 1]
    assert occurrences("法治", "不够") == []
    assert occurrences("调解、调解、调解", "调解") == [0, 3, 6]  # every one, not the first and the last
    with pytest.raises(ValueError, match="^an empty string occurs everywhere: give a word$"):
        occurrences("法治", "")
    with pytest.raises(ValueError):
        occurrences("法治", "")
