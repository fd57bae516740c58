"""One place for the study's paths; notebooks never write ``"../data"``."""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root (``src/helpers/paths.py`` → two levels up from ``src``).
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
#: Immutable inputs: the reports as received plus ``reports.csv``.
RAW = DATA / "raw"
#: Everything here can be rebuilt from ``RAW`` by code.
PROCESSED = Path(os.environ.get("STUDY_PROCESSED", DATA / "processed"))
#: The versioned 法治 lexicon and stopword lists.
LEXICON = DATA / "lexicon"
#: The theme and cause codebooks (YAML).
CODEBOOK = DATA / "codebook"
#: Gold annotations written by hand (segmentation sample, theme labels).
ANNOTATIONS = DATA / "annotations"
#: Token cache (rebuildable, not committed); STUDY_CACHE overrides it.
CACHE = Path(os.environ.get("STUDY_CACHE", PROCESSED / "cache"))
NOTEBOOKS = ROOT / "notebooks"
#: Figures exported by the notebooks (PNG and SVG), rebuilt by ``make study``.
FIGURES = Path(os.environ.get("STUDY_FIGURES", ROOT / "figures"))
SITE = ROOT / "site"


def relative(path: Path | str) -> str:
    """Return ``path`` relative to the repository root when it lies inside it.

    Outputs (tables, messages shown in notebooks) must not carry this machine's absolute paths.

    Args:
        path: any path.

    Returns:
        The POSIX path relative to ``ROOT``, or the path unchanged when it lies outside.
    """
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()
