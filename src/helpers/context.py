"""What every notebook starts from: the corpus loaded, its table, display order, labels and caption."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import plots, structure
from helpers.corpus import Report
from helpers.errors import StudyError
from helpers.intake import open_corpus, skipped_summary
from helpers.paths import RAW, relative


@dataclass(frozen=True)
class Study:
    """A loaded corpus and the pieces every chart needs."""

    reports: list[Report]
    corpus: pd.DataFrame
    order: list[str]
    labels: dict[str, str]
    caption: str
    files: pd.DataFrame
    metadata: pd.DataFrame


def load_study(corpus_dir: Path | str | None = None, metadata_csv: Path | str | None = None) -> Study:
    """Load a corpus folder (default: the bundled ``data/raw``) for a notebook.

    Every file of the folder is accounted for (:func:`helpers.intake.open_corpus`): reports read, duplicates
    and unreadable files listed in ``files``; metadata missing from ``reports.csv`` inferred and marked.

    Returns:
        The reports; the :func:`helpers.structure.corpus_table`; report ids in display order (macro-region,
        province); chart labels; the source caption (n, years, the caution that n is small); the files table;
        the metadata used.
    """
    intake = open_corpus(corpus_dir or RAW, metadata_csv)
    if not intake.reports:
        raise StudyError(f"{relative(Path(corpus_dir or RAW))}: no readable report in this folder — "
                         + (skipped_summary(intake.files, limit=5).strip() or "it holds no file"))
    corpus = structure.corpus_table(intake.reports)
    source = intake.metadata_source or "metadata inferred from the reports' text"
    if intake.metadata_source and intake.needs_draft:
        source += ", completed from the reports' text"
    return Study(intake.reports, corpus, list(corpus["report_id"]), plots.report_labels(corpus),
                 structure.source_caption(corpus, source), intake.files, intake.metadata)
