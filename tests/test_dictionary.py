"""The data dictionary describes every column of every tidy table, and docs/data_dictionary.md is up to date."""

import pyarrow as pa

from helpers import dictionary
from helpers.paths import ROOT
from helpers.schemas import SCHEMAS


def test_every_column_of_every_table_is_described():
    assert dictionary.problems() == []


def test_a_new_column_without_a_description_is_named(monkeypatch):
    monkeypatch.setitem(SCHEMAS, "claims", SCHEMAS["claims"].append(pa.field("confidence", pa.float64())))
    monkeypatch.setitem(dictionary.MEANINGS, "coded", {**dictionary.MEANINGS["coded"], "colour": "a column no table has"})
    assert dictionary.problems() == ["claims.confidence: not described",
                                     "coded.colour: described, but the table has no such column"]


def test_types_come_from_the_schemas():
    assert dictionary.columns("tokens")[:3] == [("key", "text"), ("part_seq", "integer"), ("part", "text")]
    assert ("share_pct", "float") in dictionary.columns("parts")
    assert ("nested", "boolean") in dictionary.columns("parts")


def test_the_committed_dictionary_is_generated_from_the_code():
    committed = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary.markdown() + "\n", "run make docs and commit docs/data_dictionary.md"
