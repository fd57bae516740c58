"""End to end, as a user runs it: ``python -m helpers study`` on the folders people actually have.

A matrix of corpus shapes (one report; one city; no place known; a folder mixing good, duplicate, unsupported
and broken files with reports lacking headings or parts; a table of reports; hundreds of synthetic reports; the
real external reports if present) runs as subprocesses, two at a time. Each test asserts on what the user sees:
the exit code, the message, the files table, the inputs' checksums before and after, the site's pages. Then an
interrupted re-run (SIGINT) and a re-run over an output folder holding the user's own edits.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from shapes import (
    EXTERNAL,
    PLAIN,
    XIAOZHAILU,
    checksums,
    genres,
    mixed,
    no_place,
    one_city,
    one_report,
    synthetic_corpus,
    table_of_reports,
)

from helpers.errors import StudyError
from helpers.paths import NOTEBOOKS, ROOT
from helpers.study import run_study

PAGES = ("index", "01_corpus", "02_vocabulary", "03_themes", "04_measures_vs_shortcomings", "05_beyond", "items", "report")
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Run:
    corpus: Path
    out: Path
    returncode: int
    stdout: str
    stderr: str
    before: dict
    after: dict

    def page(self, name: str) -> str:
        return (self.out / "site" / f"{name}.html").read_text(encoding="utf-8")

    def files(self) -> pd.DataFrame:
        return pd.read_csv(self.out / "files.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDY_")}
    env.pop("MPLBACKEND", None)
    env["PYTHONHASHSEED"] = "0"
    return env


def study(corpus: Path, out: Path, *extra: str) -> Run:
    """Run the study as a user does, in a fresh process; the corpus's checksums before and after."""
    before = checksums(corpus)
    done = subprocess.run([sys.executable, "-m", "helpers", "study", "--corpus", str(corpus), "--out", str(out), *extra],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=1800, check=False)
    return Run(corpus, out, done.returncode, done.stdout, done.stderr, before, checksums(corpus))


def _one_city_with_table_in_out(base: Path) -> tuple[Path, Path]:
    """Three reports; the user's reports.csv (saved by Excel: GB18030) sits in OUT and places all in 西安."""
    corpus = one_report(base / "corpus")
    for name in ("2025_hunan_damatou.txt", "2022_liaoning_huajia.txt"):
        shutil.copyfile(XIAOZHAILU.parent / name, corpus / name)
    out = base / "out"
    out.mkdir()
    rows = ["file,province,city"] + [f"{p.name},陕西省,西安市" for p in sorted(corpus.iterdir())]
    (out / "reports.csv").write_bytes("\r\n".join(rows).encode("gb18030") + b"\r\n")
    return corpus, out


