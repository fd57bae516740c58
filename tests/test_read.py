"""Reading report files: encodings that are read, and inputs that are clear errors naming the file."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest
from shapes import EXTERNAL

from helpers.errors import ReportFormatError
from helpers.read import TEXT_COLUMNS, decode_report, raw_from_text, read_document, read_table, read_text_file

SAMPLE = "一、主要举措和成效\n一是强化党建引领，坚持依法行政。全年调解矛盾纠纷120件。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
    ],
)
def test_supported_encodings_give_the_same_text(data, encoding):
    text, found = decode_report(data, "x.txt")
    assert (text, found) == (SAMPLE, encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t ", "empty"),
        ("\u3000\n".encode("utf-8"), "only white space"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "UTF-16"),
        (SAMPLE.encode("utf-16-le"), "NUL"),
        ("Résumé des activités, café crème à Paris".encode("latin-1"), "neither UTF-8 nor GB18030"),
        (SAMPLE.encode("big5", errors="ignore"), "neither UTF-8 nor GB18030"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_bad_inputs_are_clear_errors_naming_the_file(data, message):
    with pytest.raises(ReportFormatError, match=message) as info:
        decode_report(data, "data/raw/reports/bad.txt")
    assert str(info.value).startswith("data/raw/reports/bad.txt: ")


def test_read_report_names_missing_file_and_folder(tmp_path):
    with pytest.raises(ReportFormatError, match="nope.txt: no such file"):
        read_text_file(tmp_path / "nope.txt", "nope.txt")
    with pytest.raises(ReportFormatError, match="folder"):
        read_text_file(tmp_path, "folder")


def test_read_report_keeps_checksum_of_the_bytes(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    raw = read_text_file(path)
    assert raw.encoding == "gb18030" and raw.text == SAMPLE
    import hashlib

    assert raw.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- what the operating system refuses is a clear error too ---------------------------------------------------


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a file whatever its permissions (the monkeypatched test below covers root)")
@pytest.mark.parametrize("name", ["r.txt", "r.docx", "t.csv"])
def test_file_without_read_permission(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(SAMPLE.encode("utf-8"))
    path.chmod(0)
    try:
        with pytest.raises(ReportFormatError, match=rf"{name}: the file cannot be read \(permission denied\) — check its permissions"):
            read_table(path) if name.endswith(".csv") else read_document(path)
    finally:
        path.chmod(0o644)


def _refuse(monkeypatch, error: OSError) -> None:
    """Make every read of a file's bytes fail with ``error``, as the operating system would."""

    def fail(self, *args, **kwargs):
        raise error

    monkeypatch.setattr(Path, "read_bytes", fail)
    monkeypatch.setattr(Path, "open", fail)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(13, "Permission denied"), r"the file cannot be read \(permission denied\) — check its permissions"),
        (OSError(5, "Input/output error"), r"the file cannot be read \(Input/output error\) — check the disk"),
        (IsADirectoryError(21, "Is a directory"), "this is a folder, not a report file"),
    ],
)
@pytest.mark.parametrize("name", ["r.txt", "r.docx", "r.pdf", "r.html", "t.csv", "t.xlsx", "t.parquet"])
def test_os_errors_name_the_file_and_the_fix(tmp_path, monkeypatch, error, message, name):
    path = tmp_path / name
    path.write_bytes(b"x")
    _refuse(monkeypatch, error)
    read = read_table if path.suffix in (".csv", ".xlsx", ".parquet") else read_document
    with pytest.raises(ReportFormatError, match=rf"^data/raw/{name}: {message}"):
        read(path, f"data/raw/{name}")


def test_broken_link_and_folder(tmp_path):
    (tmp_path / "link.docx").symlink_to(tmp_path / "gone.docx")
    with pytest.raises(ReportFormatError, match=r"link.docx: the file is a link to something that no longer exists"):
        read_document(tmp_path / "link.docx")
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(ReportFormatError, match=r"link.txt: .*broken symlink"):
        read_text_file(tmp_path / "link.txt")
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(ReportFormatError, match=r"folder.pdf: this is a folder, not a report file"):
        read_document(tmp_path / "folder.pdf")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ReportFormatError, match=r"folder.csv: this is a folder"):
        read_table(tmp_path / "folder.csv")
    with pytest.raises(ReportFormatError, match=r"nope.jsonl: no such file — check the path"):
        read_table(tmp_path / "nope.jsonl")


