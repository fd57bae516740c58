"""The study's columnar store: the per-report step's results as Parquet, built in parallel and incrementally.

``python -m helpers build --corpus DIR --store DIR`` (or :func:`build`) surveys the corpus
(:func:`helpers.intake.plan_corpus`), finds which reports each stage (:data:`helpers.pipeline.STAGES`) has
not seen under its current fingerprint, runs :func:`helpers.pipeline.process` on those in worker processes
(``--workers``, default: every core) or on a Dask cluster (``--engine dask --scheduler tcp://HOST:8786``),
and then makes the intake's decisions (duplicates, report ids, metadata) from the stored results. A re-run
with ten new reports processes ten; a new lexicon recomputes the ``lexicon`` stage and nothing else.

Layout (every file is written to a hidden temporary name first and renamed when complete, so an interrupted
build leaves nothing half-written that a later read would take)::

    STORE/STORE.json                                  what this folder is
    STORE/<stage>/<fingerprint>/<batch>/<table>.parquet   rows keyed by the report's sha256 (``key``)
    STORE/<stage>/<fingerprint>/<batch>/done.parquet      the keys the batch covers (written last)
    STORE/current/{reports,files}.parquet, build.json     the corpus of the last build: ids, metadata, files

Reading (:meth:`Store.table`) joins a stage's rows to the current reports by ``key`` and returns them in
the reports' order with their ``report_id``, the columns and types the study's tables have. Nothing ever
holds every token of the corpus in one process's memory while building: each worker holds one batch.
"""

from __future__ import annotations

import gc
import json
import math
import os
import shutil
import signal
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from helpers import memory
from helpers.errors import StudyError
from helpers.intake import Decisions, Intake, Reading, candidate_sha256, plan_corpus
from helpers.normalise import RawMap
from helpers.paths import relative
from helpers.pipeline import STAGES, Job, Settings, check_worker, given_key, process
from helpers.schemas import SCHEMAS
from helpers.vocabulary import GramTotals
from helpers.weighting import PLAIN_IDF_SQL

#: What ``STORE.json`` says; a folder with another ``format`` is refused rather than mixed.
STORE_FORMAT = 1


#: What DuckDB may hold in memory while it aggregates the store (it spills to disk beyond). 768 MB made notebook 02
#: the study's largest process (1.17 GiB at 10⁴ reports, 1.25 at 2·10⁴); at 512 MB it peaks at 0.92 and 1.01 GiB,
#: its queries as fast (TF-IDF of 2·10⁴ reports 18 s, top terms by report 15 s, measured).
DUCKDB_MEMORY = os.environ.get("STUDY_DUCKDB_MEMORY", "512MB")
#: DuckDB's threads (0: one a core, DuckDB's default); a study running a notebook a core sets 1.
DUCKDB_THREADS = int(os.environ.get("STUDY_DUCKDB_THREADS", "0") or 0)
#: Reports a per-report query reads at once (:meth:`Store.slices`): at 2·10⁴ reports a slice of 2 000 holds
#: ~3·10⁶ tokens' rows.
QUERY_SLICE_REPORTS = 2000
#: A token's own columns: what it is, and the lexicon's word on it.
TOKEN_PROPERTIES = ("token", "token_kind", "content", "category", "is_function", "is_filler", "is_marker")
#: The nullable integer columns of each table (Parquet keeps the type, a join must not turn them into floats).
_INT_COLUMNS = {
    "parts": ("heading_rank",),
    "items": ("parent_seq", "number"),
    "tokens": ("item_seq",),
    "claims": ("item_seq",),
    "citations": ("item_seq",),
}
ENGINES = ("processes", "dask")
#: Reports a batch holds at most. A worker's memory grows with its batch (about 0.6 MB a report of the bundled
#: kind, 3 600 characters: 512 of them add ≈ 0.3 GB to a worker's 0.2 GB) and its time shrinks with fewer
#: batches (each writes 15 files; at 10⁴ reports, 512 a batch took 14 % less CPU than 128).
BATCH_REPORTS = 512
#: Bytes of report files a batch holds at most (≈ 512 reports of the bundled kind): longer reports, smaller batches.
BATCH_BYTES = 6 * 2**20


class StoreError(StudyError):
    """The store folder cannot be used (another kind of folder, a build already running, no build yet)."""


@dataclass
class BuildResult:
    """What a build did: the corpus's files and metadata (as the intake decides them) and the work done.

    Attributes:
        store: the store.
        files: one row per file (:data:`helpers.intake.FILE_COLUMNS`).
        metadata: one row per analysed report.
        metadata_source: the metadata table used (``""`` when all was inferred).
        processed: stage → reports computed in this build (0 for a stage that was up to date).
        reports: candidates read as reports.
        chars: characters of the reports (as read).
        computed_chars: characters of the reports some stage computed in this build (what a rate is over).
        seconds: wall time of the build.
    """

    store: Store
    files: pd.DataFrame
    metadata: pd.DataFrame
    metadata_source: str
    processed: dict[str, int] = field(default_factory=dict)
    reports: int = 0
    chars: int = 0
    computed_chars: int = 0
    seconds: float = 0.0

    @property
    def intake(self) -> Intake:
        """The corpus as the intake decided it (without loaded reports: they are in the store)."""
        return Intake([], self.files, self.metadata, self.metadata_source)


class _Lent:
    """A :meth:`Store.session`'s connection, lent to one ``with`` block: not closed at its end."""

    def __init__(self, con) -> None:
        self.con = con

    def __enter__(self):
        return self.con

    def __exit__(self, *exc) -> None:
        return None


