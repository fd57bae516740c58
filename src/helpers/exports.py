"""Tables written as CSV the fast way, byte for byte as pandas writes them.

The study's exports (``OUT/processed/*.csv``: text reuse's passages, the claims, the coded instruments …) run to
hundreds of megabytes at 10⁴ reports; pandas formats them a value at a time in Python. Not part of the per-report
step (a change here leaves every store up to date).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers import memory


def _csv_column(values: pd.Series) -> pa.Array | None:
    """One column's CSV fields as pandas writes them (before quoting), or None for a dtype not handled here."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if not all(isinstance(c, str) for c in dtype.categories):
            return None
        values = values.astype(object)
        dtype = values.dtype
    if dtype == np.dtype(bool):
        return pa.array(np.where(values.to_numpy(), "True", "False"), type=pa.large_string())
    if isinstance(dtype, pd.BooleanDtype):
        flags = values.to_numpy(dtype=object, na_value=None)
        return pa.array(["" if v is None else "True" if v else "False" for v in flags], type=pa.large_string())
    if pd.api.types.is_integer_dtype(dtype):  # int64 …, and nullable Int64 (NA: empty)
        return pc.fill_null(pa.array(values, from_pandas=True).cast(pa.large_string()), "")
    if dtype == np.dtype(np.float64):
        # numpy's str of a float64 is Python's repr (shortest round trip): what pandas writes; NaN: empty
        return pa.array(["" if x != x else repr(x) for x in values.to_numpy(dtype=np.float64).tolist()],
                        type=pa.large_string())
    if pd.api.types.is_string_dtype(dtype):
        if dtype == np.dtype(object):
            items = values.to_numpy(dtype=object)
            absent = pd.isna(items)
            present = items[~absent]
            if not all(type(v) is str for v in present.tolist()):  # numbers, lists … as objects: pandas' own str()
                return None
            items = items.copy()
            items[absent] = ""
            return pa.array(items, type=pa.large_string())
        return pc.fill_null(pa.array(values, from_pandas=True).cast(pa.large_string()), "")
    return None


def _csv_quoted(fields: pa.Array) -> pa.Array:
    """Fields quoted as Python's csv module does them (``QUOTE_MINIMAL``, lines ending in a line feed).

    A field holding a comma, a quote or a line feed is put in quotes, its quotes doubled (a carriage return alone
    is not quoted: the csv module does not, with that line terminator).
    """
    if isinstance(fields, pa.ChunkedArray):
        fields = fields.combine_chunks()
    data = fields.buffers()[2]
    if data is None or not len(fields):
        return fields
    # no comma, quote or line feed anywhere in the fields' bytes (none is part of a multi-byte UTF-8 character):
    # nothing to quote, and no field to look at (a slice of a column shares the column's buffer: only its own
    # bytes are looked at)
    offsets = np.frombuffer(fields.buffers()[1], dtype=np.int64)[fields.offset:fields.offset + len(fields) + 1]
    raw = np.frombuffer(data, dtype=np.uint8)[int(offsets[0]):int(offsets[-1])]
    if not ((raw == ord(",")) | (raw == ord('"')) | (raw == ord("\n"))).any():
        return fields
    needs = pc.match_substring_regex(fields, '[,"\\n]')
    quote = _text('"')
    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(fields, '"', '""'), quote, _text(""))
    return pc.if_else(needs, quoted, fields)


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, type=pa.large_string())


#: Rows formatted at a time, at most, and the bytes of CSV a slice is sized to (from the slice before): only a
#: slice's fields are in memory at once (the 192 334 passages of text reuse at 10⁴ reports, formatted whole, held
#: 0.8 GB more than the table while the file was written; its 21 426 boilerplate stretches, of 1 300 characters
#: each, 0.45 GB in slices of 20 000 rows).
_ROWS = 20_000
_SLICE_BYTES = 8 * 2**20


def write_csv(table: pd.DataFrame | Iterable[pd.DataFrame], path: Path | str, rows: int = _ROWS) -> None:
    """Write ``table`` as pandas' ``to_csv(path, index=False)`` does with line feeds ending lines: byte for byte, faster.

    The fields are formatted and quoted in Arrow a slice of rows at a time (about 8 MB of CSV, at most ``rows``
    rows), each slice written as one buffer: five
    to ten times faster than pandas on the study's exports at 10⁴ reports (text reuse's passages: 10⁵ rows of
    text). Rows with a value whose dtype is not handled here (dates, objects other than strings …) are written by
    pandas, as is a table of fewer than two columns (where the csv module quotes an empty field).

    ``table`` may also come in pieces (an iterable of tables with the same columns, such as a slice of reports
    each): they are written one after another under the first one's header, as their concatenation would be, and
    only one piece need be in memory at a time.

    Raises:
        ValueError: ``table`` is an iterable with no piece.
    """
    pieces = iter([table]) if isinstance(table, pd.DataFrame) else iter(table)
    first = next(pieces, None)
    if first is None:
        raise ValueError(f"{path}: no table to write (an empty iterable of pieces)")

    def checked():
        for piece in chain([first], pieces):
            if list(piece.columns) != list(first.columns):
                raise ValueError(f"{path}: a piece's columns {list(piece.columns)} are not the first's "
                                 f"{list(first.columns)}")
            yield piece

    with open(path, "wb") as out:
        if first.shape[1] < 2 or not first.columns.map(lambda c: isinstance(c, str)).all():
            for i, piece in enumerate(checked()):
                piece.to_csv(out, header=i == 0, index=False, lineterminator="\n", encoding="utf-8")
            return
        out.write((",".join(_csv_quoted(pa.array(list(first.columns), type=pa.large_string())).to_pylist())
                   + "\n").encode("utf-8"))
        step = min(max(rows, 1), 1000)  # the first slice measures the bytes a row takes
        for piece in checked():
            step = _write_rows(piece, out, max(rows, 1), step)
            memory.arrow()  # the piece's fields, freed: Arrow's pool kept them (0.2 GB after the passages of 10⁴ reports)


def _write_rows(table: pd.DataFrame, out: BinaryIO, rows: int, step: int) -> int:
    """Write ``table``'s rows as CSV to ``out``, ``step`` rows first; returns the slice size the last slice set."""
    start = 0
    while start < len(table):
        chunk = table.iloc[start:start + step]
        start += len(chunk)
        parts: list = []
        for k in range(chunk.shape[1]):
            column = _csv_column(chunk.iloc[:, k])
            if column is None:
                break
            parts += [_csv_quoted(column), _text("," if k < chunk.shape[1] - 1 else "\n")]
        else:
            lines = pc.binary_join_element_wise(*parts, _text(""))
            lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + len(lines) + 1]
            out.write(memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])])
            step = max(1, min(rows, _SLICE_BYTES * len(chunk) // max(int(offsets[-1] - offsets[0]), 1)))
            continue
        chunk.to_csv(out, header=False, index=False, lineterminator="\n", encoding="utf-8")
    return step