# --- a corpus as a table: one row per report ------------------------------------------------------------------

REPORTS = pd.DataFrame({
    "province": ["湖南省", "广东省", "上海市"],
    "year": [2026, 2026, 2025],
    "title": ["湖南省2025年法治政府建设情况报告", None, "上海市法治政府建设报告"],
    "full_text": [SAMPLE, "", "二、存在的不足\n\n法治宣传不够深入。\n三、下一步工作安排"],
})


def _write_table(frame: pd.DataFrame, path: Path) -> Path:
    kind = path.suffix
    if kind == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    elif kind == ".tsv":
        frame.to_csv(path, index=False, sep="\t", encoding="utf-8")
    elif kind == ".xlsx":
        frame.to_excel(path, index=False)
    elif kind == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".jsonl", ".parquet"])
def test_tables_in_every_format_give_the_same_rows(tmp_path, suffix):
    column, rows = read_table(_write_table(REPORTS, tmp_path / f"reports{suffix}"))
    assert column == "full_text"
    assert [r.row for r in rows] == [1, 2, 3]
    assert [r.text for r in rows] == list(REPORTS["full_text"])  # line breaks inside a cell kept
    assert rows[1].text == ""  # an empty text cell is a row to list, not an error for the table
    assert rows[0].columns == {"province": "湖南省", "year": "2026", "title": "湖南省2025年法治政府建设情况报告"}
    assert rows[1].columns["title"] == ""  # a missing value is "", never "nan" or "None"


def test_gb18030_csv_and_chinese_column_names(tmp_path):
    frame = REPORTS.rename(columns={"full_text": "正文", "province": "省份"})
    path = tmp_path / "excel_zh.csv"
    path.write_bytes(frame.to_csv(index=False).encode("gb18030"))
    column, rows = read_table(path)
    assert column == "正文" and rows[0].text == SAMPLE and rows[2].columns["省份"] == "上海市"


def test_text_column_by_preference_and_whatever_case(tmp_path):
    frame = pd.DataFrame({"Text": ["摘要"], "Full_Text ": [SAMPLE], "内容": ["其他"]})
    column, rows = read_table(_write_table(frame, tmp_path / "t.csv"))
    assert (column, rows[0].text, rows[0].columns) == ("Full_Text ", SAMPLE, {"Text": "摘要", "内容": "其他"})
    assert TEXT_COLUMNS.index("full_text") < TEXT_COLUMNS.index("text")


def test_tsv_saved_as_csv_is_read(tmp_path):
    path = tmp_path / "tabs.csv"
    REPORTS.to_csv(path, index=False, sep="\t")
    assert read_table(path)[1][2].columns["province"] == "上海市"


def test_table_without_text_column_is_not_a_corpus(tmp_path):
    path = tmp_path / "run_manifest.csv"
    path.write_text("province,source_type,text_length\n北京市,existing_output,16555\n", encoding="utf-8-sig")
    with pytest.raises(ReportFormatError) as info:
        read_table(path, "run_manifest.csv")
    message = str(info.value)
    assert message.startswith("run_manifest.csv: a table without a text column, not a corpus of reports")
    assert "province, source_type, text_length" in message and "full_text, text, content" in message and "正文" in message


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.tsv", b"\n \n", "the file is empty"),
        ("header.csv", b"province,full_text\n", "the table has no rows"),
        ("zip.csv", b"PK\x03\x04 an xlsx renamed", "this is a ZIP container .* not a CSV table"),
        ("utf16.csv", codecs.BOM_UTF16_LE + "a,text\n1,甲\n".encode("utf-16-le"), "the table is UTF-16 text"),
        ("latin.csv", "text\nRésumé des activités, café\n".encode("latin-1"), "the table is neither UTF-8 nor GB18030"),
        ("ragged.csv", b"a,full_text\n1,x\n2,y,z,w\n", "not a readable CSV table"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX table"),
        ("empty.xlsx", b"", "the file is empty"),
        ("broken.parquet", b"PAR1 not parquet", "not a readable PARQUET table"),
        ("broken.jsonl", b'{"full_text": "x"\n', "no line is a JSON object"),
        ("reports.xls", b"\xd0\xcf\x11\xe0", r"files ending in .xls are not read as tables — use .csv"),
    ],
)
def test_bad_tables_are_clear_errors_naming_the_file(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ReportFormatError, match=rf"^data/{name}: {message}"):
        read_table(tmp_path / name, f"data/{name}")


