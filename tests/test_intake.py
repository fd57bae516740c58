"""Every file of a real folder accounted for; metadata read as people save it, inferred where missing."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest
from shapes import DAMATOU, HUAJIA, PLAIN, XIAOZHAILU, checksums, mixed, table_of_reports

from helpers.errors import MetadataError, StudyError
from helpers.intake import FILE_COLUMNS, OUTPUT_MARKER, open_corpus, skipped_summary
from helpers.metadata import read_table, unit_level, unit_name
from helpers.paths import RAW


@pytest.fixture()
def mixed_folder(tmp_path):
    return mixed(tmp_path / "mixed")


def _status(intake) -> dict[str, tuple[str, str]]:
    return {r.file: (r.status, r.reason) for r in intake.files.itertuples()}


def test_every_file_of_a_mixed_folder_is_accounted_for(mixed_folder):
    before = checksums(mixed_folder)
    intake = open_corpus(mixed_folder)
    assert checksums(mixed_folder) == before  # nothing written, nothing moved
    assert list(intake.files.columns) == list(FILE_COLUMNS)
    status = _status(intake)
    on_disk = {p.relative_to(mixed_folder).as_posix() for p in mixed_folder.rglob("*") if p.is_file() or p.is_symlink()}
    assert set(status) == on_disk  # every file has exactly one row
    assert {f for f, (s, _) in status.items() if s == "analysed"} == {
        "huajia.txt", "damatou.txt", "dongsan_gbk.txt", "flat.txt", "plain.txt", "sifaju.txt"}
    assert status["copies/huajia (1).txt"][0] == "duplicate"
    assert "same bytes" in status["copies/huajia (1).txt"][1]
    assert status["copies/damatou_bom.txt"] == ("duplicate", "the same text as another report (another format or encoding of it)")
    same_as = intake.files.set_index("file")["same_as"]
    assert same_as["copies/huajia (1).txt"] == "huajia.txt" and same_as["copies/damatou_bom.txt"] == "damatou.txt"
    expected_skips = {
        "old.doc": "an old Word file", "report.wps": "a WPS Writer file", "reports.zip": "an archive",
        "empty.txt": "the file is empty", "utf16.txt": "UTF-16", "broken.docx": "not a readable Word .docx file",
        "scan.pdf": "PDF", "gone.txt": "a broken link", "manifest.csv": "a table without a text column",
    }
    for file, words in expected_skips.items():
        assert status[file][0] == "skipped" and words in status[file][1], (file, status[file])
    fixes = intake.files.set_index("file")["fix"]
    assert fixes["old.doc"] == "open it in Word or WPS and save it as .docx"
    assert fixes["reports.zip"] == "unpack it into the folder (archives are not opened)"
    assert status["~$huajia.docx"][0] == "ignored" and status[".DS_Store"][0] == "ignored"
    assert "no part heading found" in status["flat.txt"][1]  # analysed, with the layout warning kept
    assert "gone.txt: a broken link" in skipped_summary(intake.files)


def test_mixed_folder_metadata_are_inferred_and_marked(mixed_folder):
    meta = open_corpus(mixed_folder).metadata.set_index("file")
    assert meta.loc["huajia.txt", ["unit", "unit_level", "province", "city", "macro_region"]].tolist() == [
        "华家街道", "街道", "辽宁省", "大连市", "东北"]
    assert meta.loc["dongsan_gbk.txt", ["unit", "province", "city", "district", "report_year", "dated"]].tolist() == [
        "东三街道", "吉林省", "长春市", "公主岭市", "2024", "2025-01-06"]
    assert meta.loc["dongsan_gbk.txt", "adcode"] == "220184"
    assert meta.loc["huajia.txt", "inferred"] == "unit;unit_level;province;city;report_year;dated;issuer"
    assert meta.loc["flat.txt", ["unit", "province", "macro_region", "inferred"]].tolist() == ["", "", "", ""]
    assert sorted(meta["report_year"]) == ["", "2022", "2023", "2024", "2024", "2025"]
    assert meta.loc["plain.txt", ["unit", "unit_level", "province"]].tolist() == ["城关镇", "乡镇", ""]
    # the national table stops at counties: a town's name places nothing, and nothing is guessed
    assert meta.loc["sifaju.txt", ["unit", "unit_level", "province", "city"]].tolist() == ["西安市司法局", "部门", "陕西省", "西安市"]


def test_an_unlistable_subfolder_is_named(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    (folder / "locked").mkdir(parents=True)
    shutil.copyfile(HUAJIA, folder / "a.txt")
    real_walk = os.walk

    def walk(top, onerror=None, followlinks=False):
        for here, dirs, files in real_walk(top, onerror=onerror, followlinks=followlinks):
            if "locked" in dirs:
                dirs.remove("locked")
                onerror(PermissionError(13, "Permission denied", str(folder / "locked")))
            yield here, dirs, files

    monkeypatch.setattr("helpers.intake.os.walk", walk)
    status = _status(open_corpus(folder))
    assert status["locked/"] == ("skipped", "the folder cannot be listed (Permission denied)")


def test_an_earlier_output_folder_inside_the_corpus_is_not_read(tmp_path):
    folder = tmp_path / "c"
    (folder / "results" / "site").mkdir(parents=True)
    shutil.copyfile(HUAJIA, folder / "a.txt")
    (folder / "results" / OUTPUT_MARKER).write_text("{}", encoding="utf-8")
    (folder / "results" / "site" / "index.html").write_text("<html>法治政府建设</html>", encoding="utf-8")
    intake = open_corpus(folder)
    assert [r.report_id for r in intake.reports] == ["a"]
    assert _status(intake)["results/"][0] == "ignored"


def test_reports_csv_saved_by_excel_on_chinese_windows(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copyfile(XIAOZHAILU, folder / "x.txt")
    shutil.copyfile(DAMATOU, folder / "d.txt")
    # Excel on Chinese Windows: GB18030, CRLF, only the columns the user cared about
    (folder / "reports.csv").write_bytes("file,unit,province\r\nx.txt,小寨路街道,陕西省\r\nd.txt,大码头街道,\r\n".encode("gb18030"))
    intake = open_corpus(folder)
    meta = intake.metadata.set_index("file")
    assert meta.loc["x.txt", ["report_id", "unit", "province", "inferred"]].tolist() == [
        "x", "小寨路街道", "陕西省", "unit_level;city;district;report_year;dated;issuer"]
    assert meta.loc["d.txt", ["province", "city"]].tolist() == ["湖南省", "益阳市"]  # left empty, so inferred
    assert "province" in meta.loc["d.txt", "inferred"].split(";")
    assert _status(intake)["reports.csv"] == ("metadata", "the metadata table (one row per report)")
    assert read_table(folder / "reports.csv").columns.tolist() == ["file", "unit", "province"]


def test_given_metadata_win_and_the_bundled_corpus_needs_no_draft():
    intake = open_corpus(RAW)
    assert not intake.needs_draft
    assert set(intake.metadata["inferred"]) == {""}
    assert intake.counts() == {"analysed": 5, "metadata": 1}


def test_table_problems_stop_with_the_rows_named(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copyfile(XIAOZHAILU, folder / "x.txt")
    (folder / "reports.csv").write_text("report_id,file\na,x.txt\na,y.txt\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"reports.csv: duplicate report_id \['a'\] \(files: \['x.txt', 'y.txt'\]\)"):
        open_corpus(folder)
    (folder / "reports.csv").write_text("file,report_year\nx.txt,去年\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"x.txt: report_year '去年' is not a year"):
        open_corpus(folder)
    (folder / "reports.csv").write_text("name,year\nx.txt,2024\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="has no 'file' column"):
        open_corpus(folder)
    (folder / "reports.csv").write_bytes(b"\xff\xfe\x00\x01garbage\x00")
    with pytest.raises(MetadataError, match="cannot be read as a CSV table in UTF-8 or GB18030"):
        open_corpus(folder)


def test_missing_and_changed_files_are_skipped_with_the_fix(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "x.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "reports.csv").write_text(f"file,sha256\nx.txt,{'0' * 64}\nmissing.txt,\n", encoding="utf-8")
    intake = open_corpus(folder)
    status = _status(intake)
    assert status["missing.txt"][0] == "skipped" and "no such file" in status["missing.txt"][1]
    assert status["x.txt"][0] == "skipped" and "records 000000000000" in status["x.txt"][1]
    assert intake.reports == []


def test_a_table_of_reports_is_read_row_by_row(tmp_path):
    folder = table_of_reports(tmp_path / "t")
    intake = open_corpus(folder)
    assert [r.report_id for r in intake.reports] == ["collection-1", "collection-2"]
    meta = intake.metadata.set_index("report_id")
    assert meta.loc["collection-1", ["file", "unit", "province", "city", "report_year", "dated", "source", "title"]].tolist() == [
        "collection.csv#1", "小寨路街道", "陕西省", "西安市", "2024", "2024-12-30", "https://example.org/1",
        "小寨路街道2024年度法治政府建设工作总结"]
    assert meta.loc["collection-2", "dated"] == "2026-01-27"  # a Chinese date in the table, read as a date
    assert _status(intake)["collection.csv#3"] == (
        "skipped", "record 3 (row 4 in a spreadsheet, after the header) has an empty 'full_text' cell")
    report = intake.reports[0]
    assert report.raw.text == XIAOZHAILU.read_text(encoding="utf-8")  # offsets point into the cell's text


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StudyError, match="no such folder"):
        open_corpus(tmp_path / "nowhere")
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    with pytest.raises(StudyError, match="is a file, not a folder"):
        open_corpus(tmp_path / "f.txt")


@pytest.mark.parametrize(("text", "unit"), [
    ("雁塔区小寨路街道2024年度法治政府建设工作总结", "小寨路街道"),
    ("西安市司法局2024年法治政府建设年度报告", "西安市司法局"),
    ("2026年上海市政府工作报告", "上海市"),
    ("新区党工委、管委会：\n2022年，华家街道在新区党工委的领导下", "华家街道"),
    ("中共西安市雁塔区小寨路街道工作委员会", "小寨路街道"),
    ("西于庄街道办事处", "西于庄街道"),
    ("和平区东风桥街道2021年法治政府建设工作情况报告", "东风桥街道"),
    ("关于2024年度法治政府建设情况的报告", ""),
])
def test_unit_name(text, unit):
    assert unit_name(text) == unit


@pytest.mark.parametrize(("unit", "province", "city", "level"), [
    ("华家街道", "辽宁省", "大连市", "街道"), ("城关镇", "", "", "乡镇"), ("雁塔区", "陕西省", "西安市", "区县"),
    ("西安市司法局", "陕西省", "西安市", "部门"), ("北京市", "北京市", "", "省级"), ("益阳市", "湖南省", "益阳市", "地市"),
    ("公主岭市", "吉林省", "长春市", "区县"), ("", "", "", ""),
])
def test_unit_level(unit, province, city, level):
    assert unit_level(unit, province, city) == level


def test_an_ambiguous_county_is_left_empty_and_said_so(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "g.txt").write_text("鼓楼区2024年法治政府建设工作报告\n" + PLAIN, encoding="utf-8")
    meta = open_corpus(folder).metadata.iloc[0]
    assert (meta["province"], meta["city"], meta["district"]) == ("", "", "")
    assert meta["place_note"].startswith("ambiguous: 鼓楼区 is in")
    assert pd.isna(meta["adcode"]) or meta["adcode"] == ""


def test_the_original_is_kept_and_the_copy_is_the_duplicate(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copyfile(HUAJIA, folder / "报告 (1).txt")  # sorts before 报告.txt, but its name says it is the copy
    shutil.copyfile(HUAJIA, folder / "报告.txt")
    shutil.copyfile(HUAJIA, folder / "副本_报告.txt")
    files = open_corpus(folder).files.set_index("file")
    assert files.loc["报告.txt", "status"] == "analysed"
    assert files.loc[["报告 (1).txt", "副本_报告.txt"], "same_as"].tolist() == ["报告.txt", "报告.txt"]


def test_a_jsonl_line_that_is_not_json_loses_that_line_only(tmp_path):
    import json

    folder = tmp_path / "c"
    folder.mkdir()
    lines = [json.dumps({"标题": "x", "正文": XIAOZHAILU.read_text(encoding="utf-8")}, ensure_ascii=False),
             json.dumps({"标题": "y", "正文": DAMATOU.read_text(encoding="utf-8")}, ensure_ascii=False)[:200]]
    (folder / "scraped.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = _status(open_corpus(folder))
    assert status["scraped.jsonl#1"] == ("analysed", "")
    assert status["scraped.jsonl#2"][0] == "skipped" and status["scraped.jsonl#2"][1].startswith("line 2 is not valid JSON")


def test_a_report_scraped_as_one_line_keeps_its_issuer_and_place(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    text = XIAOZHAILU.read_text(encoding="utf-8")
    (folder / "one_line.txt").write_text("".join(text.split()), encoding="utf-8")
    meta = open_corpus(folder).metadata.iloc[0]
    assert (meta["issuer"], meta["province"], meta["city"], meta["district"], meta["dated"]) == (
        "中共西安市雁塔区小寨路街道工作委员会", "陕西省", "西安市", "雁塔区", "2024-12-30")
