"""End to end: a newcomer's folder of mixed-format reports, no reports.csv, one command, a site."""

from __future__ import annotations

import hashlib
import json

import opencc
import pytest

from helpers.errors import StudyError
from helpers.paths import NOTEBOOKS, RAW
from helpers.study import run_study
from test_formats import write_docx, write_html, write_pdf


def _lines(name):
    return [line for line in (RAW / "reports" / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def study_run(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("my_reports")
    write_docx(corpus / "damatou.docx", _lines("2025_hunan_damatou.txt"))
    write_pdf(corpus / "xiaozhailu.pdf", _lines("2024_shaanxi_xiaozhailu.txt"))
    write_html(corpus / "dongsan.html", _lines("2024_jilin_dongsan.txt"))
    (corpus / "xiyuzhuang.txt").write_bytes((RAW / "reports" / "2024_tianjin_xiyuzhuang.txt").read_text(encoding="utf-8").encode("gb18030"))
    (corpus / "huajia.txt").write_text(opencc.OpenCC("s2t").convert("\n".join(_lines("2022_liaoning_huajia.txt"))), encoding="utf-8")
    out = tmp_path_factory.mktemp("study_out")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS.glob("*.ipynb")}
    with pytest.MonkeyPatch.context() as mp:
        for name in ("STUDY_FIGURES", "STUDY_PROCESSED"):
            mp.setenv(name, "unset-by-test")
        mp.delenv("MPLBACKEND", raising=False)
        index = run_study(corpus, out, progress=False)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS.glob("*.ipynb")}
    return corpus, out, index, before, after


def test_site_figures_and_notebooks_are_written(study_run):
    corpus, out, index, before, after = study_run
    assert index == out / "site" / "index.html"
    html = index.read_text(encoding="utf-8")
    for name in ("01_corpus", "02_vocabulary", "03_themes", "04_measures_vs_shortcomings"):
        assert f'href="{name}.html"' in html and (out / "site" / f"{name}.html").is_file()
    assert len(list((out / "figures").glob("*.png"))) >= 10
    assert (out / "processed" / "indicators.csv").is_file()
    assert before == after  # the repository's own notebooks are untouched


def test_executed_notebooks_have_no_errors(study_run):
    _, out, *_ = study_run
    for path in sorted((out / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert errors == [], path.name
        assert "This copy was run on the corpus" in "".join(nb["cells"][0]["source"])


def test_draft_metadata_is_written_for_the_user(study_run):
    import pandas as pd

    _, out, *_ = study_run
    draft = pd.read_csv(out / "reports.csv", dtype=str, keep_default_na=False).set_index("file")
    assert set(draft.index) == {"damatou.docx", "xiaozhailu.pdf", "dongsan.html", "xiyuzhuang.txt", "huajia.txt"}
    assert draft.loc["damatou.docx", "unit"] == "大码头街道"
    assert draft.loc["xiyuzhuang.txt", "macro_region"] == "东部"  # 天津 is named in the text
    notebook = json.loads((out / "notebooks" / "04_measures_vs_shortcomings.ipynb").read_text(encoding="utf-8"))
    printed = "".join("".join(o.get("text", "")) for c in notebook["cells"] for o in c.get("outputs", []))
    assert "have no macro-region yet" in printed  # region charts say which reports lack a region


def test_bad_folders_are_clear_errors(tmp_path):
    with pytest.raises(StudyError, match="no such folder"):
        run_study(tmp_path / "missing", tmp_path / "out", progress=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(StudyError, match="no readable report"):
        run_study(tmp_path / "empty", tmp_path / "out", progress=False)
    with pytest.raises(StudyError, match="must not hold the corpus"):
        run_study(tmp_path / "empty", tmp_path, progress=False)
