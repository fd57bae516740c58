"""``python -m helpers segment FILE...``: one CSV row per part, on any .txt."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from helpers.cli import main
from helpers.paths import RAW, ROOT


def _run(capsys, *files):
    code = main(["segment", *map(str, files)])
    out, err = capsys.readouterr()
    return code, list(csv.DictReader(io.StringIO(out))), err


def test_segment_prints_one_row_per_part(capsys):
    code, rows, err = _run(capsys, RAW / "reports" / "2024_tianjin_xiyuzhuang.txt")
    assert code == 0 and err == ""
    assert list(rows[0]) == ["file", "part", "heading", "start", "end", "items"]
    assert [(r["part"], r["heading"], r["items"]) for r in rows] == [
        ("preamble", "", "0"),
        ("measures", "一、主要举措和成效", "5"),
        ("leadership", "二、党政主要负责人推进法治建设第一责任人职责", "5"),
        ("shortcomings", "三、存在的不足和原因", "3"),
        ("plans", "四、下一步工作举措", "3"),
    ]
    assert [int(r["start"]) for r in rows[1:]] == [int(r["end"]) for r in rows[:-1]]


def test_heading_is_printed_as_written_in_the_file(capsys):
    _, rows, _ = _run(capsys, RAW / "reports" / "2024_shaanxi_xiaozhailu.txt")
    assert rows[2]["heading"] == "(二)党政主要负责人履行法治建设第一责任人职责"


def test_any_txt_gb18030_unknown_layout_and_bad_files(tmp_path, capsys):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("一、主要举措和成效\n一是开展普法。\n二、存在的不足\n一是形式单一。\n".encode("gb18030"))
    odd = tmp_path / "odd.txt"
    odd.write_text("一份没有标题的报告。", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, rows, err = _run(capsys, gbk, odd, empty)
    assert code == 1
    assert [(r["part"], r["items"]) for r in rows] == [("measures", "1"), ("shortcomings", "1"), ("other", "1")]
    assert f"warning: {odd}: no part heading found" in err
    assert f"error: {empty}: the file is empty" in err


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "segment", "data/raw/reports/2025_hunan_damatou.txt"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert result.stdout.splitlines()[0] == "file,part,heading,start,end,items"
    assert result.stderr == ""


def test_segment_goes_on_after_a_file_it_cannot_read(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("一、主要举措和成效\n一是开展普法。\n", encoding="utf-8")
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    code, rows, err = _run(capsys, link, folder, good)
    assert code == 1
    assert [r["part"] for r in rows] == ["measures"]  # the readable file after the bad ones is still segmented
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err
    assert err.startswith(f"error: {link}: ") and f"error: {folder}: " in err