def test_empty_xlsx_sheet_is_a_table_without_rows(tmp_path):
    path = _write_table(REPORTS.iloc[:0], tmp_path / "none.xlsx")
    with pytest.raises(ReportFormatError, match="none.xlsx: the table has no rows"):
        read_table(path)


def test_read_document_points_tables_to_read_table(tmp_path):
    path = _write_table(REPORTS, tmp_path / "reports.csv")
    with pytest.raises(ReportFormatError, match="reports.csv: a .csv file is a table of reports, not one report — read it with read_table"):
        read_document(path)


def test_raw_from_text():
    raw = raw_from_text("法治政府建設情況報告", "t.csv row 2", "csv")
    assert (raw.file, raw.format, raw.text) == ("t.csv row 2", "csv", "法治政府建設情況報告")
    assert raw.analysis_text == "法治政府建设情况报告" and raw.converted_from_traditional
    assert raw.sha256 == hashlib.sha256("法治政府建設情況報告".encode("utf-8")).hexdigest()
    assert raw_from_text(SAMPLE, "x", "parquet").analysis_text == SAMPLE
    with pytest.raises(ReportFormatError, match=r"t.csv row 3: the report's text cell is empty"):
        raw_from_text(" \n", "t.csv row 3", "csv")




@pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"the external test corpus is not here ({EXTERNAL})")
def test_external_provincial_reports_read_as_tables():
    reports = sorted(EXTERNAL.glob("2026_*.csv"))
    assert len(reports) == 31
    for path in reports:
        column, rows = read_table(path, path.name)
        assert column == "full_text" and len(rows) == 1, path.name
        row = rows[0]
        assert row.row == 1 and len(row.text) > 5_000, path.name  # 河北 has 9,832 characters, the longest 24,000
        assert set(row.columns) == {"province", "year", "title", "source_url", "publish_date"}
        assert row.columns["year"] == "2026" and row.columns["province"] in path.name
        assert raw_from_text(row.text, f"{path.name} row 1", "csv").sha256 != ""
    with pytest.raises(ReportFormatError, match="run_manifest_2026.csv: a table without a text column, not a corpus of reports"):
        read_table(EXTERNAL / "run_manifest_2026.csv", "run_manifest_2026.csv")


def test_damaged_parquet_metadata_is_not_a_disk_error(tmp_path):
    """pyarrow says OSError (without an errno) for a damaged footer: that is the file's format, not the disk."""
    data = _write_table(REPORTS, tmp_path / "good.parquet").read_bytes()
    (tmp_path / "bad.parquet").write_bytes(data[:-40] + b"\x00" * 36 + data[-4:])
    with pytest.raises(ReportFormatError, match=r"bad.parquet: not a readable PARQUET table .* — write it again"):
        read_table(tmp_path / "bad.parquet")


def test_missing_optional_package_is_named(tmp_path, monkeypatch):
    path = _write_table(REPORTS, tmp_path / "r.parquet")

    def missing(*args, **kwargs):
        raise ImportError("Missing optional dependency 'pyarrow'.", name="pyarrow")

    monkeypatch.setattr(pd, "read_parquet", missing)
    with pytest.raises(ReportFormatError, match=r"r.parquet: reading .parquet tables needs the pyarrow package, which is "
                                                r"not installed — install it \(pip install pyarrow\) or save the table as CSV"):
        read_table(path)


def test_xlsx_cells_read_as_a_person_reads_them(tmp_path):
    import datetime

    frame = pd.DataFrame({"Content": ["第一行\n第二行"], "publish_date": [datetime.datetime(2026, 2, 9)],
                          "score_pct": [12.5], "year": [2026.0]})
    column, rows = read_table(_write_table(frame, tmp_path / "sheet.xlsx"))
    assert (column, rows[0].text) == ("Content", "第一行\n第二行")
    assert rows[0].columns == {"publish_date": "2026-02-09", "score_pct": "12.5", "year": "2026"}
