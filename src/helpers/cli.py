"""Command-line entry points: ``python -m helpers segment FILE...``, ``build``, ``site`` and ``study --corpus --out``.

``build --corpus DIR --store DIR`` runs the per-report step over a corpus into the Parquet store
(:mod:`helpers.store`): on every core of this machine, or on a Dask cluster with ``--engine dask --scheduler
tcp://HOST:8786``; only what is new or changed is processed. It prints one line of what it did and the files
it did not analyse; exit code 0, or 2 when the corpus or store cannot be used.

``segment`` prints a CSV with one row per part of each file: ``file,part,heading,start,end,items``
(``heading`` is the heading line as written in the file, ``start``/``end`` are offsets into
the normalised text, ``items`` the number of items in the part). Any ``.txt`` file in a supported encoding
works, with or without metadata. Problems with a file are reported on stderr with its name; the exit code is
1 when any file could not be read.
"""

from __future__ import annotations

import argparse
import csv
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from helpers.corpus import load_report
from helpers.errors import StudyError
from helpers.structure import parts_table


def _segment(files: Sequence[str]) -> int:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["file", "part", "heading", "start", "end", "items"])
    status = 0
    for file in files:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                report = load_report(file)
        except StudyError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        except OSError as exc:  # anything the reader did not name already: still one line, and go on
            print(f"error: {file}: cannot be read ({exc.strerror or exc})", file=sys.stderr)
            status = 1
            continue
        for w in caught:
            print(f"warning: {w.message}", file=sys.stderr)
        table = parts_table([report])
        for row in table.itertuples():
            writer.writerow([file, row.part, row.heading_raw, row.start, row.end, row.items])
    return status


def _build(args: argparse.Namespace) -> int:
    from helpers.intake import skipped_summary
    from helpers.store import build

    try:
        result = build(args.corpus, args.store, args.metadata, workers=args.workers, engine=args.engine,
                       scheduler=args.scheduler, batch_size=args.batch_size, progress=sys.stderr.isatty())
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if any(result.processed.values()):
        done = ", ".join(f"{stage} {n}" for stage, n in result.processed.items())
        rate = result.computed_chars / result.seconds / 1e6 if result.seconds else 0.0
        done = f"computed {done} reports in {result.seconds:.1f} s ({rate:.2f} M characters/s)"
    else:
        done = f"up to date, nothing computed ({result.seconds:.1f} s)"
    print(f"store {args.store}: {result.reports} reports, {result.chars:,} characters; {done}")
    summary = skipped_summary(result.files)
    if summary:
        print("not analysed:\n" + summary)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m helpers", description="Tools of the 法治政府建设 report study.")
    commands = parser.add_subparsers(dest="command", required=True)
    seg = commands.add_parser("segment", help="print one CSV row per part of each report file")
    seg.add_argument("files", nargs="+", metavar="FILE", help="report files (.txt: UTF-8, UTF-8 with BOM, GB18030)")
    site = commands.add_parser("site", help="render executed notebooks and figures into a static HTML site")
    site.add_argument("--notebooks", default=None, help="folder of executed notebooks (default: notebooks/)")
    site.add_argument("--figures", default=None, help="folder of exported figures (default: figures/)")
    site.add_argument("--out", default=None, help="site folder (default: site/)")
    study = commands.add_parser("study", help="run the whole study on a folder of reports into an output folder")
    study.add_argument("--corpus", required=True, help="folder of reports (.txt/.docx/.pdf/.html), with or without reports.csv")
    study.add_argument("--out", required=True, help="output folder for the executed notebooks, figures and site "
                       "(new, empty, or an earlier run's; never inside the corpus folder)")
    study.add_argument("--metadata", default=None, help="metadata table to use (default: CORPUS/reports.csv, else "
                       "OUT/reports.csv; without one, metadata are inferred and a draft is written)")
    build = commands.add_parser("build", help="build (or bring up to date) the Parquet store of a corpus")
    build.add_argument("--corpus", required=True, help="folder of reports, with or without reports.csv")
    build.add_argument("--store", required=True, help="store folder (new, empty, or an earlier build's)")
    build.add_argument("--metadata", default=None, help="metadata table (default: CORPUS/reports.csv if present)")
    build.add_argument("--workers", type=int, default=None, help="worker processes (default: every core)")
    build.add_argument("--engine", choices=("processes", "dask"), default="processes",
                       help="processes on this machine (default), or dask: the workers of a Dask cluster")
    build.add_argument("--scheduler", default=None, help="the Dask scheduler's address, tcp://HOST:8786")
    build.add_argument("--batch-size", type=int, default=None, help="reports per batch (default: from the corpus size)")
    args = parser.parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "study":
        from helpers.study import main_study

        return main_study(args.corpus, args.out, args.metadata)
    if args.command == "segment":
        return _segment(args.files)
    if args.command == "site":
        from helpers.explore import ITEMS_LINK, write_site_explorer
        from helpers.paths import FIGURES, NOTEBOOKS, SITE, relative
        from helpers.site import build_site, site_nav

        folder = Path(args.notebooks) if args.notebooks else NOTEBOOKS
        notebooks = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
        out = Path(args.out) if args.out else SITE
        # the explorer first: the pages link to it only if it could be written (it needs the store)
        items, explorer_note = write_site_explorer(out, nav=site_nav(notebooks, [ITEMS_LINK]))
        index = build_site(notebooks, out, Path(args.figures) if args.figures else FIGURES,
                           extra_links=[ITEMS_LINK] if items else [])
        print(f"site written: {relative(index)}")
        print(explorer_note)
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands
