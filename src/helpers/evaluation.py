"""Agreement of predicted with gold annotations.

The one definition of precision, recall and F1 the study uses (word segmentation against its gold sample, themes
against the hand codes).
"""

from __future__ import annotations


def precision_recall_f1(correct: float, predicted: float, gold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts: ``correct`` of ``predicted`` against ``gold`` (0 where undefined).

    Example:
        >>> precision_recall_f1(3, 4, 6)
        (0.75, 0.5, 0.6)
    """
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


__all__ = ["precision_recall_f1"]
