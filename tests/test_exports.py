"""helpers.exports: the fast CSV writer writes what pandas writes, byte for byte."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.exports import write_csv


def _pandas(table: pd.DataFrame, path) -> bytes:
    table.to_csv(path, index=False, lineterminator="\n")
    return path.read_bytes()


def _edge_cases() -> pd.DataFrame:
    return pd.DataFrame({
        "text": ["x\ry", "p q", " lead", 'q"t', "", None, "c,d", "n\nl", "tab\tx", "法治，政府", "a\r\nb", '"'],
        "float": [1.0, np.nan, 1e-5, 1e16, -0.0, np.inf, 0.1, 123456789.123, 2.5e-300, -np.inf, 1 / 3, 100.0],
        "bool": [True, False] * 6,
        "Int64": pd.array([1, None, 3, 4, 5, 6, 7, 8, -9, 0, 2**40, None], dtype="Int64"),
        "category": pd.Categorical(list("abcabcab,ab\"")),
        "string": pd.array(["x", None, "法治", "", 'a"', "b", "c", "d", "e", "f,g", "h\ni", "j"], dtype="string[pyarrow]"),
        "int": np.arange(12),
        "boolean, with NA": pd.array([True, None, False] * 4, dtype="boolean"),
    })


def test_every_handled_dtype_and_quoting_case_as_pandas_writes_it(tmp_path):
    table = _edge_cases()
    write_csv(table, tmp_path / "fast.csv")
    assert (tmp_path / "fast.csv").read_bytes() == _pandas(table, tmp_path / "pandas.csv")


@pytest.mark.parametrize("table", [
    _edge_cases().iloc[:0],  # no rows: the header
    _edge_cases()[["text"]],  # one column: pandas (the csv module quotes a lone empty field)
    pd.DataFrame({"when": pd.to_datetime(["2024-03-31", None]), "n": [1, 2]}),  # dates: pandas
    pd.DataFrame({"mixed": ["a", 1.5], "n": [1, 2]}),  # objects other than strings: pandas
    pd.DataFrame({"f32": np.array([0.1, 2.5], dtype=np.float32), "n": [1, 2]}),  # float32: pandas
    pd.DataFrame({"Float64": pd.array([0.1, None], dtype="Float64"), "n": [1, 2]}),
    pd.DataFrame({"categories": pd.Categorical([1, 2]), "n": [1, 2]}),
], ids=["empty", "one column", "dates", "mixed objects", "float32", "Float64", "number categories"])
def test_what_it_does_not_handle_is_written_by_pandas(tmp_path, table):
    write_csv(table, tmp_path / "fast.csv")
    assert (tmp_path / "fast.csv").read_bytes() == _pandas(table, tmp_path / "pandas.csv")


def test_random_tables_with_sliced_and_chunked_columns(tmp_path):
    rng = np.random.default_rng(7)
    alphabet = list('ab ,"\n\r法治') + [""]
    for round_ in range(20):
        n = int(rng.integers(1, 60))
        words = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 6)))) for _ in range(n)]
        table = pd.DataFrame({
            "w": [None if rng.random() < 0.1 else w for w in words],
            "x": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n) * 10.0 ** rng.integers(-8, 18, size=n)),
            "k": rng.integers(-5, 5, size=n),
        }).iloc[int(rng.integers(0, 2)):]  # a slice: arrays that do not start at offset 0
        write_csv(table, tmp_path / f"fast{round_}.csv")
        assert (tmp_path / f"fast{round_}.csv").read_bytes() == _pandas(table, tmp_path / f"pandas{round_}.csv")


@pytest.mark.parametrize("rows", [1, 2, 5, 11, 12, 1000])
def test_written_a_slice_of_rows_at_a_time(tmp_path, rows):
    """Slices of rows give the same file, as does a slice pandas writes (a number among the strings of its rows)."""
    table = _edge_cases()
    write_csv(table, tmp_path / "fast.csv", rows=rows)
    assert (tmp_path / "fast.csv").read_bytes() == _pandas(table, tmp_path / "pandas.csv")
    mixed = table.assign(text=table["text"].astype(object))
    mixed.loc[7, "text"] = 2.5  # only the slice holding row 7 goes to pandas
    write_csv(mixed, tmp_path / "mixed.csv", rows=rows)
    assert (tmp_path / "mixed.csv").read_bytes() == _pandas(mixed, tmp_path / "mixed_pandas.csv")
    assert b"\n2.5," in (tmp_path / "mixed.csv").read_bytes()


@pytest.mark.parametrize("cuts", [[], [0], [5], [1, 2, 11], [0, 0, 12, 12]], ids=["whole", "empty first", "two",
                                                                                  "four", "empty pieces"])
def test_a_table_in_pieces_is_written_as_their_concatenation(tmp_path, cuts):
    table = _edge_cases()
    mixed = table.assign(text=table["text"].astype(object))
    mixed.loc[7, "text"] = 2.5  # a piece holding row 7 goes to pandas
    for name, whole in (("table", table), ("mixed", mixed), ("one column", table[["text"]])):
        edges = [0, *cuts, len(whole)]
        write_csv((whole.iloc[a:b] for a, b in zip(edges, edges[1:])), tmp_path / "pieces.csv", rows=3)
        assert (tmp_path / "pieces.csv").read_bytes() == _pandas(whole, tmp_path / "pandas.csv"), name


def test_pieces_none_or_with_other_columns_are_refused_naming_the_file(tmp_path):
    with pytest.raises(ValueError, match="out.csv: no table to write"):
        write_csv(iter([]), tmp_path / "out.csv")
    table = _edge_cases()
    with pytest.raises(ValueError, match="out.csv: a piece's columns"):
        write_csv([table, table[["int", "text"]]], tmp_path / "out.csv")
    with pytest.raises(ValueError, match="out.csv: a piece's columns"):
        write_csv([table[["text"]], table[["int"]]], tmp_path / "out.csv")
