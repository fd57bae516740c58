"""The per-report step: read → normalise → segment → infer metadata → tokenise → code items → extract claims.

Everything here is a pure function of a report's bytes (or a table cell's text), the metadata already known
for it, and the versions of the code, lexicon and codebooks. Its results are split into **stages**, each with
its own fingerprint, so that a change recomputes what depends on it and nothing else:

=========  ==========================================  =====================================================
stage      tables                                      fingerprint covers
=========  ==========================================  =====================================================
text       ``texts`` (one row per report), ``parts``,  the reader, normaliser and segmenter's code and
           ``items``, ``rawmap``                       the genre profiles (``data/profiles``)
meta       ``inferred`` (metadata read from the text)  text + the metadata inference and gazetteer code
lexicon    ``tokens``, ``item_tokens``, ``terms``,     text + the lexicon files, the document aliases, the
           ``claims``, ``citations``                   tokeniser backend and the tokeniser/claims code
codebook   ``coded``, ``evidence``,                    text + the codebook files and the coders' code
           ``instruments``, ``instrument_evidence``
=========  ==========================================  =====================================================

Rows carry ``key`` (the report's sha256), never a report id: ids belong to the corpus's metadata, which may
change without the report changing. :mod:`helpers.store` writes the tables and joins the ids back in.
A worker — a local process or a Dask worker on another machine — loads the lexicon and codebooks once and
checks a known sentence's tokens before its first report (:func:`check_worker`): a dictionary that silently
failed to load would otherwise give plausible, wrong tokens.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers import citations, indicators, instruments, structure, themes
from helpers.corpus import Report
from helpers.errors import StudyError
from helpers.intake import Candidate, Reading, read_candidate
from helpers.lexicon import default_lexicon
from helpers.metadata import INFERABLE
from helpers.paths import CODEBOOK, LEXICON
from helpers.profiles import PROFILES
from helpers.tokenise import Tokeniser, default_backend, item_token_arrays, term_count_arrays, token_arrays

#: The stages in the order they are computed; each stage's tables.
STAGES: dict[str, tuple[str, ...]] = {
    "text": ("texts", "parts", "items", "rawmap"),
    "meta": ("inferred",),
    "lexicon": ("tokens", "item_tokens", "terms", "claims", "citations"),
    "codebook": ("coded", "evidence", "instruments", "instrument_evidence"),
}
#: The source modules each stage's results depend on (besides the stages before it).
_CODE = {
    "text": ("read.py", "normalise.py", "furniture.py", "profiles.py", "numerals.py", "segment.py", "corpus.py",
             "structure.py", "pipeline.py", "frames.py", "schemas.py"),
    "meta": ("metadata.py", "places.py", "regions.py", "schemas.py"),
    "lexicon": ("tokenise.py", "lexicon.py", "indicators.py", "citations.py", "frames.py", "schemas.py"),
    "codebook": ("themes.py", "instruments.py", "spans.py", "frames.py", "schemas.py"),
}
#: A sentence whose tokens every worker must reproduce before it starts (lexicon terms kept whole).
CHECK_SENTENCE = "严格落实“双随机、一公开”要求，全年调解矛盾纠纷120件。"
CHECK_TOKENS = ("严格", "落实", "“", "双随机、一公开", "”", "要求", "，", "全年", "调解", "矛盾纠纷", "120", "件", "。")


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def _gazetteer_digest() -> str:
    from helpers.places import gazetteer_file

    return _digest(gazetteer_file().read_bytes())


def _code(stage: str) -> list[bytes]:
    here = Path(__file__).parent
    return [(here / name).read_bytes() for name in _CODE[stage]]


@dataclass(frozen=True)
class Settings:
    """What the per-report step depends on besides the report: the tokeniser backend (and the files read)."""

    backend: str = field(default_factory=default_backend)

    def fingerprints(self) -> dict[str, str]:
        """Stage → fingerprint (16 hex digits) of everything its results depend on."""
        text = _digest("text", *_code("text"), *(p.read_bytes() for p in sorted(PROFILES.glob("*.yaml"))))
        lexicon = default_lexicon()
        aliases = (LEXICON / "document_aliases.csv").read_bytes()
        books = [p.read_bytes() for p in sorted(CODEBOOK.glob("*.yaml"))]
        gazetteer = _gazetteer_digest()
        return {
            "text": text,
            "meta": _digest("meta", text, gazetteer, *_code("meta")),
            "lexicon": _digest("lexicon", text, lexicon.fingerprint, aliases, self.backend, *_code("lexicon")),
            "codebook": _digest("codebook", text, *books, *_code("codebook")),
        }

    def versions(self) -> dict[str, str]:
        """The versions people cite: the lexicon's (``data/lexicon/VERSION``) and the three codebooks'."""
        themes_book, causes_book = _codebooks()
        return {"lexicon": default_lexicon().version, "themes": themes_book.version, "causes": causes_book.version,
                "instruments": _instrument_book().version}


@dataclass
class Job:
    """One report to process: the candidate, its key, what is known of it, and the stages still to compute."""

    candidate: Candidate
    key: str
    given: dict[str, str]
    title: str
    given_key: str
    stages: tuple[str, ...]


def given_key(given: dict[str, str], title: str) -> str:
    """The fingerprint of what inference is given (the known metadata and a table's title)."""
    return _digest(title, *(f"{k}={given.get(k, '')}" for k in INFERABLE))


@lru_cache(maxsize=2)
def _tokeniser(backend: str) -> Tokeniser:
    return Tokeniser(backend=backend, cache_dir=False)


@lru_cache(maxsize=1)
def _codebooks() -> tuple[themes.Codebook, themes.Codebook]:
    return themes.default_codebooks()


@lru_cache(maxsize=1)
def _instrument_book() -> themes.Codebook:
    return instruments.load_instruments()


def check_worker(settings: Settings) -> str:
    """Load the lexicon and codebooks once and check the tokens of :data:`CHECK_SENTENCE`.

    Returns:
        ``"ok"`` (what a Dask worker's ``client.run`` shows).

    Raises:
        StudyError: the tokens differ: the lexicon did not load on this worker.
    """
    tokens = tuple(_tokeniser(settings.backend).lcut(CHECK_SENTENCE))
    if tokens != CHECK_TOKENS:
        raise StudyError(f"this worker's tokeniser ({settings.backend}) cuts the check sentence as {'/'.join(tokens)}, "
                         f"not {'/'.join(CHECK_TOKENS)}: the lexicon did not load; install the study's package on "
                         "every worker (pip install -e .) and check that data/lexicon is readable there")
    _codebooks()
    _instrument_book()
    return "ok"


def _keyed(table: pd.DataFrame) -> pd.DataFrame:
    """A table of the study's helpers with ``report_id`` (which holds the key here) renamed ``key``."""
    return table.rename(columns={"report_id": "key"})


def _of(items: pd.DataFrame, reports: list[Report], made_for: int) -> pd.DataFrame:
    """The rows of ``items`` (made for ``made_for`` reports) that belong to ``reports`` (each report's rows in order)."""
    if len(reports) == made_for:
        return items
    return items[items["report_id"].isin({r.report_id for r in reports})].reset_index(drop=True)


def _rawmap(runs: list[tuple[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]) -> pa.Table:
    """The ``rawmap`` table: each report's :meth:`~helpers.normalise.NormalisedText.runs`, a row per run."""
    lengths = [len(r[0]) for _, r in runs]
    return pa.table({"key": pa.array(np.repeat([key for key, _ in runs], lengths).tolist(), type=pa.string()),
                     **{name: np.concatenate([r[i] for _, r in runs]) if runs else np.zeros(0, dtype=np.int64)
                        for i, name in enumerate(("start", "raw_start", "raw_end"))}})


def process(jobs: list[Job], settings: Settings) -> tuple[dict[str, pd.DataFrame | pa.Table], list[tuple[str, Reading]]]:
    """Run the per-report step over a batch of jobs.

    Returns:
        ``(tables, failures)``: table name → rows for every stage some job asked for (each job's own stages
        only), and ``(file, Reading)`` for the candidates that are not readable as reports (not stored: they are
        read again on the next run, and say why each time).
    """
    check_worker(settings)
    rows: dict[str, list] = {"texts": [], "inferred": [], "rawmap": []}
    reports: dict[str, list[Report]] = {stage: [] for stage in STAGES}
    failures = []
    for job in jobs:
        reading, report = read_candidate(job.candidate, job.given, job.title, infer="meta" in job.stages)
        if report is None:
            failures.append((job.candidate.file, reading))
            continue
        report = dataclasses.replace(report, report_id=job.key)  # rows are keyed by the report's sha256
        if "text" in job.stages:
            rows["texts"].append({"key": job.key, "format": report.raw.format, "encoding": reading.encoding,
                                  "raw_chars": reading.raw_chars, "chars": reading.chars,
                                  "text_sha256": reading.text_sha256, "note": reading.note, "genre": report.genre,
                                  "genre_evidence": report.genre_evidence, "furniture_lines": report.furniture_lines,
                                  "text": report.text})
            rows["rawmap"].append((job.key, report.normalised.runs()))
        if "meta" in job.stages:
            rows["inferred"].append({"key": job.key, "given_key": job.given_key, **(reading.inferred or {})})
        for stage in job.stages:
            reports[stage].append(report)
    tables: dict[str, pd.DataFrame] = {}
    # the items of every report that needs them, made once (the text stage stores them, the coder codes them)
    needed = {r.report_id: r for stage in ("text", "codebook") for r in reports[stage]}
    items = structure.items_table(list(needed.values())) if needed else None
    if reports["text"]:
        tables["texts"] = pd.DataFrame(rows["texts"])
        tables["parts"] = _keyed(structure.parts_table(reports["text"]))
        tables["items"] = _keyed(_of(items, reports["text"], len(needed)))
        tables["rawmap"] = _rawmap(rows["rawmap"])
    if reports["meta"]:
        tables["inferred"] = pd.DataFrame(rows["inferred"]).astype(str)
    if reports["lexicon"]:
        tokeniser = _tokeniser(settings.backend)
        tokens = token_arrays(reports["lexicon"], tokeniser)  # arrow: 10⁵ rows a batch
        tables["tokens"] = tokens.rename_columns(["key" if c == "report_id" else c for c in tokens.column_names])
        item_tokens = item_token_arrays(tokens)
        tables["item_tokens"] = item_tokens.rename_columns(["key", *item_tokens.column_names[1:]])
        terms = term_count_arrays(tokens)
        tables["terms"] = terms.rename_columns(["key", *terms.column_names[1:]])
        tables["claims"] = _keyed(indicators.claims_table(reports["lexicon"], lexicon=tokeniser.lexicon).drop(columns="themes"))
        tables["citations"] = _keyed(citations.cited_documents(reports["lexicon"]))
    if reports["codebook"]:
        batch = _of(items, reports["codebook"], len(needed))
        coded, evidence = themes.code_items(batch, *_codebooks())
        tables["coded"], tables["evidence"] = _keyed(coded), _keyed(evidence)
        coded, evidence = instruments.code_instruments(batch, _instrument_book())
        tables["instruments"], tables["instrument_evidence"] = _keyed(coded), _keyed(evidence)
    return tables, failures


__all__ = ["CHECK_SENTENCE", "STAGES", "Job", "Settings", "check_worker", "given_key", "process"]