class Store:
    """A store folder (created on first use)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._collocations: tuple[str, tuple] | None = None  # (the build it was counted on, (words, size → counts))
        self._only: frozenset[str] | None = None  # report ids this view of the store is restricted to
        # a stage's folder → its batches when last read, and each key's places among them (files_holding)
        self._holding: dict[Path, tuple[tuple[Path, ...], dict[str, list[int]]]] = {}
        self._session = None  # the connection :meth:`session` lends to every :meth:`connect` inside it

    def only(self, report_ids: Iterable[str]) -> Store:
        """This store seen through some of its current reports: every table, view and count holds only theirs.

        What a study of one genre reads in a folder of several (:func:`helpers.context.load_study`).
        """
        view = Store(self.root)
        view._only = frozenset(report_ids)
        return view

    # --- layout ---------------------------------------------------------------------------------------------
    def _stage_dir(self, stage: str, fingerprint: str) -> Path:
        return self.root / stage / fingerprint

    def open(self) -> Store:
        """Create the folder (or check that it is a store) and return ``self``.

        Raises:
            StoreError: the folder holds something else, or a store of another format.
        """
        marker = self.root / "STORE.json"
        if marker.is_file():
            found = json.loads(marker.read_text(encoding="utf-8")).get("format")
            if found != STORE_FORMAT:
                raise StoreError(f"{relative(self.root)}: a store of format {found}, this study writes format "
                                 f"{STORE_FORMAT}: give another --store folder, or delete this one (it is rebuilt)")
            return self
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"{relative(self.root)}: is a file: give a folder (new or empty) for --store")
        if self.root.exists() and any(self.root.iterdir()):
            raise StoreError(f"{relative(self.root)}: not a study store (it holds other files): give a new or empty "
                             "folder for --store")
        self.root.mkdir(parents=True, exist_ok=True)
        _write_text(marker, json.dumps({"format": STORE_FORMAT, "what": "the 法治政府 report study's store "
                                        "(rebuildable; see helpers/store.py)"}, ensure_ascii=False) + "\n")
        return self

    def batch_files(self, table: str, fingerprint: str | None = None) -> list[Path]:
        """The files of ``table`` in the complete batches of its stage (a batch counts once its ``done`` is written).

        ``fingerprint`` is the stage's, by default the current build's.
        """
        stage = next(s for s, names in STAGES.items() if table in names)
        stage_dir = self._stage_dir(stage, fingerprint or self.current()["fingerprints"][stage])
        return sorted(p.parent / f"{table}.parquet" for p in stage_dir.glob("[!.]*/done.parquet")
                      if (p.parent / f"{table}.parquet").is_file())

    def files_holding(self, table: str, keys: Iterable[str]) -> list[Path]:
        """The files of :meth:`batch_files` whose batch holds at least one of ``keys`` (reports' sha256), in order.

        Read from the batches' ``done`` lists (which keys each batch covers; kept per store state, read again when
        a batch is added): a slice of reports is read from its own batches, not filtered out of every file — at
        2·10⁴ reports a slice of 2 000 reports' texts read 158 files for 16.
        """
        paths = self.batch_files(table)
        if not paths:
            return []
        batches = tuple(p.parent for p in paths)
        held = self._holding.get(batches[0].parent)
        if held is None or held[0] != batches:
            owners: dict[str, list[int]] = defaultdict(list)
            for at, batch in enumerate(batches):
                for value in pq.read_table(batch / "done.parquet", columns=["done"]).column("done").to_pylist():
                    owners[value.split("|", 1)[0]].append(at)  # the meta stage lists key|given_key
            held = self._holding[batches[0].parent] = (batches, owners)
        chosen = sorted({at for key in keys for at in held[1].get(key, ())})
        return [paths[at] for at in chosen]

    def done(self, stage: str, fingerprint: str) -> set[str]:
        """The keys a stage holds under ``fingerprint`` (``key|given_key`` for the ``meta`` stage)."""
        files = sorted(self._stage_dir(stage, fingerprint).glob("[!.]*/done.parquet"))
        if not files:
            return set()
        return set(ds.dataset(files).to_table(columns=["done"]).column("done").to_pylist())

    def write_batch(self, stage: str, fingerprint: str, batch: str, tables: dict[str, pd.DataFrame | pa.Table],
                    done: Sequence[str]) -> None:
        """Write one batch of one stage: its tables, then the keys it covers, then rename it into place."""
        final = self._stage_dir(stage, fingerprint) / batch
        if final.exists():  # the same batch written by an earlier, interrupted build's worker: identical
            return
        tmp = final.parent / f".tmp-{batch}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name in STAGES[stage]:
            if name in tables:
                table = tables[name]
                if isinstance(table, pd.DataFrame) and table.empty:  # (a table of no rows may come without columns)
                    table = SCHEMAS[name].empty_table()
                elif isinstance(table, pd.DataFrame):
                    table = pa.Table.from_pandas(table, schema=SCHEMAS[name], preserve_index=False)
                _write_parquet(table, SCHEMAS[name], tmp / f"{name}.parquet")
        pq.write_table(pa.table({"done": list(done)}), tmp / "done.parquet")
        try:
            tmp.rename(final)
        except OSError:  # another worker finished the same batch first
            shutil.rmtree(tmp, ignore_errors=True)

    # --- the current corpus -----------------------------------------------------------------------------------
    def current(self) -> dict:
        """The last build's record: ``fingerprints``, ``corpus``, ``metadata_source``, counts.

        Raises:
            StoreError: no build has completed in this store.
        """
        path = self.root / "current" / "build.json"
        if not path.is_file():
            raise StoreError(f"{relative(self.root)}: no complete build here yet: run "
                             f"python -m helpers build --corpus DIR --store {relative(self.root)}")
        return json.loads(path.read_text(encoding="utf-8"))

    def check(self, corpus: Path | str, table_path: Path | str | None = None, settings: Settings | None = None) -> None:
        """Check that the last build is of this corpus, as it is now, with this code, lexicon and codebook.

        Raises:
            StoreError: naming what differs, with the command that brings the store up to date.
        """
        corpus = Path(corpus).resolve()
        command = f"python -m helpers build --corpus {relative(corpus)} --store {relative(self.root)}"
        path = self.root / "current" / "build.json"
        if not path.is_file():
            raise StoreError(f"{relative(self.root)}: no build of {relative(corpus)} here yet: run {command} "
                             "(make study does it for the bundled corpus)")
        record = self.current()
        settings = settings or Settings()
        why = _stale(record, corpus, table_path, settings.fingerprints(), survey(corpus, table_path))
        if why:
            raise StoreError(f"{relative(self.root)}: not up to date: {why}: run {command} "
                             "(only what changed is computed)")

    def metadata(self) -> pd.DataFrame:
        """The current reports' metadata, in their order (``sha256`` is the key of their rows in every table)."""
        self.current()  # a clear message when there is no build yet
        meta = pd.read_parquet(self.root / "current" / "reports.parquet").astype(str)
        if self._only is not None:
            meta = meta[meta["report_id"].isin(self._only)].reset_index(drop=True)
        return meta

    def files(self) -> pd.DataFrame:
        """The current corpus's files table."""
        self.current()
        return pd.read_parquet(self.root / "current" / "files.parquet").astype(str)

    @contextmanager
    def session(self):
        """Inside, every :meth:`connect` lends one connection (closed on leaving) instead of opening its own.

        Opening one creates a view per table over every batch file: 0.2–0.4 s at 10⁴–2·10⁴ reports, paid by each
        query. A loop of queries (a slice of reports at a time) runs in one session. Sessions nest (the outer one's
        connection serves).
        """
        if self._session is not None:
            yield
            return
        self._session = self._open()
        try:
            yield
        finally:
            con, self._session = self._session, None
            con.close()

    def connect(self):
        """A DuckDB connection (in process, in memory) with a view per table of the current build.

        Each view holds the table's rows for the current reports with ``report_id`` and ``report_order`` (the
        corpus's display order is not implied: ``ORDER BY`` what a result needs). Aggregates computed here read
        only the columns and rows they need from Parquet, never a whole table into Python. Use it in ``with``: it
        closes on leaving, unless it is a :meth:`session`'s, which stays open for the session's next query.
        """
        return self._open() if self._session is None else _Lent(self._session)

    def _open(self, keys: Sequence[str] | None = None, tables: Iterable[str] | None = None):
        """A connection with a view per table (of ``tables``, default all) over the reports of ``keys`` (default all)."""
        import duckdb

        # bounded memory: past the limit DuckDB spills to a folder of the store (sorts and windows over 10⁷ tokens)
        con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "preserve_insertion_order": False,
                                     "temp_directory": str(self.root / ".duckdb-spill"),
                                     **({"threads": DUCKDB_THREADS} if DUCKDB_THREADS > 0 else {})})
        meta = self.metadata()[["report_id", "sha256"]].rename(columns={"sha256": "key"})
        meta["report_order"] = range(len(meta))  # the corpus's order, whether or not a slice is viewed
        if keys is not None:
            meta = meta[meta["key"].isin(set(keys))]
        con.register("current_reports", pa.Table.from_pandas(meta, preserve_index=False))
        for name, schema in SCHEMAS.items():
            if tables is not None and name not in tables:
                continue
            paths = self.batch_files(name) if keys is None else self.files_holding(name, keys)
            if paths:
                listed = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
                source = f"read_parquet([{listed}])"
            else:
                con.register(f"empty_{name}", schema.empty_table())
                source = f"empty_{name}"
            con.execute(f"CREATE VIEW {name} AS SELECT r.report_id, r.report_order, t.* EXCLUDE (key) "
                        f"FROM {source} t JOIN current_reports r USING (key)")
        return con

    def slices(self, tables: Sequence[str], reports: int | None = None) -> Iterator:
        """Connections over ``reports`` reports at a time, in the corpus's order, each closed when the next is asked.

        Each has the views of :meth:`connect` for ``tables`` only, over the slice's reports (read from the batches
        that hold them), with the corpus-wide ``report_order``: a query whose result is per report (a report's top
        terms, its TF-IDF ranks, the lines of a KWIC) gives, slice after slice, the whole corpus's rows in the
        corpus's order, while DuckDB holds one slice's rows (its windows and aggregates over every report's tokens
        filled its memory limit: notebook 02's kernel 1.05 GiB at 2·10⁴ reports, 0.96 at 10⁴). ``reports``: by default
        :data:`QUERY_SLICE_REPORTS`.
        """
        keys, step = self.metadata()["sha256"].tolist(), max(reports or QUERY_SLICE_REPORTS, 1)
        for at in range(0, max(len(keys), 1), step):
            con = self._open(keys[at:at + step], tables)
            try:
                yield con
            finally:
                con.close()

    def item_texts(self, items: pd.DataFrame | None = None, tokens: bool = True) -> pd.DataFrame:
        """The content tokens of every item, space-joined in text order (joined by the build, read here).

        Args:
            items: only these items (``report_id, part_seq, item_seq``; default every item): a sample's tokens
                are read without every item's (0.3 GB at 10⁴ reports).
            tokens: False: the items' keys only (which items have content tokens), without the tokens.

        Returns:
            ``report_id, part_seq, item_seq, tokens``, sorted by those keys (what
            ``tokens.groupby(keys)["token"].apply(" ".join)`` gives on the tokens table, without loading it).
        """
        columns = "t.report_id, t.part_seq, t.item_seq" + (", t.tokens" if tokens else "")
        with self.connect() as con:  # joined by the build (helpers.tokenise.item_token_arrays): read, not computed
            source = "item_tokens t"
            if items is not None:
                con.register("wanted_items", pa.table({
                    "report_id": pa.array(items["report_id"].astype(str).tolist(), type=pa.string()),
                    **{k: pa.array(pd.array(items[k], dtype="Int64"), type=pa.int64()) for k in ("part_seq", "item_seq")}}))
                source += (" SEMI JOIN wanted_items w ON t.report_id = w.report_id AND t.part_seq IS NOT DISTINCT FROM "
                           "w.part_seq AND t.item_seq IS NOT DISTINCT FROM w.item_seq")
            frame = con.sql(f"SELECT {columns} FROM {source} "
                            "ORDER BY t.report_id, t.part_seq, t.item_seq").to_arrow_table().to_pandas()
            if items is not None:
                con.unregister("wanted_items")  # a session's connection outlives the query
        frame["item_seq"] = frame["item_seq"].astype("Int64")
        return frame

    def token_counts(self, by: Sequence[str] = ("report_id", "part"), properties: Sequence[str] = TOKEN_PROPERTIES,
                     content_only: bool = False, top: int | None = None,
                     report_columns: pd.DataFrame | None = None) -> pd.DataFrame:
        """Tokens counted by group, computed in DuckDB: what the counts of notebook 02 need, and no more.

        The functions of :mod:`helpers.vocabulary` take such a table in place of the tokens table (``n`` says how
        many tokens a row stands for), so each analysis reads only its own grain: by part, by region, by report
        and part without the token, or the ``top`` tokens of each report.

        Args:
            by: grouping columns of the tokens table, or of ``report_columns``.
            properties: the token columns kept (``token`` and its properties by default; fewer, fewer rows).
            content_only: count content tokens only.
            top: keep the ``top`` tokens of each group, by count then token (needs ``token`` in ``properties``).
            report_columns: ``report_id`` and report-level columns to group by (e.g. ``macro_region``).

        Returns:
            ``*by, *properties, n``, rows in order of first appearance in the corpus (report order, then place).
        """
        groups = ", ".join([*by, *properties])
        # content tokens by report (or by a report's columns) are counted from the terms table (each report's
        # content tokens counted by the build), a third of the tokens table's rows; the rest from the tokens
        report_level = set(by) <= {"report_id", *(report_columns.columns if report_columns is not None else ())}
        if content_only and report_level and set(properties) <= set(TOKEN_PROPERTIES):
            table, where, n, start = "terms", "", "sum(n)", "first"
        else:
            table, where, n, start = "tokens", "WHERE content" if content_only else "", "count(*)", "start"
        # the terms table already has one row per report and token: no grouping, and a report's integer order
        # partitions as its id does (and hashes faster)
        grouped = not (table == "terms" and list(by) == ["report_id"])
        partition, count = (", ".join(by), n) if grouped else ("report_order", "n")
        qualify = (f"QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {count} DESC, token) <= {int(top)}"
                   if top else "")
        # first appearance: report order, then offset (one integer: a text is far shorter than 2³² characters)
        first = f"report_order::BIGINT * 4294967296 + {start}"
        source = table
        if report_columns is not None:
            source = f"{table} JOIN report_columns USING (report_id)"
        query = (f"SELECT {groups}, {n}::BIGINT AS n FROM {source} {where} GROUP BY {groups} {qualify} "
                 f"ORDER BY min({first})" if grouped else f"SELECT {groups}, n FROM terms {qualify} ORDER BY {first}")
        # grouped by report (and more): a slice of reports at a time gives the same rows in the same order (the
        # slices follow the corpus's order, as ``first`` does); by region or part, every report at once
        def counted(con) -> pa.Table:
            if report_columns is None:
                return con.sql(query).to_arrow_table()
            con.register("report_columns", pa.Table.from_pandas(report_columns, preserve_index=False))
            try:
                return con.sql(query).to_arrow_table()
            finally:
                con.unregister("report_columns")  # a session's connection outlives the query

        if "report_id" in by:
            pieces = [counted(con) for con in self.slices([table])]
        else:
            with self.connect() as con:
                pieces = [counted(con)]
        return pa.concat_tables(pieces).to_pandas()

    def tfidf_candidates(self, top: int) -> tuple[pd.DataFrame, int]:
        """Each report's ``top`` content tokens by TF-IDF, ranked in DuckDB, with what the figures are made of.

        Returns:
            ``(counts, n_docs)`` for :func:`helpers.vocabulary.tfidf_ranked`: ``report_id, token, count, total,
            df`` (``total``: the report's content tokens; ``df``: reports holding the token), and the number of
            reports with content tokens.
        """
        with self.connect() as con:  # each token's document frequency, over every report (the terms: counted by the build)
            d = con.sql("SELECT token, count(*) AS df FROM terms GROUP BY token").to_arrow_table()
            n_docs = int(con.sql("SELECT count(DISTINCT report_id) FROM terms").fetchall()[0][0])
        pieces = []
        for con in self.slices(["terms"]):  # then each report's best, a slice of reports at a time
            con.register("d", d)
            pieces.append(con.sql(
                "WITH c AS MATERIALIZED (SELECT report_id, report_order, token, n FROM terms), "
                "t AS MATERIALIZED (SELECT report_id, sum(n) AS total FROM c GROUP BY report_id), "
                "docs AS (SELECT $n_docs::BIGINT AS n_docs) "
                "SELECT report_id, token, n AS count, total, df FROM c JOIN d USING (token) "
                "JOIN t USING (report_id) CROSS JOIN docs "
                f"QUALIFY row_number() OVER (PARTITION BY report_order ORDER BY (n / total) * {PLAIN_IDF_SQL} DESC, "
                f"token) <= {int(top)}", params={"n_docs": n_docs}).to_arrow_table())
        frame = pa.concat_tables(pieces).to_pandas()
        frame["total"] = frame["total"].astype("int64")
        return frame, int(n_docs)

    def collocation_counts(self, size: int, min_count: int = 1) -> tuple[Counter, Counter, GramTotals]:
        """The counts :func:`helpers.vocabulary.collocation_table` ranks, computed over the store's token files.

        As :func:`helpers.vocabulary.collocations` reads a report: white-space tokens are passed over, any other
        token that is not content ends a run of content tokens, and only runs of two or more count. One pass over
        the tokens, a batch file at a time (:func:`_collocation_counts`), counts the words in runs, bigrams and
        trigrams, as arrays of word numbers; they are kept for the next call while the store's build is the same.

        Returns:
            ``(unigrams, grams, totals)``: word → count over those runs; ``size``-token sequence → count, of the
            sequences counted at least ``min_count`` times; the totals over every sequence
            (:class:`helpers.vocabulary.GramTotals`).
        """
        if size not in (2, 3):
            raise ValueError("size must be 2 or 3")
        build = (self.root / "current" / "build.json").read_text(encoding="utf-8") \
            if (self.root / "current" / "build.json").is_file() else ""
        if self._collocations is None or self._collocations[0] != build:
            counts = _collocation_counts(self.batch_files("tokens"), set(self.metadata()["sha256"].tolist()))
            self._collocations = (build, counts)
        names, counts = self._collocations[1]
        words = np.array(names, dtype=object)
        (ids,), n = counts[1]
        unigrams = Counter(dict(zip(words[ids].tolist(), n.tolist())))
        columns, n = counts[size]
        kept = n >= min_count
        grams = Counter(dict(zip(zip(*(words[c[kept]].tolist() for c in columns)), n[kept].tolist())))
        if size == 2 and len(n):  # each word's count as a bigram's first word and as its second: every bigram's
            firsts, seconds = (np.bincount(c, weights=n, minlength=len(names)).astype(np.int64) for c in columns)
            totals = GramTotals(int(n.sum()), *(Counter(dict(zip(words[np.flatnonzero(m)].tolist(), m[m > 0].tolist())))
                                                for m in (firsts, seconds)))
        else:
            totals = GramTotals(int(n.sum()))
        return unigrams, grams, totals

    def kwic(self, pattern: str, window: int = 6) -> pd.DataFrame:
        """:func:`helpers.vocabulary.kwic` over the store, without loading tokens.

        Tokens partition a report's text, so ``pattern`` is a run of whole tokens exactly where it occurs in the
        text starting at a token's start and ending at a token's end; its context is the text from the start of
        the ``window``-th token before to the end of the ``window``-th token after. Only the reports whose text
        holds ``pattern`` are read (their text and token starts, streamed), then the hits' parts, items and raw
        offsets are looked up in one join — a slice of reports at a time (:meth:`slices`).
        """
        columns = ["report_id", "part", "item_seq", "left", "keyword", "right", "start", "end", "raw_start", "raw_end"]
        pieces = [piece for con in self.slices(["texts", "tokens"])  # a slice of reports at a time
                  for piece in [_kwic_slice(con, pattern, window)] if piece is not None] if pattern else []
        if not pieces:
            return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "item_seq" else object) for c in columns})
        table = pa.concat_tables(pieces).to_pandas()
        table["item_seq"] = table["item_seq"].astype("Int64")
        return table[columns]

    def head(self, name: str, n: int, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """``table(name, columns).head(n)``, reading the reports in order only until it has ``n`` rows.

        The rows of the first report, then of the next 4, 16 … (a notebook showing the first rows of the evidence
        read every item's: 0.14 GB at 2·10⁴ reports).
        """
        ids = self.metadata()["report_id"].tolist()
        pieces: list[pd.DataFrame] = []
        rows, at, step = 0, 0, 1
        while not pieces or (rows < n and at < len(ids)):
            pieces.append(self.table(name, columns, reports=ids[at:at + step]))
            rows, at, step = rows + len(pieces[-1]), at + step, step * 4
        return pd.concat(pieces, ignore_index=True).head(max(n, 0)) if len(pieces) > 1 else pieces[0].head(max(n, 0))

    def table(self, name: str, columns: Sequence[str] | None = None, reports: Iterable[str] | None = None) -> pd.DataFrame:
        """A stage's table for the current reports, with ``report_id`` first, in the reports' order.

        Args:
            name: a table of :data:`helpers.pipeline.STAGES`.
            columns: the columns wanted (default all); ``report_id`` comes anyway.
            reports: only these report ids (default all).
        """
        meta = self.metadata()[["report_id", "sha256"]].rename(columns={"sha256": "key"})
        if reports is not None:
            meta = meta[meta["report_id"].isin(set(reports))]
        order = meta["key"].tolist()
        paths = self.batch_files(name) if reports is None else self.files_holding(name, order)
        wanted = [c for c in (columns or SCHEMAS[name].names) if c not in ("key", "report_id")]
        keys = pa.array(order, type=pa.string())
        if paths and len(order):
            data = ds.dataset(paths, schema=SCHEMAS[name]).to_table(columns=["key", *wanted],
                                                                    filter=ds.field("key").isin(keys))
        else:
            data = SCHEMAS[name].empty_table().select(["key", *wanted])
        # each row's report, found by its key's place among the reports' keys, and the rows put in the reports'
        # order, in Arrow: the keys as Python strings and a pandas take of every column held 0.9 GB to read the
        # 1.4 M rows (150 MB) of the instrument evidence of 10⁴ reports
        at = pc.index_in(data["key"], value_set=keys).to_numpy(zero_copy_only=False)
        rows = np.argsort(at, kind="stable")
        ids = pa.array(meta["report_id"].to_numpy(dtype=object)[at[rows]], type=pa.string())
        data = data.drop_columns(["key"]).take(pa.array(rows)).add_column(0, "report_id", ids)
        frame = data.to_pandas()
        del data, ids
        for column in _INT_COLUMNS.get(name, ()):
            if column in frame:
                frame[column] = frame[column].astype("Int64")
        memory.arrow()  # the table read and its copies: 300 MB held by Arrow's pool for the items of 10⁴ reports
        return frame

    def raw_maps(self, reports: Iterable[str] | None = None) -> dict[str, RawMap]:
        """Report id → the map from its normalised offsets to offsets into its file as read (the ``rawmap`` table).

        Args:
            reports: only these report ids (default all): read a few thousand at a time at 10⁴ reports and more.
        """
        runs = self.table("rawmap", reports=reports)
        ids = runs["report_id"].to_numpy()
        cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1 if len(ids) else np.zeros(0, dtype=np.int64)
        columns = [runs[c].to_numpy(dtype=np.int64) for c in ("start", "raw_start", "raw_end")]
        return {str(ids[a]): RawMap(*(c[a:b] for c in columns))
                for a, b in zip(np.append(0, cuts).tolist(), np.append(cuts, len(ids)).tolist()) if a < b}

    def to_raw(self, report_id: str, starts: Sequence[int] | np.ndarray,
               ends: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Spans of a report's normalised text as offsets into its file as read: ``(raw_starts, raw_ends)``.

        Raises:
            StoreError: the report is not in the store.
        """
        maps = self.raw_maps([report_id])
        if report_id not in maps:
            raise StoreError(f"{report_id}: no such report in the store {relative(self.root)}; the store's reports "
                             "are those of reports.csv (or its draft) as last built")
        return maps[report_id].spans_to_raw(starts, ends)


def survey(corpus: Path | str, table_path: Path | str | None = None) -> str:
    """A fingerprint of what a corpus folder holds: every file's path, size and modification time (and the table's).

    Cheap (no file is read): it tells whether a store is still that of the folder, not what changed.
    """
    import hashlib

    corpus = Path(corpus)
    h = hashlib.sha256()
    top = str(corpus)
    for here, dirs, files in os.walk(top):
        dirs.sort()
        prefix = os.path.relpath(here, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(here, name))
            except OSError:
                st = None
            h.update(f"{prefix}{name}|{st and st.st_size}|{st and st.st_mtime_ns}\n".encode())
    # the table in use, named the same whether it was given or found as corpus/reports.csv (the default)
    table = _table_used(corpus, table_path)
    if table and Path(table).is_file():
        st = Path(table).stat()
        h.update(f"table|{table}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def _table_used(corpus: Path, table_path: Path | str | None) -> str:
    if table_path is None and (corpus / "reports.csv").is_file():
        table_path = corpus / "reports.csv"
    return str(Path(table_path).resolve()) if table_path is not None else ""


def _rows_summed(columns: Sequence[np.ndarray], weights: np.ndarray | None = None) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of equal-length integer ``columns`` (sorted), and the sum of ``weights`` (default 1) of each."""
    n = len(columns[0])
    weights = np.ones(n, dtype=np.int64) if weights is None else weights
    if not n:
        return [c[:0] for c in columns], np.zeros(0, dtype=np.int64)
    bits = 63 // len(columns)
    if all(int(c.min()) >= 0 and int(c.max()) < 1 << bits for c in columns):  # one integer a row: one sort
        packed = np.zeros(n, dtype=np.int64)
        for c in columns:
            packed = (packed << bits) | c
        order = np.argsort(packed)
        packed = packed[order]
        starts = np.flatnonzero(np.concatenate(([True], packed[1:] != packed[:-1])))
        mask = (1 << bits) - 1
        return ([(packed[starts] >> (bits * (len(columns) - 1 - k))) & mask for k in range(len(columns))],
                np.add.reduceat(weights[order], starts))
    order = np.lexsort(columns[::-1])
    ordered = [c[order] for c in columns]
    new = np.ones(n, dtype=bool)
    new[1:] = np.any([c[1:] != c[:-1] for c in ordered], axis=0)
    starts = np.flatnonzero(new)
    return [c[starts] for c in ordered], np.add.reduceat(weights[order], starts)


def _kwic_slice(con, pattern: str, window: int) -> pa.Table | None:
    """:meth:`Store.kwic` over the reports of one connection (:meth:`Store.slices`): its rows, None without a hit."""
    size = len(pattern)
    hits: dict[str, list] = {"report_id": [], "report_order": [], "s": [], "e": [], "left": [], "right": []}
    reader = con.sql(
        "WITH holding AS (SELECT report_id, report_order, text FROM texts WHERE contains(text, $p)), "
        "token_starts AS (SELECT report_id, list(start ORDER BY start) AS starts FROM tokens "
        "WHERE report_id IN (SELECT report_id FROM holding) GROUP BY report_id) "
        "SELECT h.report_id, h.report_order, h.text, s.starts FROM holding h JOIN token_starts s USING (report_id)",
        params={"p": pattern}).to_arrow_reader(256)
    for batch in reader:
        starts_column = batch.column("starts")
        offsets, values = starts_column.offsets.to_numpy(), starts_column.values.to_numpy()
        for k, (rid, order, text) in enumerate(zip(batch.column("report_id").to_pylist(),
                                                   batch.column("report_order").to_pylist(),
                                                   batch.column("text").to_pylist())):
            starts = values[offsets[k] : offsets[k + 1]]
            n, at = len(starts), text.find(pattern)
            while at != -1:
                i, j = np.searchsorted(starts, [at, at + size])
                if i < n and starts[i] == at and (j == n and at + size == len(text) or j < n and starts[j] == at + size):
                    hits["report_id"].append(rid)
                    hits["report_order"].append(order)
                    hits["s"].append(at)
                    hits["e"].append(at + size)
                    hits["left"].append(text[starts[max(0, i - window)] : at].replace("\n", "⏎"))
                    hits["right"].append(text[at + size : starts[j + window] if j + window < n else len(text)]
                                         .replace("\n", "⏎"))
                at = text.find(pattern, at + 1)
    if not hits["s"]:
        return None
    con.register("hits", pa.table(hits))
    # the tokens a hit covers: its part, item and raw start are its first token's, its raw end its last's
    # (one range join: two joins of the tokens view with the hits, each cheap, were planned as one costly)
    return con.sql(
        "SELECT h.report_id, arg_min(a.part, a.start) AS part, arg_min_null(a.item_seq, a.start) AS item_seq, "
        "h.left, $p AS keyword, h.right, h.s AS start, h.e AS \"end\", arg_min(a.raw_start, a.start) AS raw_start, "
        "arg_max(a.raw_end, a.start) AS raw_end "
        "FROM hits h JOIN tokens a ON a.report_id = h.report_id AND a.start >= h.s AND a.start < h.e "
        "GROUP BY h.report_id, h.report_order, h.left, h.right, h.s, h.e ORDER BY h.report_order, h.s",
        params={"p": pattern}).to_arrow_table()


#: Sequences of word numbers counted: the distinct ones as columns (one per word of the sequence) and each one's count.
_Counted = tuple[list[np.ndarray], np.ndarray]


def _collocation_counts(paths: Sequence[Path], keys: set[str]) -> tuple[list[str], dict[int, _Counted]]:
    """Words in runs of two or more content tokens, bigrams and trigrams of those runs, over the reports ``keys``.

    As :func:`helpers.vocabulary.collocations` reads a report (white space passed over; any other token that is not
    content ends a run), a batch file at a time: its tokens in each report's text order (as the build writes them;
    sorted if not), their strings dictionary-encoded (read as integers, one vocabulary for all files), the runs
    found by comparing each token with its neighbours, and the sequences counted by a sort. A window over the
    tokens in DuckDB took 10.6 s at 10⁴ reports (one thread), this 3.8 s (the same counts).

    Returns:
        ``(words, {1: counted, 2: counted, 3: counted})``: the words, then for words, bigrams and trigrams the
        distinct sequences as columns of word numbers (places in ``words``) and each one's count.
    """
    vocabulary: dict[str, int] = {}
    found: dict[int, list[tuple[list[np.ndarray], np.ndarray]]] = {1: [], 2: [], 3: []}
    for path in paths:
        table = pq.read_table(path, columns=["key", "start", "token", "content", "token_kind"],
                              read_dictionary=["key", "token", "token_kind"])
        if not table.num_rows:
            continue
        key, token, kind = (table[c].unify_dictionaries().combine_chunks() for c in ("key", "token", "token_kind"))
        report = key.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        start = table["start"].to_numpy().astype(np.int64)
        content = table["content"].to_numpy(zero_copy_only=False).astype(bool)
        words = token.dictionary.to_pylist()
        ids = np.array([vocabulary.setdefault(w, len(vocabulary)) for w in words], dtype=np.int64)
        word = ids[token.indices.to_numpy(zero_copy_only=False)] if len(words) else np.zeros(len(table), np.int64)
        kinds = kind.dictionary.to_pylist()
        space = kinds.index("space") if "space" in kinds else -1
        current = np.array([k in keys for k in key.dictionary.to_pylist()], dtype=bool)
        keep = (content | (kind.indices.to_numpy(zero_copy_only=False) != space)) & current[report] \
            if len(current) else np.zeros(len(table), dtype=bool)
        report, start, word, content = report[keep], start[keep], word[keep], content[keep]
        step, advance = np.diff(report), np.diff(start)
        if not ((step > 0) | ((step == 0) & (advance > 0))).all():  # as the build writes them: else put in order
            order = np.lexsort((start, report))  # each report's tokens in text order
            report, word, content = report[order], word[order], content[order]

        def before(values: np.ndarray, fill, k: int) -> np.ndarray:  # the value k tokens before, in the same report
            shifted = np.full(len(values), fill, dtype=values.dtype)
            if len(values) > k:
                same = report[k:] == report[:-k]
                shifted[k:] = np.where(same, values[:-k], fill)
            return shifted

        c1, c2 = before(content, False, 1), before(content, False, 2)
        n1 = np.zeros(len(content), dtype=bool)
        if len(content) > 1:
            n1[:-1] = content[1:] & (report[1:] == report[:-1])
        w1, w2 = before(word, -1, 1), before(word, -1, 2)
        found[1].append(_rows_summed([word[content & (c1 | n1)]]))
        two = content & c1
        found[2].append(_rows_summed([w1[two], word[two]]))
        three = two & c2
        found[3].append(_rows_summed([w2[three], w1[three], word[three]]))
    counts: dict[int, _Counted] = {}
    for size, pieces in found.items():  # each file's counts summed
        columns = [np.concatenate([p[0][c] for p in pieces]) if pieces else np.zeros(0, np.int64) for c in range(size)]
        counts[size] = _rows_summed(columns, np.concatenate([p[1] for p in pieces]) if pieces else None)
    memory.release()  # each batch file's arrays, dropped: malloc kept 0.1 GB of them at 2·10⁴ reports
    return list(vocabulary), counts


def _write_parquet(table: pa.Table, schema: pa.Schema, path: Path) -> None:
    """Write ``table`` with ``schema``'s columns and types.

    A dictionary-encoded column of the right value type is written as it is (Parquet dictionary-encodes strings
    anyway), and read back as plain strings.

    Only the strings are dictionary-encoded, the integers (offsets, mostly rising) delta-encoded, and only ``key``
    carries statistics (DuckDB prunes row groups by key): for the tokens table, 0.6× the default's writing time,
    a third of its size, and read back 3× faster.
    """
    fields = []
    for f in schema:
        have = table.schema.field(f.name).type
        keep = pa.types.is_dictionary(have) and have.value_type == f.type
        fields.append(pa.field(f.name, have) if keep else f)
    table = table.select(schema.names).cast(pa.schema(fields))
    strings = [f.name for f in schema if f.type == pa.string()]
    integers = {f.name: "DELTA_BINARY_PACKED" for f in schema if f.type == pa.int64()}
    pq.write_table(table, path, store_schema=False, use_dictionary=strings, column_encoding=integers,
                   write_statistics=["key"])


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def run_batch(jobs: list[Job], settings: Settings, root: str, fingerprints: dict[str, str],
              batch: str) -> list[tuple[str, Reading]]:
    """Process one batch and write its stages into the store (what a worker runs); returns the failures."""
    # a batch allocates millions of small objects and drops them when it ends: the cyclic collector, run every
    # 700 allocations, would walk them again and again for garbage that is not there (≈ 3 % of the step's CPU)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_batch(jobs, settings, root, fingerprints, batch)
    finally:
        if collecting:
            gc.enable()


def _run_batch(jobs: list[Job], settings: Settings, root: str, fingerprints: dict[str, str],
               batch: str) -> list[tuple[str, Reading]]:
    tables, failures = process(jobs, settings)
    failed = {file for file, _ in failures}
    store = Store(root)
    for stage, names in STAGES.items():
        mine = [j for j in jobs if stage in j.stages and j.candidate.file not in failed]
        if not mine:
            continue
        done = [f"{j.key}|{j.given_key}" if stage == "meta" else j.key for j in mine]
        store.write_batch(stage, fingerprints[stage], f"{batch}", {n: tables[n] for n in names if n in tables}, done)
    return failures


def _job_bytes(job: Job) -> int:
    """The size of a job's report as it comes: its file's bytes, or its table cell's UTF-8 bytes (about)."""
    candidate = job.candidate
    if candidate.row is not None:
        return 3 * len(candidate.text or "")
    try:
        return candidate.path.stat().st_size
    except OSError:
        return 0  # the worker's reader names the problem


def _batches(jobs: list[Job], workers: int, size: int | None) -> list[list[Job]]:
    """The jobs cut into batches: ``size`` reports each when given, else by :data:`BATCH_REPORTS` and :data:`BATCH_BYTES`.

    A batch has at most :data:`BATCH_REPORTS` reports and at most :data:`BATCH_BYTES` of files (a report longer
    than that is a batch of its own), and there are at least four batches a worker when the corpus allows, so
    that the last ones end close together (a worker left alone at the end idles the others).
    """
    if not jobs:
        return []
    if size:
        return [jobs[k : k + size] for k in range(0, len(jobs), size)]
    most = max(8, min(BATCH_REPORTS, math.ceil(len(jobs) / (workers * 4))))
    batches: list[list[Job]] = []
    batch: list[Job] = []
    held = 0
    for job in jobs:
        n = _job_bytes(job)
        if batch and (len(batch) >= most or held + n > BATCH_BYTES):
            batches.append(batch)
            batch, held = [], 0
        batch.append(job)
        held += n
    return [*batches, batch]


def _batch_id(jobs: list[Job]) -> str:
    import hashlib

    h = hashlib.sha256()
    for j in jobs:
        h.update(f"{j.key}|{j.given_key}|{','.join(j.stages)}\n".encode())
    return h.hexdigest()[:20]


def _progress(total: int, enabled: bool, desc: str = "building the store", unit: str = "report"):
    if not enabled or not total:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, smoothing=0.1)


