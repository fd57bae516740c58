"""DataFrames built the fast way from the rows a per-report loop collects."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def frame_from_rows(rows: Sequence[tuple], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of ``rows`` (tuples in ``columns`` order), built column by column.

    pandas infers a column from a list about 3× faster than it splits rows into columns; no row gives the columns
    with no rows (of object dtype, as ``pd.DataFrame([], columns=…)`` does).

    Example:
        >>> frame_from_rows([("a", 1), ("b", 2)], ["id", "n"]).to_dict("list")
        {'id': ['a', 'b'], 'n': [1, 2]}
    """
    data: dict[str, Sequence] = dict(zip(columns, zip(*rows))) if rows else {c: [] for c in columns}
    return pd.DataFrame(data, columns=list(columns))