@pytest.fixture(scope="module")
def matrix(tmp_path_factory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("matrix")
    jobs = {
        "one_report": (one_report(base / "one" / "corpus"), base / "one" / "out"),
        "one_city": _one_city_with_table_in_out(base / "city"),
        "table_in_corpus": (one_city(base / "citycsv" / "corpus"), base / "citycsv" / "out"),  # reports.csv beside them
        "no_place": (no_place(base / "noplace" / "corpus"), base / "noplace" / "out"),
        "mixed": (mixed(base / "mixed" / "corpus"), base / "mixed" / "out"),
        "table": (table_of_reports(base / "table" / "corpus"), base / "table" / "out"),
        "synthetic": (synthetic_corpus(base / "synthetic" / "corpus", 200), base / "synthetic" / "out"),
        "genres": (genres(base / "genres" / "corpus"), base / "genres" / "out"),
    }
    if EXTERNAL.is_dir():
        jobs["external"] = (EXTERNAL, base / "external" / "out")
    before_notebooks = checksums(NOTEBOOKS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(study, corpus, out) for name, (corpus, out) in jobs.items()}
        runs = {name: future.result() for name, future in futures.items()}
    assert checksums(NOTEBOOKS) == before_notebooks  # the repository's own notebooks are never touched
    return runs


SHAPES = ("one_report", "one_city", "table_in_corpus", "no_place", "mixed", "table", "synthetic", "external")


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_ends_in_a_complete_site_and_leaves_the_inputs_alone(matrix, shape):
    if shape not in matrix:
        pytest.skip("../shared/external is not beside this checkout")
    run = matrix[shape]
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.before == run.after  # the corpus folder is byte-identical afterwards
    assert "site written:" in run.stdout and "files:" in run.stdout
    for name in PAGES:
        assert (run.out / "site" / f"{name}.html").is_file()
    assert not (run.out / ".study-partial").exists()
    for path in sorted((run.out / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        outputs = [o for c in cells for o in c.get("outputs", [])]
        assert [o for o in outputs if o["output_type"] == "error"] == [], path.name
        assert [o for o in outputs if o.get("name") == "stderr"] == [], path.name
    files = run.files()
    assert set(files["status"]) <= {"analysed", "duplicate", "skipped", "metadata", "ignored"}
    assert (files["status"] == "analysed").sum() >= 1


def test_one_report(matrix):
    run = matrix["one_report"]
    assert "files: 1 analysed" in run.stdout
    assert "Run on corpus (1 report)." in run.page("index")
    draft = pd.read_csv(run.out / "reports.draft.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert draft.loc[0, ["unit", "province", "city", "district"]].tolist() == ["小寨路街道", "陕西省", "西安市", "雁塔区"]
    assert (run.out / "reports.draft.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    assert "Not shown for this corpus" in run.page("02_vocabulary")  # one region: region keyness is said, not drawn


def test_one_city_uses_the_table_the_user_keeps_in_out(matrix):
    run = matrix["one_city"]
    assert (run.out / "reports.csv").read_bytes().decode("gb18030").startswith("file,province,city")  # untouched
    page = run.page("02_vocabulary")
    assert "keyness of each region against the rest — it needs reports from two regions or more; this corpus has 1 (西部)" in page
    draft = pd.read_csv(run.out / "reports.draft.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert set(draft["province"]) == {"陕西省"} and "province" not in ";".join(draft["inferred"])


def test_no_place_known(matrix):
    run = matrix["no_place"]
    assert "2 have no province yet" in run.stdout
    assert "measures against shortcomings by region — no report in this corpus has a province yet" in run.page(
        "04_measures_vs_shortcomings")


def test_mixed_folder_lists_every_file_it_left_out(matrix):
    run = matrix["mixed"]
    files = run.files().set_index("file")
    assert files.loc["old.doc", "status"] == "skipped" and files.loc["old.doc", "fix"] == "open it in Word or WPS and save it as .docx"
    assert files.loc["copies/huajia (1).txt", ["status", "same_as"]].tolist() == ["duplicate", "huajia.txt"]
    assert "files: 6 analysed, 2 duplicate, 9 skipped, 2 ignored" in run.stdout
    for name in ("old.doc", "reports.zip", "gone.txt", "utf16.txt", "scan.pdf", "broken.docx", "manifest.csv"):
        assert f" {name}: " in run.stdout, name  # named in the terminal too, with the fix
    assert "report.wps" in run.page("01_corpus")  # and on the site


def test_a_table_of_reports(matrix):
    run = matrix["table"]
    files = run.files().set_index("file")
    assert files.loc["collection.csv#1", "status"] == "analysed"
    assert files.loc["collection.csv#3", ["status", "reason"]].tolist() == [
        "skipped", "record 3 (row 4 in a spreadsheet, after the header) has an empty 'full_text' cell"]


def test_hundreds_of_reports(matrix):
    run = matrix["synthetic"]
    assert "files: 200 analysed" in run.stdout
    draft = pd.read_csv(run.out / "reports.draft.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert (draft["province"] != "").all()  # every synthetic unit is placed from its title and sign-off
    assert len(list((run.out / "figures").glob("*.png"))) >= 10


def test_a_folder_of_two_genres_is_studied_one_genre_at_a_time(matrix):
    run = matrix["genres"]
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.before == run.after
    index = (run.out / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="fazhi_report/index.html">法治政府建设年度报告</a> (fazhi_report): 2 reports' in index
    assert '<a href="gov_work_report/index.html">政府工作报告</a> (gov_work_report): 1 report<' in index
    ids = {"fazhi_report": ["2024_tianjin_xiyuzhuang", "2025_hunan_damatou"], "gov_work_report": ["2026_某省_政府工作报告"]}
    for genre, other in (("fazhi_report", "gov_work_report"), ("gov_work_report", "fazhi_report")):
        for name in PAGES:
            assert (run.out / "site" / genre / f"{name}.html").is_file()
        notebooks = sorted((run.out / "notebooks" / genre).glob("*.ipynb"))
        assert len(notebooks) == 5
        for path in notebooks:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            outputs = [o for c in cells for o in c.get("outputs", [])]
            assert [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"] == [], path.name
            shown = json.dumps(outputs, ensure_ascii=False)
            assert not [i for i in ids[other] if i in shown], (genre, path.name)  # like with like: no other genre
            if not path.name.startswith(("03", "05")):  # (03 and 05 name reports by their labels)
                assert all(i in shown for i in ids[genre]), (genre, path.name)
        assert len(list((run.out / "figures" / genre).glob("*.png"))) >= 5
    page = (run.out / "site" / "gov_work_report" / "01_corpus.html").read_text(encoding="utf-8")
    assert "<td>shortcomings</td>" in page  # its admission passage, read as a part of its own


def test_the_external_reports_as_they_come(matrix):
    if "external" not in matrix:
        pytest.skip("../shared/external is not beside this checkout")
    run = matrix["external"]
    files = run.files().set_index("file")
    assert (files["status"] == "analysed").sum() == 31
    assert files.loc["run_manifest_2026.csv", "status"] == "skipped"
    assert "a table without a text column" in files.loc["run_manifest_2026.csv", "reason"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_interrupted_rerun_keeps_the_previous_result_and_the_users_edits(matrix, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(matrix["one_report"].out, out)
    draft = out / "reports.draft.csv"
    draft.write_bytes(draft.read_bytes().replace("小寨路街道".encode(), "小寨路街道办事处".encode(), 1))  # the user's edit
    edited = _sha(draft)
    site_before = {name: _sha(out / "site" / f"{name}.html") for name in PAGES}
    figures_before = checksums(out / "figures")
    assert "02_cited_documents.png" in figures_before
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "b.txt").write_text(PLAIN, encoding="utf-8")
    (corpus / "c.txt").write_text(PLAIN.replace("2024", "2023"), encoding="utf-8")

    command = [sys.executable, "-m", "helpers", "study", "--corpus", str(corpus), "--out", str(out)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
                            start_new_session=True)  # its own process group: Ctrl-C reaches the run and its kernels
    deadline = time.monotonic() + 300
    while not (out / ".study-partial" / "notebooks" / "02_vocabulary.ipynb").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before it could be interrupted"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: to every process of the group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr[-2000:]
    assert f"interrupted: the previous result in {out} is unchanged" in stderr
    assert "Traceback" not in stderr  # the kernels' shutdown noise stays out of the terminal
    assert {name: _sha(out / "site" / f"{name}.html") for name in PAGES} == site_before
    assert checksums(out / "figures") == figures_before
    assert not (out / ".study-partial").exists()

    rerun = study(corpus, out)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "Run on corpus (2 reports)" in rerun.page("index")
    assert "02_cited_documents.png" not in checksums(out / "figures")  # no stale figure of the earlier corpus
    assert "documents the reports cite — no report in this corpus cites a document in 《》" in rerun.page("02_vocabulary")
    assert _sha(draft) == edited  # the user's edited draft is never overwritten …
    assert (out / "reports.draft-2.csv").is_file() and "reports.draft-2.csv" in rerun.stdout  # … a new one goes beside it


def test_output_folders_that_would_lose_or_pollute_files_are_refused(tmp_path):
    corpus = one_report(tmp_path / "corpus")
    before = checksums(corpus)
    with pytest.raises(StudyError, match="must not be inside the corpus folder"):
        run_study(corpus, corpus / "results", progress=False)
    with pytest.raises(StudyError, match="must not hold the corpus"):
        run_study(corpus, tmp_path, progress=False)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StudyError, match="is a file, not a folder"):
        run_study(corpus, tmp_path / "file", progress=False)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "my_notes.docx").write_bytes(b"x")
    with pytest.raises(StudyError, match=r"holds files the study did not write \(my_notes.docx\)"):
        run_study(corpus, busy, progress=False)
    with pytest.raises(StudyError, match="no such folder"):
        run_study(tmp_path / "missing", tmp_path / "out", progress=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(StudyError, match="no readable report"):
        run_study(empty, tmp_path / "out2", progress=False)
    assert checksums(corpus) == before
    assert not (corpus / "results").exists()


def test_command_line_errors_are_one_line_with_exit_code_1(tmp_path):
    run = study(one_report(tmp_path / "c"), tmp_path / "c" / "inside")
    assert run.returncode == 1
    assert run.stderr.startswith("error: ") and "Traceback" not in run.stderr
    assert "must not be inside the corpus folder" in run.stderr


def test_a_notebook_that_fails_leaves_the_previous_result_and_names_the_notebook(tmp_path):
    import nbformat

    from helpers.study import NotebookFailed

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                                            "language_info": {"name": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("corpus_dir = None\nmetadata_csv = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(nb, notebooks / "01_broken.ipynb")
    corpus = one_report(tmp_path / "corpus")
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("previous result", encoding="utf-8")
    with pytest.raises(NotebookFailed, match=r"01_broken.ipynb: a cell failed on this corpus \(ZeroDivisionError"):
        run_study(corpus, out, notebooks=notebooks, progress=False)
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "previous result"
    assert (out / ".study-partial" / "INCOMPLETE").is_file()  # kept, marked, for the report
    kept = nbformat.read(out / ".study-partial" / "notebooks" / "01_broken.ipynb", as_version=4)
    assert any(o.get("ename") == "ZeroDivisionError" for o in kept.cells[-1].outputs)  # it shows the failing cell


def test_which_metadata_table_a_run_uses(tmp_path):
    from helpers.study import DRAFT, metadata_table

    corpus = one_report(tmp_path / "corpus")
    out = tmp_path / "out"
    out.mkdir()
    said = []
    assert metadata_table(corpus, out, None, said.append) is None
    (out / DRAFT).write_text("file\n", encoding="utf-8")
    (out / ".study-output").write_text(json.dumps({"corpus": str(corpus), "draft_sha256": _sha(out / DRAFT)}), encoding="utf-8")
    assert metadata_table(corpus, out, None, said.append) is None  # the draft as the study wrote it is not a table
    (out / DRAFT).write_text("file,province\nx.txt,陕西省\n", encoding="utf-8")  # the user edits it in place
    assert metadata_table(corpus, out, None, said.append) == out / DRAFT
    assert said == [f"metadata: using your edited draft {out / DRAFT} (save it as {out / 'reports.csv'} to keep it as the table)"]
    (out / "reports.csv").write_text("file\n", encoding="utf-8")
    assert metadata_table(corpus, out, None, said.append) == out / "reports.csv"
    (corpus / "reports.csv").write_text("file\n", encoding="utf-8")
    assert metadata_table(corpus, out, None, said.append) == corpus / "reports.csv"
    (corpus / "reports.csv").unlink()
    (out / ".study-output").write_text(json.dumps({"corpus": "/elsewhere"}), encoding="utf-8")
    with pytest.raises(StudyError, match=r"holds the result and metadata of another corpus \(/elsewhere\)"):
        metadata_table(corpus, out, None, said.append)
    with pytest.raises(StudyError, match="no such metadata table"):
        metadata_table(corpus, out, tmp_path / "nope.csv", said.append)


def test_a_run_that_fails_early_leaves_no_empty_output_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(StudyError, match="no readable report"):
        run_study(empty, tmp_path / "new_out", progress=False)
    assert not (tmp_path / "new_out").exists()
    with pytest.raises(StudyError, match="no such metadata table"):
        run_study(one_report(tmp_path / "c"), tmp_path / "new_out2", progress=False, metadata=tmp_path / "nope.csv")
    assert not (tmp_path / "new_out2").exists()


def test_the_output_paths_are_set_for_the_kernels_only(tmp_path, monkeypatch):
    """Where a run writes figures and tables reaches the notebooks' kernels, not the process that runs the study."""
    from helpers import study
    from helpers.study import StudyInterrupted

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PLAIN, encoding="utf-8")
    seen = {}

    def notebooks(sources, target, parameters, note, progress, site, environment, workers=None, explorer=None,
                  previous=None):
        seen.update(environment)
        raise KeyboardInterrupt  # stop here: the run cleans up as after Ctrl-C

    monkeypatch.setattr(study, "_execute_notebooks", notebooks)
    before = dict(os.environ)
    with pytest.raises(StudyInterrupted):
        run_study(corpus, tmp_path / "out", progress=False)
    assert dict(os.environ) == before
    partial = tmp_path / "out" / ".study-partial"
    assert seen == {"STUDY_FIGURES": str(partial / "figures"), "STUDY_PROCESSED": str(partial / "processed"),
                    "STUDY_CACHE": str(tmp_path / "out" / ".cache")}


def test_a_reports_csv_in_the_corpus_folder_is_used(matrix):
    run = matrix["table_in_corpus"]
    assert run.returncode == 0, run.stderr[-3000:]
    assert "files: 3 analysed, 1 metadata" in run.stdout
    assert "0 have no province yet" in run.stdout + run.stderr  # the table placed all three


def test_the_kernels_show_each_cells_result_and_keep_none(tmp_path):
    """IPython keeps the last 1 000 results a kernel showed (``Out``, ``_12``): notebook 04's table of every claim
    among them, for as long as the kernel ran. The study's kernels keep none, and show the same."""
    import nbformat

    cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("list(range(3))"),
             nbformat.v4.new_code_cell("print(len(Out), _ == '')")]
    cells[0].metadata["tags"] = ["parameters"]
    path = tmp_path / "00_kernel.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                               "display_name": "Python 3"}}), path)
    from helpers.study import _execute_one

    assert _execute_one(str(path), {"x": 2}, str(tmp_path), str(tmp_path / "site"), "", {}) is None
    executed = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert executed[-2].outputs[0]["data"]["text/plain"] == "[0, 1, 2]"
    assert executed[-1].outputs[0]["text"] == "0 True\n"


def test_the_notebooks_expected_to_run_longest_start_first(tmp_path):
    from helpers import study

    sources = [Path(f"{name}.ipynb") for name in ("01_corpus", "05_beyond", "99_mine")]
    expected = study._expected_seconds(sources, None)  # a first run: the times measured at 10 000 reports
    assert expected[sources[1]] == study._SECONDS_AT_SCALE["05_beyond"] > expected[sources[0]]
    assert expected[sources[2]] == statistics.median(study._SECONDS_AT_SCALE.values())  # a notebook of one's own
    earlier = tmp_path / "notebooks"
    earlier.mkdir()
    (earlier / "01_corpus.ipynb").write_text(json.dumps({"metadata": {"papermill": {"duration": 500.5}}}), "utf-8")
    (earlier / "05_beyond.ipynb").write_text("{not json", "utf-8")  # an earlier run cut short
    again = study._expected_seconds(sources, earlier)  # the last run's times, where papermill recorded one
    assert again[sources[0]] == 500.5 and again[sources[1]] == expected[sources[1]]
