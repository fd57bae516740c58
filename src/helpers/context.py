"""What every notebook starts from: the corpus's store opened, its table, display order, labels and caption.

Notebooks never run the per-report step themselves: they read the store that ``python -m helpers build`` (run
by ``make study``, ``make test`` and ``python -m helpers study``) wrote, and refuse, with the command to run,
a store that is not that of the corpus as it is now.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from helpers import plots, structure
from helpers.errors import StudyError
from helpers.indicators import with_themes
from helpers.intake import skipped_summary
from helpers.paths import ANNOTATIONS, CACHE, DATA, RAW, relative
from helpers.profiles import DEFAULT_GENRE, UNKNOWN, profile_for
from helpers.segment import PART_LABELS_ZH
from helpers.store import TOKEN_PROPERTIES, Store
from helpers.vocabulary import collocation_table, tfidf_ranked

T = TypeVar("T")

#: :meth:`Study.token_counts` results of at most this many rows are kept for the next call with the same arguments
#: (by part, by region, the filler's by report and part: 2·10⁵ rows at 10⁴ reports); larger ones are not held.
COUNTS_KEPT_ROWS = 1_000_000


def default_store() -> Path:
    """Where the store of a study lives: ``store`` in the cache folder (``data/processed/cache`` or ``OUT/.cache``)."""
    return CACHE / "store"


@dataclass(frozen=True)
class Study:
    """A corpus's store opened, and the pieces every chart needs.

    The per-report tables are read from the store when asked for (:meth:`parts`, :meth:`tokens` …), each with
    ``report_id`` first and rows in the corpus's order.
    """

    store: Store
    corpus: pd.DataFrame
    order: list[str]
    labels: dict[str, str]
    caption: str
    files: pd.DataFrame
    metadata: pd.DataFrame
    versions: dict[str, str]
    #: The genre studied (a profile's genre, or ``unknown``), and every genre of the corpus.
    genre: str = DEFAULT_GENRE
    genres: tuple[str, ...] = (DEFAULT_GENRE,)
    #: Part → Chinese name in that genre, for charts (``plots.…(…, part_names=study.part_names)``).
    part_names: Mapping[str, str] = field(default_factory=lambda: dict(PART_LABELS_ZH))
    #: :meth:`token_counts` already computed (the store's build and the arguments → the counts).
    _counted: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def stamped(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` with the versions it was computed with as its last columns (``lexicon_version`` …).

        What an exported table carries, so that a file says which lexicon and codebooks made it.
        """
        return table.assign(**{f"{name}_version": version for name, version in self.versions.items()})

    def computed(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, kept in the store for the next notebook that asks for ``name`` on the same inputs.

        Notebooks 04 and 05 both need notebook 04's comparison tables (a tenth of a minute at 10⁴ reports): the
        first to ask computes and writes them (``STORE/derived/NAME-KEY.pickle``, written whole or not at all), the
        other reads them. KEY digests everything they could depend on — the store's build record (its stages'
        fingerprints and the corpus folder's survey), the corpus table and genre studied, the ``helpers`` code, the
        hand codes and codebooks — so a change to any of them computes afresh; older copies are removed.
        """
        h = hashlib.sha256(json.dumps([name, self.store.current(), self.genre], sort_keys=True, default=str).encode())
        h.update(self.corpus.to_csv(index=False).encode("utf-8"))
        for path in sorted([*Path(__file__).parent.glob("*.py"), *ANNOTATIONS.glob("*"), *(DATA / "codebook").glob("*")]):
            if path.is_file():
                h.update(path.name.encode() + b"\0" + path.read_bytes())
        folder = self.store.root / "derived"
        target = folder / f"{name}-{h.hexdigest()[:20]}.pickle"
        if target.is_file():
            try:
                with target.open("rb") as f:
                    return pickle.load(f)
            except (OSError, EOFError, pickle.UnpicklingError):
                pass  # unreadable (a disk error): computed again below
        value = compute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}")
            with partial.open("wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, target)
            for old in folder.glob(f"{name}-*.pickle"):
                if old != target:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only store: the value is still returned, only not kept
        return value

    def parts(self) -> pd.DataFrame:
        """One row per part (:func:`helpers.structure.parts_table`)."""
        return self.store.table("parts")

    def items(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per item and lead (:func:`helpers.structure.items_table`); only ``columns`` when given."""
        return self.store.table("items", columns=columns)

    def tokens(self) -> pd.DataFrame:
        """One row per token (:func:`helpers.tokenise.tokens_table`): every token in memory, ~1 GB at 10⁴ reports."""
        return self.store.table("tokens")

    def token_counts(self, by: Sequence[str] = ("report_id", "part"), properties: Sequence[str] = TOKEN_PROPERTIES,
                     content_only: bool = False, top: int | None = None) -> pd.DataFrame:
        """Tokens counted by group in DuckDB (:meth:`helpers.store.Store.token_counts`).

        ``by`` may name the corpus table's report columns (``macro_region``, ``province``) as well as the tokens'.
        """
        extra = [c for c in by if c in self.corpus.columns and c != "report_id"]
        columns = self.corpus[["report_id", *extra]] if extra else None
        # a notebook's findings and its cells ask for some counts twice (notebook 02: by part, and the filler's by
        # report and part: 5 s at 10⁴ reports); kept while the store's build is the same, small ones only
        key = (json.dumps(self.store.current(), sort_keys=True, default=str), tuple(by), tuple(properties),
               content_only, top)
        if key in self._counted:
            return self._counted[key].copy()
        counts = self.store.token_counts(by, properties, content_only, top, columns)
        if len(counts) <= COUNTS_KEPT_ROWS:
            for stale in [k for k in self._counted if k[0] != key[0]]:  # counted on an earlier build
                del self._counted[stale]
            self._counted[key] = counts.copy()
        return counts

    def collocations(self, size: int = 2, min_count: int = 3) -> pd.DataFrame:
        """:func:`helpers.vocabulary.collocations` of the corpus, counted in DuckDB."""
        unigrams, grams, totals = self.store.collocation_counts(size, min_count)  # only the grams it ranks
        return collocation_table(unigrams, grams, size, min_count, totals)

    def tfidf(self, top: int = 10) -> pd.DataFrame:
        """:func:`helpers.vocabulary.tfidf` of every report, ranked in DuckDB (only the rows shown reach pandas)."""
        counts, n_docs = self.store.tfidf_candidates(top)
        return tfidf_ranked(counts, n_docs, "report_id", top)

    def kwic(self, pattern: str, window: int = 6) -> pd.DataFrame:
        """:func:`helpers.vocabulary.kwic` of the corpus, reading only the reports that hold ``pattern``."""
        return self.store.kwic(pattern, window)

    def item_texts(self, items: pd.DataFrame | None = None, tokens: bool = True) -> pd.DataFrame:
        """Every item's content tokens, space-joined (:meth:`helpers.store.Store.item_texts`: or these items')."""
        return self.store.item_texts(items, tokens)

    def coded(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(coded, evidence)`` of the coder (:func:`helpers.themes.code_items`)."""
        return self.coded_items(), self.store.table("evidence")

    def coded_items(self) -> pd.DataFrame:
        """The coded items of :meth:`coded` without its evidence (read for nothing: 0.25 GB at 2·10⁴ reports)."""
        return self.store.table("coded")

    def instruments(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(instruments, evidence)`` of the instrument coder (:func:`helpers.instruments.code_instruments`)."""
        return self.store.table("instruments"), self.store.table("instrument_evidence")

    def claims(self, coded: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every quantitative claim (:func:`helpers.indicators.claims_table`), with its item's themes from ``coded``."""
        return with_themes(self.store.table("claims"), coded)

    def citations(self) -> pd.DataFrame:
        """Every 《…》 title cited (:func:`helpers.citations.cited_documents`)."""
        return self.store.table("citations")


def load_study(corpus_dir: Path | str | None = None, metadata_csv: Path | str | None = None,
               store_dir: Path | str | None = None, genre: str | None = None) -> Study:
    """Open the store of a corpus folder (default: the bundled ``data/raw``) for a notebook.

    Args:
        corpus_dir: the corpus folder the store was built from.
        metadata_csv: the metadata table it was built with (default ``corpus_dir/reports.csv`` if present).
        store_dir: the store (default :func:`default_store`).
        genre: study only the reports of this genre (``fazhi_report``, ``gov_work_report``, ``unknown`` …): a
            folder of several genres is studied one genre at a time — like with like — and needs it.

    Returns:
        The :class:`Study`: the store; the corpus table (:func:`helpers.structure.corpus_table_from`); report ids
        in display order (macro-region, province); chart labels; the source caption (n, years, the caution that n
        is small); the files table; the metadata used.

    Raises:
        StudyError: the store is missing or not that of this corpus as it is now (with the command to run), the
            corpus holds no readable report, or several genres and no ``genre`` (or none of ``genre``).
    """
    corpus_dir = Path(corpus_dir or RAW)
    store = Store(store_dir or default_store())
    store.check(corpus_dir, metadata_csv)
    metadata, files = store.metadata(), store.files()
    if metadata.empty:
        raise StudyError(f"{relative(corpus_dir)}: no readable report in this folder — "
                         + (skipped_summary(files, limit=5).strip() or "it holds no file"))
    genres = store.table("texts", columns=["genre"])
    present = tuple(sorted(set(genres["genre"])))
    if genre is None and len(present) > 1:
        raise StudyError(f"{relative(corpus_dir)}: holds reports of {len(present)} genres ({', '.join(present)}), which "
                         "are studied one at a time: set the notebook's parameter genre to one of them (python -m "
                         "helpers study runs the notebooks once per genre)")
    genre = genre or (present[0] if present else DEFAULT_GENRE)
    if genre not in present:
        raise StudyError(f"{relative(corpus_dir)}: no report of genre {genre!r}; its reports are of genre "
                         + ", ".join(present))
    if len(present) > 1:
        store = store.only(genres.loc[genres["genre"] == genre, "report_id"])
        metadata = store.metadata()
    profile = profile_for(genre)
    texts = store.table("texts", columns=["encoding", "raw_chars", "chars"])
    corpus = structure.corpus_table_from(metadata, texts)
    record = store.current()
    source = record["metadata_source"] or "metadata inferred from the reports' text"
    if record["metadata_source"] and (metadata["inferred"] != "").any():
        source += ", completed from the reports' text"
    versions = record.get("versions", {})
    named = profile.caption if genre != UNKNOWN else f"{profile.caption} (genre not recognised)"
    return Study(store, corpus, list(corpus["report_id"]), plots.report_labels(corpus),
                 structure.source_caption(corpus, source, versions, named), files, metadata, versions, genre, present,
                 {**PART_LABELS_ZH, **profile.labels})
