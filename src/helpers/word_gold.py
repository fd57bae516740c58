"""The tokeniser scored against the hand-segmented word gold (``data/annotations/word_segmentation_gold.txt``).

The sample was segmented by hand under ``docs/word_segmentation_convention.md`` before the tokeniser was scored
against it (notebook 02). "Segmentation" here means words; parts and items are :mod:`helpers.segment`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers.evaluation import precision_recall_f1
from helpers.tokenise import Tokeniser


def read_word_gold(path: Path | str) -> pd.DataFrame:
    """The hand-segmented gold sample: ``report_id, sentence, tokens`` (tokens as a list)."""
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        report_id, _, segmented = line.partition("\t")
        tokens = segmented.split(" ")
        if not segmented or any(t == "" for t in tokens):
            raise ValueError(f"{path}:{n}: expected report_id<TAB>tokens separated by single spaces")
        rows.append({"report_id": report_id, "sentence": "".join(tokens), "tokens": tokens})
    return pd.DataFrame(rows)


def _spans(tokens: Sequence[str]) -> set[tuple[int, int]]:
    spans, pos = set(), 0
    for t in tokens:
        spans.add((pos, pos + len(t)))
        pos += len(t)
    return spans


def word_scores(gold: pd.DataFrame, tokeniser: Tokeniser) -> pd.Series:
    """Token-level precision, recall and F1 of ``tokeniser`` against a gold sample.

    A predicted token is correct when a gold token has exactly the same span (the usual word-segmentation
    score, as in the SIGHAN bakeoffs).

    Returns:
        ``gold_tokens, predicted_tokens, correct, precision, recall, f1``.
    """
    n_gold = n_pred = correct = 0
    for sentence, tokens in zip(gold["sentence"], gold["tokens"]):
        predicted = [t for t in tokeniser.lcut(sentence)]
        g, p = _spans(tokens), _spans(predicted)
        n_gold, n_pred, correct = n_gold + len(g), n_pred + len(p), correct + len(g & p)
    precision, recall, f1 = precision_recall_f1(correct, n_pred, n_gold)
    return pd.Series({"gold_tokens": n_gold, "predicted_tokens": n_pred, "correct": correct,
                      "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)})


__all__ = ["read_word_gold", "word_scores"]
