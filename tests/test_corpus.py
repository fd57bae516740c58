"""The corpus folder: reports.csv validated against the files, with errors that name the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.corpus import COLUMNS, load_corpus, load_metadata
from helpers.errors import MetadataError, ReportFormatError
from helpers.paths import RAW, ROOT

SHARED = ROOT.parent / "shared" / "corpus"


def _edit(corpus: Path, change) -> None:
    table = pd.read_csv(corpus / "reports.csv", dtype=str, keep_default_na=False)
    change(table)
    table.to_csv(corpus / "reports.csv", index=False)


def test_bundled_metadata_is_complete():
    meta = load_metadata(RAW)
    assert list(meta.columns) == list(COLUMNS)
    assert len(meta) == 5 and meta["report_id"].is_unique
    assert set(meta["macro_region"]) == {"东部", "中部", "西部", "东北"}
    assert meta.loc[meta.report_id == "2024_tianjin_xiyuzhuang", "dated"].item() == ""  # the report carries no date


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared seed corpus is not beside this checkout")
def test_raw_reports_are_byte_identical_to_the_seed_corpus():
    meta = load_metadata(RAW)
    for row in meta.itertuples():
        assert (RAW / row.file).read_bytes() == (SHARED / row.original_file).read_bytes()
    seeds = pd.read_csv(SHARED / "seed_metadata.csv", dtype=str, keep_default_na=False).set_index("file")
    for row in meta.itertuples():
        seed = seeds.loc[row.original_file]
        for column in ("unit", "unit_level", "province", "city", "district", "dated", "issuer"):
            assert getattr(row, column) == seed[column], (row.report_id, column)
        assert row.report_year == int(seed["report_year"])


def test_missing_file(corpus_copy):
    (corpus_copy / "reports" / "2024_jilin_dongsan.txt").unlink()
    with pytest.raises(MetadataError, match=r"2024_jilin_dongsan.txt: listed in .*reports.csv .* but no such file"):
        load_metadata(corpus_copy)


def test_file_without_a_row(corpus_copy):
    shutil.copyfile(corpus_copy / "reports" / "2024_jilin_dongsan.txt", corpus_copy / "reports" / "extra.txt")
    with pytest.raises(MetadataError, match=r"file\(s\) with no row: .*extra.txt; add a row"):
        load_metadata(corpus_copy)


def test_duplicate_id(corpus_copy):
    _edit(corpus_copy, lambda t: t.__setitem__("report_id", ["a", "a", "b", "c", "d"]))
    with pytest.raises(MetadataError, match=r"duplicate report_id \['a'\] \(files: .*2024_shaanxi_xiaozhailu.txt"):
        load_metadata(corpus_copy)


def test_duplicate_file(corpus_copy):
    _edit(corpus_copy, lambda t: t.__setitem__("file", [t["file"][0]] * 2 + list(t["file"][2:])))
    with pytest.raises(MetadataError, match="duplicate file"):
        load_metadata(corpus_copy)


def test_wrong_sha256(corpus_copy):
    path = corpus_copy / "reports" / "2025_hunan_damatou.txt"
    path.write_bytes(path.read_bytes() + "补充一句。".encode())
    with pytest.raises(MetadataError, match=r"2025_hunan_damatou.txt: sha256 is [0-9a-f]{64} but reports.csv records"):
        load_corpus(corpus_copy)


def test_region_must_agree_with_province(corpus_copy):
    _edit(corpus_copy, lambda t: t.__setitem__("macro_region", ["东部"] * 5))
    with pytest.raises(MetadataError, match="2024_shaanxi_xiaozhailu.txt: macro_region '东部' disagrees with 陕西省"):
        load_metadata(corpus_copy)


def test_empty_region_is_filled_from_province(corpus_copy):
    _edit(corpus_copy, lambda t: t.__setitem__("macro_region", [""] * 5))
    assert list(load_metadata(corpus_copy)["macro_region"]) == ["西部", "东北", "东北", "中部", "东部"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("unit_level", "村", "unit_level '村'"), ("report_year", "去年", "report_year '去年'"),
     ("dated", "2025/1/6", "dated '2025/1/6'"), ("province", "火星省", "province '火星省'")],
)
def test_bad_values_name_the_file(corpus_copy, column, value, message):
    _edit(corpus_copy, lambda t: t.loc.__setitem__((0, column), value))
    with pytest.raises(MetadataError, match="2024_shaanxi_xiaozhailu.txt: " + message):
        load_metadata(corpus_copy)


def test_missing_table_and_columns(corpus_copy):
    _edit(corpus_copy, lambda t: t.pop("sha256"))
    with pytest.raises(MetadataError, match="missing column"):
        load_metadata(corpus_copy)
    (corpus_copy / "reports.csv").unlink()
    with pytest.raises(MetadataError, match="reports.csv: no metadata table"):
        load_metadata(corpus_copy)


def test_a_report_that_is_not_text_is_named(corpus_copy):
    path = corpus_copy / "reports" / "2024_jilin_dongsan.txt"
    path.write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(ReportFormatError, match="2024_jilin_dongsan.txt: this is a PDF file"):
        load_corpus(corpus_copy)


def test_offsets_map_back_to_the_raw_file(corpus):
    for report in corpus:
        for item in report.segmentation.items:
            raw_start, raw_end = report.normalised.to_raw(item.start, item.end)
            raw = report.raw.text[raw_start:raw_end]
            # the raw span holds the same ideographs in the same order (only punctuation width and spacing differ)
            assert [c for c in raw if "\u4e00" <= c <= "\u9fff"] == [c for c in item.text if "\u4e00" <= c <= "\u9fff"]
