"""What every notebook starts from: the corpus loaded, its table, display order, labels and caption."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import plots, structure
from helpers.corpus import Report, load_corpus
from helpers.paths import RAW


@dataclass(frozen=True)
class Study:
    """A loaded corpus and the pieces every chart needs."""

    reports: list[Report]
    corpus: pd.DataFrame
    order: list[str]
    labels: dict[str, str]
    caption: str


def load_study(corpus_dir: Path | str | None = None, metadata_csv: Path | str | None = None) -> Study:
    """Load a corpus folder (default: the bundled ``data/raw``) for a notebook.

    Returns:
        The reports; the :func:`helpers.structure.corpus_table`; report ids in display order (macro-region,
        province); chart labels; the source caption (n, years, the caution that n is small).
    """
    reports = load_corpus(corpus_dir or RAW, metadata_csv)
    corpus = structure.corpus_table(reports)
    return Study(reports, corpus, list(corpus["report_id"]), plots.report_labels(corpus),
                 structure.source_caption(corpus))
