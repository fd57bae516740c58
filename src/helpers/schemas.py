"""The columns and types of every table the store holds: part of each stage's fingerprint.

A change here (a column added, renamed or retyped) changes every stage's fingerprint, so a store built before it
is rebuilt rather than read with columns it does not have.
"""

from __future__ import annotations

import pyarrow as pa


def _schema(**columns: str) -> pa.Schema:
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    return pa.schema([("key", pa.string()), *((name, types[kind]) for name, kind in columns.items())])


#: The type of every column of every table, as written (a batch where a column holds no value, e.g. no
#: citation at all, would otherwise write a column of type null that later batches contradict).
SCHEMAS: dict[str, pa.Schema] = {
    "texts": _schema(format="str", encoding="str", raw_chars="int", chars="int", text_sha256="str", note="str",
                     genre="str", genre_evidence="str", furniture_lines="int", text="str"),
    "parts": _schema(part_seq="int", part="str", heading="str", heading_raw="str", heading_rank="int", nested="bool",
                     start="int", end="int", raw_start="int", raw_end="int", chars="int", share_pct="float",
                     items="int"),
    "items": _schema(part_seq="int", part="str", item_seq="int", item_kind="str", level="int", parent_seq="int",
                     marker="str", number="int", item_title="str", text="str", start="int", end="int", raw_start="int",
                     raw_end="int"),
    "rawmap": _schema(start="int", raw_start="int", raw_end="int"),
    "inferred": _schema(given_key="str", unit="str", unit_level="str", province="str", city="str", district="str",
                        report_year="str", dated="str", issuer="str", inferred="str", adcode="str", place_note="str",
                        macro_region="str"),
    "tokens": _schema(part_seq="int", part="str", item_seq="int", token="str", start="int", end="int",
                      raw_start="int", raw_end="int", token_kind="str", is_function="bool", is_filler="bool",
                      is_marker="bool", category="str", content="bool"),
    "item_tokens": _schema(part_seq="int", item_seq="int", tokens="str"),
    "terms": _schema(token="str", n="int", first="int", token_kind="str", content="bool", category="str", is_function="bool",
                     is_filler="bool", is_marker="bool"),
    "claims": _schema(part="str", part_seq="int", item_seq="int", value="float", unit="str", qualifiers="str",
                      counted="str", after="str", family="str", is_rate="bool", is_100pct="bool", start="int",
                      end="int", raw_start="int", raw_end="int", raw_text="str"),
    "citations": _schema(part="str", item_seq="int", title="str", document="str", document_kind="str", start="int", end="int",
                         raw_start="int", raw_end="int"),
    "coded": _schema(part_seq="int", item_seq="int", part="str", item_kind="str", start="int", end="int", chars="int",
                     themes="str", causes="str"),
    "evidence": _schema(part_seq="int", item_seq="int", scheme="str", category="str", score="float", keywords="str",
                        offsets="str"),
    "instruments": _schema(part_seq="int", item_seq="int", part="str", item_kind="str", start="int", end="int",
                           chars="int", instruments="str", instrument_types="str"),
    "instrument_evidence": _schema(part_seq="int", item_seq="int", instrument="str", instrument_type="str",
                                   score="float", keyword="str", offset="int"),
}