def _start_pool(workers: int, settings: Settings):
    """Worker processes, started now and each loading the lexicon, while this process surveys the corpus."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a worker starts clean (no threads or open kernels inherited), as a cluster's workers do;
    # Ctrl-C reaches the whole process group: workers ignore it and the build stops here, between batches
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
    for _ in range(workers):
        pool.submit(check_worker, settings)
    return pool


def _run_processes(batches: list[list[Job]], settings: Settings, root: Path, fingerprints: dict[str, str],
                   workers: int, bar, pool=None) -> list[tuple[str, Reading]]:
    failures: list[tuple[str, Reading]] = []
    if pool is None and (workers <= 1 or len(batches) <= 1):
        for batch in batches:
            failures += run_batch(batch, settings, str(root), fingerprints, _batch_id(batch))
            if bar is not None:
                bar.update(len(batch))
        return failures
    from concurrent.futures import as_completed

    pool = pool or _start_pool(workers, settings)
    try:
        futures = {pool.submit(run_batch, batch, settings, str(root), fingerprints, _batch_id(batch)): len(batch)
                   for batch in batches}
        for future in as_completed(futures):
            failures += future.result()
            if bar is not None:
                bar.update(futures[future])
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return failures


def _run_dask(batches: list[list[Job]], settings: Settings, root: Path, fingerprints: dict[str, str],
              scheduler: str | None, bar) -> list[tuple[str, Reading]]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - distributed is a dependency of the study
        raise StudyError("--engine dask needs the 'distributed' package: pip install distributed") from exc
    if not scheduler:
        raise StudyError("--engine dask needs --scheduler tcp://HOST:8786 (the address of a running Dask scheduler)")
    try:
        client = Client(scheduler)  # waits distributed.comm.timeouts.connect (dask config) for the scheduler
    except OSError as exc:
        raise StudyError(f"no Dask scheduler answers at {scheduler} ({exc}): start one (dask scheduler) and its "
                         "workers (dask worker tcp://HOST:8786), or check the address") from exc
    failures: list[tuple[str, Reading]] = []
    with client:
        client.run(check_worker, settings)  # every worker: lexicon loaded, the check sentence cut right
        futures = [client.submit(run_batch, batch, settings, str(root.resolve()), fingerprints, _batch_id(batch),
                                 pure=False, key=f"study-batch-{_batch_id(batch)}") for batch in batches]
        sizes = {f.key: len(b) for f, b in zip(futures, batches)}
        for future in as_completed(futures):
            failures += future.result()
            if bar is not None:
                bar.update(sizes[future.key])
    return failures


def _readings(store: Store, fingerprints: dict[str, str], keys: Iterable[str]) -> tuple[dict[str, dict], dict[str, dict]]:
    """The light per-report results of the ``text`` and ``meta`` stages: key → row, ``key|given_key`` → row."""
    wanted = list(set(keys))
    light: dict[str, dict] = {}
    inferred: dict[str, dict] = {}
    paths = store.batch_files("texts", fingerprints["text"])
    if paths and wanted:
        table = ds.dataset(paths).to_table(columns=["key", "encoding", "raw_chars", "chars", "text_sha256", "note"],
                                           filter=ds.field("key").isin(wanted))
        light = {row["key"]: row for row in table.to_pylist()}
    paths = store.batch_files("inferred", fingerprints["meta"])
    if paths and wanted:
        table = ds.dataset(paths).to_table(filter=ds.field("key").isin(wanted))
        inferred = {f"{row.pop('key')}|{row.pop('given_key')}": row for row in table.to_pylist()}
    return light, inferred


def build(corpus: Path | str, store: Path | str, table_path: Path | str | None = None, workers: int | None = None,
          engine: str = "processes", scheduler: str | None = None, batch_size: int | None = None,
          progress: bool = False, settings: Settings | None = None) -> BuildResult:
    """Build (or bring up to date) the store of a corpus folder.

    Args:
        corpus: the corpus folder.
        store: the store folder (created; an earlier build's store is reused).
        table_path: the metadata table (default ``corpus/reports.csv`` when it exists).
        workers: worker processes (default: every core; 1 runs in this process).
        engine: ``processes`` (this machine) or ``dask`` (a cluster, with ``scheduler``).
        scheduler: the Dask scheduler's address, ``tcp://HOST:8786``.
        batch_size: reports per batch (default: chosen from the corpus size and the workers).
        progress: progress bars on stderr.
        settings: the per-report step's settings (default: the tokeniser backend of ``STUDY_TOKENISER``).

    Returns:
        The :class:`BuildResult`.

    Raises:
        StudyError: an unknown engine, a corpus or store folder that cannot be used, an unreachable scheduler.
    """
    if engine not in ENGINES:
        raise StudyError(f"--engine {engine!r}: use one of {', '.join(ENGINES)}")
    if engine == "dask" and not scheduler:
        raise StudyError("--engine dask needs --scheduler tcp://HOST:8786 (the address of a running Dask scheduler)")
    started = time.perf_counter()
    settings = settings or Settings()
    workers = workers or os.cpu_count() or 1
    opened = Store(store).open()
    lock = opened.root / ".building"
    try:
        lock.mkdir()
    except FileExistsError:
        raise StoreError(f"{relative(opened.root)}: another build is running here (or one was killed: if none is "
                         f"running, delete {relative(lock)})") from None
    pool = None
    try:
        for stale in opened.root.glob("*/*/.tmp-*"):  # batches of a build that was killed while writing them
            shutil.rmtree(stale, ignore_errors=True)
        fingerprints = settings.fingerprints()
        corpus_survey = survey(corpus, table_path)  # before reading: a file changed during the build shows next time
        unchanged = _unchanged(opened, corpus, table_path, fingerprints, corpus_survey)
        if unchanged is not None:
            unchanged.seconds = time.perf_counter() - started
            return unchanged
        done = {stage: opened.done(stage, fp) for stage, fp in fingerprints.items()}
        if engine == "processes" and workers > 1 and not done["text"]:  # a first build: start the workers now
            pool = _start_pool(workers, settings)
        plan = plan_corpus(corpus, table_path)
        jobs, keys, given_keys, seen = [], {}, {}, set()
        wanted_genre: dict[str, tuple[str, str]] = {}  # key → (file, genre given) for reports built before
        hashing = _progress(len(plan.order), progress, "hashing the files", "file")
        for candidate in plan.order:
            if hashing is not None:
                hashing.update()
            try:
                key = candidate_sha256(candidate)
            except OSError:
                key = ""  # the worker's reader names the problem
            keys[candidate.file] = key
            if key and key in seen:
                continue  # the same bytes as a candidate before it: decided a duplicate, never read
            seen.add(key)
            given, title = plan.given_for(candidate)
            if given.get("genre") and key in done["text"]:
                wanted_genre[key] = (candidate.file, given["genre"])
            gk = given_keys[candidate.file] = given_key(given, title)
            stages = tuple(s for s in STAGES if not key or (f"{key}|{gk}" if s == "meta" else key) not in done[s])
            if stages:
                jobs.append(Job(candidate, key, given, title, gk, stages))
        if hashing is not None:
            hashing.close()
        _check_genres(opened, fingerprints["text"], wanted_genre)
        bar = _progress(len(jobs), progress)
        batches = _batches(jobs, workers, batch_size)
        if engine == "dask":
            failures = _run_dask(batches, settings, opened.root, fingerprints, scheduler, bar)
        else:
            failures = _run_processes(batches, settings, opened.root, fingerprints, workers, bar, pool)
            pool = None  # shut down by _run_processes
        if bar is not None:
            bar.close()
        failed = dict(failures)
        computed = {j.key for j in jobs if j.candidate.file not in failed}
        result = _decide(plan, opened, fingerprints, keys, given_keys, failed, computed)
        result.processed = {s: sum(1 for j in jobs if s in j.stages and j.candidate.file not in failed) for s in STAGES}
        result.seconds = time.perf_counter() - started
        _write_current(opened, plan, fingerprints, result, settings, corpus_survey)
        return result
    finally:
        if pool is not None:  # started, then not used (an error, or nothing to compute)
            pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(lock, ignore_errors=True)


def _check_genres(store: Store, fingerprint: str, wanted: dict[str, tuple[str, str]]) -> None:
    """Refuse a build whose metadata gives a report another genre than the one its stored parts were read as.

    A report's stored rows are keyed by its bytes alone, so they cannot hold two readings of it.

    Raises:
        StoreError: naming the files and what to do.
    """
    paths = store.batch_files("texts", fingerprint)
    if not wanted or not paths:
        return
    table = ds.dataset(paths).to_table(columns=["key", "genre"], filter=ds.field("key").isin(list(wanted)))
    changed = [f"{wanted[k][0]} (stored as {g}, now given {wanted[k][1]})"
               for k, g in zip(table.column("key").to_pylist(), table.column("genre").to_pylist())
               if g != wanted[k][1]]
    if changed:
        raise StoreError(f"{relative(store.root)}: the genre of {len(changed)} report(s) changed since they were read: "
                         + "; ".join(sorted(changed)) + ". Build into a new store folder (or delete this one) "
                         "to read them with their new genre's profile")


def _stale(record: dict, corpus: Path, table_path: Path | str | None, fingerprints: dict[str, str],
           corpus_survey: str) -> str:
    """Why the build ``record`` is not that of ``corpus`` as it is now (``""``: it is).

    The one judgement of :meth:`Store.check` and of a warm build, which reuses the record when it is current.
    """
    if record.get("corpus") != str(corpus):
        return f"it was built from {record.get('corpus')}, not from {corpus}"
    if record.get("metadata_table", "") != _table_used(corpus, table_path):
        return f"it was built with the metadata table {record.get('metadata_table') or '(none)'}"
    if record.get("fingerprints") != fingerprints:
        changed = [s for s, fp in fingerprints.items() if record.get("fingerprints", {}).get(s) != fp]
        return f"the code or data of stage(s) {', '.join(changed)} changed since it was built"
    if record.get("survey") != corpus_survey:
        return "the corpus folder changed since it was built"
    return ""


def _unchanged(store: Store, corpus: Path | str, table_path: Path | str | None, fingerprints: dict[str, str],
               corpus_survey: str) -> BuildResult | None:
    """The last build's result when nothing it depends on changed, else ``None``.

    Nothing changed when the corpus folder lists the same files with the same sizes and modification times
    (:func:`survey`, as ``make`` and ``rsync`` judge), the metadata table is the same file, unchanged, and the
    code, lexicon, codebooks and tokeniser have the same fingerprints: then no report is read or hashed again.
    """
    path = store.root / "current" / "build.json"
    if not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if (_stale(record, Path(corpus).resolve(), table_path, fingerprints, corpus_survey) or "chars" not in record
            or not all(store.batch_files(STAGES[stage][0], fp) for stage, fp in fingerprints.items())):
        return None
    current = store.root / "current"
    return BuildResult(store, pd.read_parquet(current / "files.parquet"), pd.read_parquet(current / "reports.parquet"),
                       record["metadata_source"], processed={stage: 0 for stage in STAGES},
                       reports=record["reports"], chars=record["chars"])


def _decide(plan, store: Store, fingerprints: dict[str, str], keys: dict[str, str], given_keys: dict[str, str],
            failed: dict[str, Reading], computed: set[str]) -> BuildResult:
    decisions = Decisions(plan)
    light, inferred = _readings(store, fingerprints, [k for k in keys.values() if k])
    first_failure: dict[str, Reading] = {}
    chars = computed_chars = 0
    for candidate in plan.order:
        key = keys[candidate.file]
        if candidate.file in failed:
            reading = failed[candidate.file]
            if key:
                first_failure[key] = reading
        elif key in first_failure:  # the same bytes as an unreadable file: unreadable too, for the same reason
            reading = first_failure[key]
        elif key in light:
            row = light[key]
            gk = given_keys.get(candidate.file) or given_key(*plan.given_for(candidate))
            inferred_row = inferred.get(f"{key}|{gk}")
            if inferred_row is None:  # the same bytes given other metadata: decided a duplicate before it matters
                inferred_row = {}
            reading = Reading(key, text_sha256=row["text_sha256"], note=row["note"], inferred=inferred_row,
                              encoding=row["encoding"], raw_chars=row["raw_chars"], chars=row["chars"])
        else:  # pragma: no cover - every key was processed or failed above
            raise StoreError(f"{candidate.file}: no result in the store after the build: run the build again")
        if decisions.decide(candidate, reading) is not None:
            chars += reading.raw_chars
            computed_chars += reading.raw_chars if key in computed else 0
    metadata = decisions.metadata()
    return BuildResult(store, decisions.files(), metadata, decisions.source(),
                       reports=len(metadata), chars=chars, computed_chars=computed_chars)


def _write_current(store: Store, plan, fingerprints: dict[str, str], result: BuildResult, settings: Settings,
                   result_survey: str) -> None:
    tmp = store.root / ".current.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    result.metadata.to_parquet(tmp / "reports.parquet", index=False)
    result.files.to_parquet(tmp / "files.parquet", index=False)
    record = {"corpus": str(Path(plan.corpus).resolve()), "metadata_table": _table_used(plan.corpus, plan.table_path),
              "metadata_source": result.metadata_source, "survey": result_survey,
              "fingerprints": fingerprints, "versions": settings.versions(), "backend": settings.backend,
              "reports": result.reports,
              "chars": result.chars, "files": len(result.files)}
    (tmp / "build.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    old = store.root / ".current.old"
    shutil.rmtree(old, ignore_errors=True)
    if (store.root / "current").exists():
        (store.root / "current").rename(old)
    tmp.rename(store.root / "current")
    shutil.rmtree(old, ignore_errors=True)


__all__ = ["ENGINES", "BuildResult", "Store", "StoreError", "build", "run_batch"]
