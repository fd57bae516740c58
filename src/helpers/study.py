"""Run the whole study on a folder of reports: ``python -m helpers study --corpus DIR --out DIR``.

What a run promises the person who starts it:

* **Every file is accounted for.** Each file of the corpus folder is analysed, listed as a duplicate, or
  skipped with the reason and the fix (:mod:`helpers.intake`); the list is printed at the end and written to
  ``OUT/files.csv``.
* **Nothing of theirs is touched.** Nothing is written into the corpus folder; the output folder must be new,
  empty or an earlier run's output (the study refuses a folder holding files it did not write, such as a
  corpus). A ``reports.csv`` the user keeps in ``OUT`` is read, never written. Metadata the study inferred go
  into a draft, ``OUT/reports.draft.csv`` (UTF-8 with BOM, for Excel) — or, when the user has edited that
  draft, into ``reports.draft-2.csv`` beside it, so no edit is lost.
* **A result is complete or absent.** The run builds in ``OUT/.study-partial/`` (marked ``INCOMPLETE``) and
  replaces the previous result (``site/``, ``figures/``, ``notebooks/``, ``processed/``, ``files.csv``) only
  when everything has been built; an interrupted or failed run leaves the previous result as it was, so figures
  of an earlier corpus are never published with a new one.

Exit codes of :func:`main_study`: 0 the site was built (some files may have been skipped: they are listed);
1 nothing could be built (a message names the file or folder and what to do); 130 interrupted (the previous
result is intact). ``python -m helpers`` exits 2 on a wrong command line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.errors import StudyError
from helpers.intake import OUTPUT_MARKER, Intake, skipped_summary
from helpers.metadata import write_draft
from helpers.paths import NOTEBOOKS

#: What a run writes into OUT and replaces as a whole.
RESULTS = ("site", "figures", "notebooks", "processed", "files.csv")
PARTIAL = ".study-partial"
_PREVIOUS = ".study-previous"
_CACHE = ".cache"
DRAFT = "reports.draft.csv"
#: Files a user may keep in OUT besides what the study writes there.
_USER_FILES = ("reports.csv",)


class StudyInterrupted(StudyError):
    """The run was interrupted; the previous result in OUT is intact."""


class NotebookFailed(StudyError):
    """A notebook cell failed on this corpus; the previous result in OUT is intact."""


@dataclass(frozen=True)
class StudyResult:
    """What a run built: the site's index page, the corpus intake, and the draft metadata table (if any)."""

    index: Path
    intake: Intake
    draft: Path | None
    metadata_used: Path | None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(out: Path) -> dict:
    try:
        return json.loads((out / OUTPUT_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def check_folders(corpus: Path, out: Path) -> None:
    """Refuse output folders that would overwrite or pollute the user's files.

    Raises:
        StudyError: naming the folder and what to do.
    """
    if not corpus.is_dir():
        what = "is a file, not a folder" if corpus.exists() else "no such folder"
        raise StudyError(f"{corpus}: {what} — give the folder that holds your reports")
    if out == corpus or corpus in out.parents:
        raise StudyError(f"{out}: the output folder must not be inside the corpus folder (the next run would read "
                         "the study's own pages as reports); choose a folder outside it")
    if out in corpus.parents:
        raise StudyError(f"{out}: the output folder must not hold the corpus; choose another folder")
    if out.exists() and not out.is_dir():
        raise StudyError(f"{out}: is a file, not a folder — choose a new or empty folder for the results")
    if out.is_dir():
        ours = set(RESULTS) | {PARTIAL, _PREVIOUS, _CACHE, OUTPUT_MARKER, *_USER_FILES}
        foreign = sorted(p.name for p in out.iterdir()
                         if p.name not in ours and not (p.name.startswith("reports.draft") and p.suffix == ".csv"))
        if foreign:
            shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
            raise StudyError(f"{out}: holds files the study did not write ({shown}); choose a new or empty folder "
                             "for the results (the study replaces its own results there and nothing else)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".study-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StudyError(f"{out}: cannot write there ({exc.strerror or exc}) — choose a folder you can write to") from None


def metadata_table(corpus: Path, out: Path, metadata: Path | None, say=print) -> Path | None:
    """The metadata table to use, and why (said through ``say``).

    In this order: ``metadata`` if given; ``corpus/reports.csv``; ``OUT/reports.csv`` (refused when ``OUT`` holds
    the result of another corpus: that table lists another corpus's files); the draft ``OUT/reports.draft.csv``
    when the user has edited it since the study wrote it (so an edit is never silently ignored).
    """
    if metadata is not None:
        if not metadata.is_file():
            raise StudyError(f"{metadata}: no such metadata table — give the path of your reports.csv")
        return metadata
    if (corpus / "reports.csv").is_file():
        return corpus / "reports.csv"
    manifest = _manifest(out)
    other = manifest.get("corpus") and manifest["corpus"] != str(corpus)
    if (out / "reports.csv").is_file():
        if other:
            raise StudyError(f"{out / 'reports.csv'}: this output folder holds the result and metadata of another corpus "
                             f"({manifest['corpus']}) — choose another --out for {corpus}, or pass --metadata "
                             f"{out / 'reports.csv'} to use that table anyway")
        return out / "reports.csv"
    draft = out / DRAFT
    if draft.is_file() and not other and manifest.get("draft_sha256") not in ("", None, _sha256(draft)):
        say(f"metadata: using your edited draft {draft} (save it as {out / 'reports.csv'} to keep it as the table)")
        return draft
    if other:
        say(f"note: {out} holds the result of another corpus ({manifest['corpus']}); it will be replaced")
    return None


def _draft_path(out: Path) -> Path:
    """Where this run's draft goes: ``reports.draft.csv`` unless the user edited it; then the next free name."""
    target = out / DRAFT
    if not target.exists() or _manifest(out).get("draft_sha256") == _sha256(target):
        return target
    k = 2
    while (out / f"reports.draft-{k}.csv").exists():
        k += 1
    return out / f"reports.draft-{k}.csv"


@contextlib.contextmanager
def _signals_deferred():
    """Hold SIGINT and SIGTERM while the result is swapped in (a few renames), so a swap is never half done."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on POSIX
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _swap_in(build: Path, out: Path, manifest: dict) -> None:
    previous = out / _PREVIOUS
    shutil.rmtree(previous, ignore_errors=True)
    with _signals_deferred():
        previous.mkdir()
        for name in RESULTS:
            if (out / name).exists():
                (out / name).rename(previous / name)
        for name in RESULTS:
            if (build / name).exists():
                (build / name).rename(out / name)
        (out / OUTPUT_MARKER).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(build, ignore_errors=True)


#: The notebooks' kernels: quiet, and keeping no cell's result in ``Out``/``_`` (IPython keeps the last 1 000 by
#: default: every table a notebook shows, its 3.8·10⁵ claims among them, lived as long as the kernel — 0.09 GB of
#: notebook 04's largest process at 2·10⁴ reports). The output shown is the same.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR", "--InteractiveShell.cache_size=0")


def _execute_one(executed: str, parameters: dict, cwd: str, site: str, nav: str,
                 environment: dict[str, str]) -> tuple[str, str] | None:
    """Execute one notebook in place and render its page into ``site``.

    Runs in a worker process, so that pages are rendered while other notebooks run; returns ``(error name,
    message)`` if a cell failed. ``environment`` is set in the worker (and so in the kernels it starts), never in
    the process that runs the study: where this run writes its figures and tables.
    """
    os.environ.update(environment)
    os.environ.pop("MPLBACKEND", None)  # inline figures need the notebook backend
    import papermill

    from helpers.site import write_page

    try:
        # written once at the end (or at the failing cell), not after every cell: a notebook with 10⁴ reports' figures
        # takes a while to write, forty times over
        papermill.execute_notebook(executed, executed, parameters=parameters, progress_bar=False, kernel_name="python3",
                                   cwd=cwd, log_output=False, request_save_on_cell_execute=False,
                                   extra_arguments=list(KERNEL_ARGUMENTS))
    except papermill.PapermillExecutionError as exc:
        return exc.ename, exc.evalue
    write_page(Path(executed), Path(site), nav)
    return None


def _write_explorer(corpus: str, table: str | None, store: str, genre: str, site: str, nav: str,
                    environment: dict[str, str]) -> None:
    """Write the items explorer of a study into ``site`` (in a worker process, beside the notebooks)."""
    os.environ.update(environment)
    from helpers.context import load_study
    from helpers.explore import write_explorer

    write_explorer(load_study(corpus, table, store, genre), Path(site), nav)


#: Seconds each notebook's cells took in a study of 10 000 synthetic reports (two at a time on two cores), for
#: ordering the notebooks of a first run; a notebook not listed counts as the median of these.
_SECONDS_AT_SCALE = {"01_corpus": 8.0, "02_vocabulary": 57.0, "03_themes": 16.0, "04_measures_vs_shortcomings": 21.0,
                     "05_beyond": 68.0}
#: The items explorer's, measured the same way.
_EXPLORER_SECONDS = 25.0


def _expected_seconds(sources: Sequence[Path], previous: Path | None) -> dict[Path | None, float]:
    """How long each notebook is expected to run, in seconds.

    Its time in this output's last run (``previous``: the folder of that run's executed notebooks, where papermill
    recorded it), else :data:`_SECONDS_AT_SCALE`.
    """
    default = statistics.median(_SECONDS_AT_SCALE.values())
    expected: dict[Path | None, float] = {}
    for source in sources:
        seconds = _SECONDS_AT_SCALE.get(source.stem, default)
        try:
            if previous is not None:
                recorded = json.loads((previous / source.name).read_text(encoding="utf-8"))["metadata"]["papermill"]
                seconds = float(recorded["duration"])
        except (TypeError, OSError, ValueError, KeyError):  # no earlier run (or not one papermill finished)
            pass
        expected[source] = seconds
    return expected


def _execute_notebooks(sources: list[Path], target: Path, parameters: dict, note: str, progress: bool, site: Path,
                       environment: dict[str, str], workers: int | None = None,
                       explorer: tuple[str, str | None, str, str, str] | None = None,
                       previous: Path | None = None) -> None:
    """Execute copies of the notebooks in ``target`` and render their pages into ``site``.

    As many run at a time as there are cores (they only read the store, and each writes its own figures and
    tables), with a progress bar over notebooks. The longest start first (:func:`_expected_seconds`: a long one
    started last would leave a core idle at the end). ``explorer``, the arguments of :func:`_write_explorer` but the
    nav, is written in the same pool, in its turn by the same measure. ``previous``: the folder of the executed
    notebooks of this output's last run, if any (how long each took).
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    import nbformat
    from tqdm import tqdm

    from helpers.site import site_nav

    target.mkdir(parents=True, exist_ok=True)
    expected = _expected_seconds(sources, previous)
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"> **{note}**"))
        nbformat.write(nb, target / source.name)
    from helpers.explore import ITEMS_LINK

    nav = site_nav([target / source.name for source in sources], [ITEMS_LINK])
    workers = max(1, min(workers or os.cpu_count() or 1, len(sources)))
    # a notebook a core: each kernel's thread pools (BLAS, Arrow, DuckDB) sized to its share of the cores, not to
    # all of them (two kernels' pools each as large as the machine contend, and BLAS's spin while they wait)
    share = str(max(1, (os.cpu_count() or 1) // workers))
    environment = {**environment, "OMP_NUM_THREADS": share, "OPENBLAS_NUM_THREADS": share, "MKL_NUM_THREADS": share,
                   "STUDY_DUCKDB_THREADS": share}
    bar = tqdm(total=len(sources), desc="running the notebooks", unit="notebook", disable=not progress,
               file=sys.stderr, smoothing=0)
    # spawn, not fork: this process holds DuckDB's and Arrow's threads
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs: list[Path | None] = [*sources, None] if explorer is not None else list(sources)  # None: the explorer
        running: dict = {}
        for job in sorted(jobs, key=lambda job: -expected.get(job, _EXPLORER_SECONDS)):
            if job is None and explorer is not None:
                running[pool.submit(_write_explorer, *explorer, nav, environment)] = None
            elif job is not None:
                running[pool.submit(_execute_one, str(target / job.name), parameters, str(target), str(site), nav,
                                    environment)] = job
        try:
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: running[f].name if running[f] else ""):
                    source = running.pop(future)
                    failed = future.result()  # the explorer's errors are raised here
                    if source is None:
                        continue
                    if failed is not None:
                        name, message = failed
                        if name == "StoreError":  # the store changed under the run (code or corpus edited)
                            raise NotebookFailed(f"{source.name}: {message} — then run the study again")
                        raise NotebookFailed(f"{source.name}: a cell failed on this corpus ({name}: {message}) — please "
                                             f"report it with the notebook {target / source.name} (it shows the cell)")
                    bar.set_postfix_str(f"{source.name} done", refresh=False)
                    bar.update()
        except BaseException:
            # the executor cancels what has not started itself: cancelling a future here races its management
            # thread, which (Python 3.11) then fails to mark a cancelled future broken and prints a traceback
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            bar.close()


def _genres(store: Path) -> dict[str, int]:
    """The genres of a built store's current reports and how many of each, most reports first."""
    from helpers.store import Store

    counts = Store(store).table("texts", columns=["genre"])["genre"].value_counts()
    return {str(g): int(c) for g, c in sorted(counts.items(), key=lambda gc: (-gc[1], gc[0]))}


def _genre_name(genre: str) -> str:
    """How pages name a genre (its profile's name; ``unknown``: reports of no recognised genre)."""
    from helpers.profiles import UNKNOWN, profile_for

    return "unrecognised-genre" if genre == UNKNOWN else profile_for(genre).name


def run_study(corpus: Path, out: Path, notebooks: Path = NOTEBOOKS, progress: bool = True,
              metadata: Path | None = None) -> StudyResult:
    """Run every notebook on ``corpus`` and render the site into ``out`` (see the module docstring).

    Args:
        corpus: the folder of reports (files, or tables of reports with a text column).
        out: the output folder (new, empty, or an earlier run's).
        notebooks: the study's notebooks (default: the repository's own; they are copied, never changed).
        progress: progress bars and step lines on stderr.
        metadata: a metadata table to use instead of ``corpus/reports.csv`` / ``OUT/reports.csv``.

    Raises:
        StudyError: a message naming the file or folder and what to do; nothing in ``out`` was replaced.
        StudyInterrupted: on Ctrl-C; nothing in ``out`` was replaced.
    """
    corpus, out = Path(corpus).resolve(), Path(out).resolve()
    created = not out.exists()
    check_folders(corpus, out)
    build = out / PARTIAL
    try:
        table = metadata_table(corpus, out, Path(metadata).resolve() if metadata else None,
                               say=(lambda line: print(line, file=sys.stderr)) if progress else (lambda line: None))
        from helpers.store import build as build_store

        built = build_store(corpus, out / _CACHE / "store", table, progress=progress)
        intake = built.intake
        if intake.metadata.empty:
            raise StudyError(f"{corpus}: no readable report in this folder (.txt, .docx, .pdf, .html, or a table "
                             "of reports with a text column)\n" + (skipped_summary(intake.files) or "  it holds no file"))
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir()
        (build / "INCOMPLETE").write_text("This folder is a study run that did not finish; it is not a result.\n",
                                          encoding="utf-8")
        intake.files.to_csv(build / "files.csv", index=False, lineterminator="\n", encoding="utf-8-sig")
        sources = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
        n = f"{len(intake.metadata)} report" + ("s" if len(intake.metadata) != 1 else "")
        use = None if table is None or table == corpus / "reports.csv" else str(table)
        genres = _genres(out / _CACHE / "store")
        from helpers.explore import ITEMS_LINK
        from helpers.site import build_site, genre_index

        for genre, count in genres.items():
            # one genre: the site as always; several: one study per genre, in <genre>/ folders, and an index of them
            sub = Path(genre) if len(genres) > 1 else Path()
            if len(genres) > 1:
                where = (f"the {count} {_genre_name(genre)} report{'s' if count != 1 else ''} of the corpus in {corpus} "
                         f"({n})")
            else:  # say the genre: a reader of 政府工作报告 pages should not think they read 法治 reports
                where = f"the corpus in {corpus} ({n}, read as {_genre_name(genre)} reports)"
            note = (f"This copy was run on {where}: its findings, tables and charts are computed from this corpus "
                    "(prose marked 'on the bundled corpus' describes the study's own five reports).")
            environment = {"STUDY_FIGURES": str(build / "figures" / sub), "STUDY_PROCESSED": str(build / "processed" / sub),
                           "STUDY_CACHE": str(out / _CACHE)}  # read by helpers.paths in the notebooks' kernels
            parameters = {"corpus_dir": str(corpus), "metadata_csv": use, "genre": genre if len(genres) > 1 else None}
            with _kernels_quiet(build / "kernels.log"):
                _execute_notebooks(sources, build / "notebooks" / sub, parameters, note, progress, build / "site" / sub,
                                   environment, explorer=(str(corpus), str(table) if table else None,
                                                          str(out / _CACHE / "store"), genre, str(build / "site" / sub)),
                                   previous=out / "notebooks" / sub)
            build_site(sorted((build / "notebooks" / sub).glob("*.ipynb")), build / "site" / sub, build / "figures" / sub,
                       note=f"Run on {corpus.name} ({n})" + (f": its {_genre_name(genre)} reports ({count})." if sub.name
                                                              else "."),
                       findings=False, pages_written=True, extra_links=[ITEMS_LINK])
        if len(genres) > 1:
            genre_index(build / "site", [(g, _genre_name(g), c) for g, c in genres.items()], note=f"Run on {corpus.name} ({n}).")
        draft = _draft_path(out) if intake.needs_draft else None
        manifest = {"corpus": str(corpus), "reports": len(intake.metadata), "metadata": str(table or ""),
                    "draft": draft.name if draft else "", "draft_sha256": _manifest(out).get("draft_sha256", "")}
        if draft is not None:
            manifest["draft_sha256"] = hashlib.sha256(
                intake.metadata.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")).hexdigest()
        _swap_in(build, out, manifest)
        if draft is not None:
            write_draft(intake.metadata, draft)
    except KeyboardInterrupt:
        _clean_up(build, out, created)
        raise StudyInterrupted(f"interrupted: the previous result in {out} is unchanged") from None
    except NotebookFailed:
        raise  # the partial build stays, marked INCOMPLETE, so that the failed cell can be read and reported
    except StudyError:
        _clean_up(build, out, created)
        raise
    return StudyResult(out / "site" / "index.html", intake, draft, table)


def _clean_up(build: Path, out: Path, created: bool) -> None:
    """Remove the partial build, and when this run created the output folder, its cache and the folder itself."""
    shutil.rmtree(build, ignore_errors=True)
    if created:
        shutil.rmtree(out / _CACHE, ignore_errors=True)  # this run's store and caches: nothing else was there
    if created and out.is_dir() and not any(out.iterdir()):
        out.rmdir()


@contextlib.contextmanager
def _kernels_quiet(log: Path):
    """Point file descriptor 2, which notebook kernels inherit, at ``log`` while they run.

    Their shutdown noise on Ctrl-C (tracebacks from their sockets) then never reaches the terminal; progress bars
    still do.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    terminal = os.fdopen(os.dup(saved), "w", buffering=1, encoding=getattr(sys.stderr, "encoding", None) or "utf-8")
    with open(log, "ab") as sink:
        os.dup2(sink.fileno(), 2)
    previous, sys.stderr = sys.stderr, terminal
    try:
        yield
    finally:
        terminal.flush()
        sys.stderr = previous
        os.dup2(saved, 2)
        os.close(saved)
        terminal.close()


def _terminate(signum, frame):  # pragma: no cover - exercised by the interrupt test in a subprocess
    raise KeyboardInterrupt


def main_study(corpus: str, out: str, metadata: str | None = None) -> int:
    """Command-line wrapper: one-line messages, the files table at the end, exit codes as documented above."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        result = run_study(Path(corpus), Path(out), metadata=Path(metadata) if metadata else None)
    except StudyInterrupted as exc:
        print(f"{exc}", file=sys.stderr)
        return 130
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    intake = result.intake
    counts = intake.counts()
    print("files: " + ", ".join(f"{n} {status}" for status, n in counts.items()) + f" — listed in {Path(out) / 'files.csv'}")
    listing = skipped_summary(intake.files)
    if listing:
        print(listing)
    if result.draft is not None:
        inferred = int((intake.metadata["inferred"] != "").sum())
        no_region = int((intake.metadata["macro_region"] == "").sum())
        print(f"metadata: {inferred} report(s) have fields inferred from their text and {no_region} have no province "
              f"yet; check the draft {result.draft}, complete it, and save it as {Path(out) / 'reports.csv'} (or as "
              f"reports.csv in the corpus folder) — the next run uses it.")
    print(f"site written: {result.index} — open it in a browser; figures in {result.index.parent.parent / 'figures'}")
    return 0
