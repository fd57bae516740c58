"""Run the whole study on a folder of reports: ``python -m helpers study --corpus PATH --out PATH``.

Reads every report (.txt, .docx, .pdf with a text layer, .html), writes a draft ``reports.csv`` when the folder
has none, tokenises (warming the cache), executes copies of the study's notebooks with the folder as their
``corpus_dir`` parameter (papermill), and renders the site — into the output folder, leaving the repository's
own notebooks untouched. Progress bars go to the terminal.
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.errors import StudyError
from helpers.paths import NOTEBOOKS, relative


def run_study(corpus: Path, out: Path, notebooks: Path = NOTEBOOKS, progress: bool = True) -> Path:
    """Run every notebook on ``corpus`` and render the site into ``out``; returns the site's index page.

    Raises:
        StudyError: the folder does not exist, holds no readable report, or its metadata is wrong.
    """
    corpus, out = Path(corpus).resolve(), Path(out).resolve()
    if not corpus.is_dir():
        raise StudyError(f"{corpus}: no such folder — give the folder that holds your reports")
    if out == corpus or out in corpus.parents:
        raise StudyError(f"{out}: the output folder must not hold the corpus; choose another folder")
    out.mkdir(parents=True, exist_ok=True)
    os.environ["STUDY_FIGURES"] = str(out / "figures")
    os.environ["STUDY_PROCESSED"] = str(out / "processed")
    os.environ.pop("MPLBACKEND", None)  # inline figures need the notebook backend

    from helpers.corpus import infer_metadata, load_corpus
    from helpers.tokenise import Tokeniser, tokens_table

    table = corpus / "reports.csv"
    metadata_csv = None
    if not table.is_file():
        draft = infer_metadata(corpus)
        if draft.empty:
            raise StudyError(f"{corpus}: no readable report (.txt, .docx, .pdf, .html) in this folder")
        metadata_csv = out / "reports.csv"
        draft.to_csv(metadata_csv, index=False, lineterminator="\n")
        missing = draft["macro_region"].eq("").sum()
        print(f"{corpus} has no reports.csv: wrote a draft to {metadata_csv} ({len(draft)} reports; "
              f"{missing} without a province/region). Check it, complete it and copy it into the corpus folder.")
    reports = load_corpus(corpus, metadata_csv, progress=progress)
    tokens_table(reports, Tokeniser(cache_dir=out / "processed" / "cache"), progress=progress)

    import nbformat
    import papermill

    sources = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    target = out / "notebooks"
    target.mkdir(exist_ok=True)
    note = (f"This copy was run on the corpus in {corpus} ({len(reports)} reports). The prose findings at the top "
            "describe the study's bundled five reports; the tables and charts below are computed from this corpus.")
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"> **{note}**"))
        executed = target / source.name
        nbformat.write(nb, executed)
        papermill.execute_notebook(
            str(executed), str(executed), parameters={"corpus_dir": str(corpus), "metadata_csv": str(metadata_csv) if metadata_csv else None},
            progress_bar=progress, kernel_name="python3", cwd=str(target), log_output=False,
        )
    from helpers.site import build_site

    return build_site(sorted(target.glob("*.ipynb")), out / "site", out / "figures",
                      note=f"Run on {corpus.name} ({len(reports)} reports).")


def main_study(corpus: str, out: str) -> int:
    """Command-line wrapper: clear messages, exit code 1 on a study error."""
    import sys

    try:
        index = run_study(Path(corpus), Path(out))
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"site written: {relative(index)} — open it in a browser; figures in {relative(index.parent.parent / 'figures')}")
    return 0
