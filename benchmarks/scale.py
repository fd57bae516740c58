"""How the store's build scales: M characters/s end to end, 1 and 2 workers, cold and warm, peak memory.

Run ``make bench`` (or ``.venv/bin/python benchmarks/scale.py --reports 1000 10000``). For each corpus size it
builds a deterministic synthetic corpus from the bundled reports' own items (:mod:`helpers.synthetic`; cached
in ``build/bench/``), then times, each in a fresh process, ``python -m helpers build``:

* cold with 1 and with 2 workers (an empty store), warm (nothing changed), and incremental (10 new reports);
* peak RSS of the whole process tree (the build and its workers), sampled every 20 ms with psutil;

and, in this process over the same texts, bare ``jieba.lcut`` and bare ``rjieba`` (HMM off, no lexicon): the
yardstick the issue sets (end to end ≥ 3.5× bare jieba). Figures are printed, never asserted: timings belong
here, not in the test suite. Nothing here is a finding about reports.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "build" / "bench"


def corpus(n: int, seed: int = 1) -> Path:
    """A synthetic corpus of ``n`` reports (written once, then reused)."""
    from helpers import synthetic
    from helpers.corpus import load_corpus

    folder = BENCH / f"corpus-{n}"
    if not (folder / ".complete").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        pool = synthetic.item_pool(load_corpus())
        synthetic.write_corpus(folder, synthetic.synthetic_reports(n, pool, seed=seed))
        (folder / ".complete").write_text("", encoding="utf-8")
    return folder


#: The largest resident size of any one process of the last :func:`run` (MiB): a notebook's kernel, a worker.
LARGEST = {"MiB": 0.0}


def run(args: list[str]) -> tuple[float, float, str]:
    """Run a command; returns (seconds, peak RSS of its process tree in MiB, stdout).

    The peak of its largest single process is left in :data:`LARGEST`.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    parent = psutil.Process(proc.pid)
    peak = largest = 0
    while proc.poll() is None:
        try:
            sizes = [p.memory_info().rss for p in [parent, *parent.children(recursive=True)] if p.is_running()]
            peak, largest = max(peak, sum(sizes)), max(largest, *sizes)
        except psutil.Error:
            pass
        time.sleep(0.02)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err}")
    LARGEST["MiB"] = largest / 2**20
    return seconds, peak / 2**20, out


def build(folder: Path, store: Path, workers: int) -> tuple[float, float, str]:
    """Time ``python -m helpers build`` of ``folder`` into ``store``: (seconds, peak RSS MiB, stdout)."""
    return run([sys.executable, "-m", "helpers", "build", "--corpus", str(folder), "--store", str(store),
                "--workers", str(workers)])


def bare_rates(folder: Path) -> dict[str, float]:
    """M characters/s of bare jieba and bare rjieba (HMM off, no lexicon) over the corpus's texts."""
    import logging

    import jieba
    import rjieba

    jieba.setLogLevel(logging.WARNING)
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    chars = sum(map(len, texts))
    tok = jieba.Tokenizer()
    tok.initialize()
    fast = rjieba.Jieba()
    rates = {}
    for name, cut in (("jieba", lambda t: tok.lcut(t, HMM=False)), ("rjieba", lambda t: fast.cut(t, False))):
        start = time.perf_counter()
        for text in texts:
            cut(text)
        rates[name] = chars / (time.perf_counter() - start) / 1e6
    return rates


def stage_rates(folder: Path, limit: int = 1000) -> dict[str, float]:
    """M characters/s of each step of the per-report step, in this process, over the first ``limit`` reports."""
    from helpers import citations, indicators, structure, themes
    from helpers.corpus import report_from_raw
    from helpers.intake import _read, plan_corpus
    from helpers.metadata import infer_row
    from helpers.pipeline import _codebooks, _tokeniser
    from helpers.tokenise import default_backend, token_arrays

    candidates = plan_corpus(folder).order[:limit]
    tokeniser, books = _tokeniser(default_backend()), _codebooks()
    tokeniser.cut("热身")
    spent: dict[str, float] = {}

    def timed(name, work):
        start = time.perf_counter()
        value = work()
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
        return value

    reports, chars = [], 0
    for c in candidates:
        raw = timed("read", lambda c=c: _read(c))
        report = timed("normalise + segment", lambda raw=raw: report_from_raw(raw, raw.file))
        timed("infer metadata", lambda r=report: infer_row(r))
        reports.append(report)
        chars += len(raw.text)
    items = timed("parts + items tables", lambda: (structure.parts_table(reports), structure.items_table(reports))[1])
    timed("tokenise (tokens table)", lambda: token_arrays(reports, tokeniser))
    timed("claims", lambda: indicators.claims_table(reports))
    timed("citations", lambda: citations.cited_documents(reports))
    timed("code items", lambda: themes.code_items(items, *books))
    return {name: chars / seconds / 1e6 for name, seconds in spent.items()} | {
        "all steps, one core": chars / sum(spent.values()) / 1e6}


def main() -> int:
    """Print the benchmark's tables and figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--study", action="store_true", help="also time the whole study on the largest corpus")
    parser.add_argument("--memory-at", type=int, nargs="*", default=[],
                        help="also build these sizes cold on every core, for peak memory only (e.g. 20000)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"Python {platform.python_version()}")
    print("| reports | M chars | workers | cold s | cold M chars/s | peak RSS MiB | warm s | cold/warm | +10 reports s "
          "| bare jieba M chars/s | bare rjieba M chars/s | end to end / bare jieba |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    runs: dict[tuple[int, int], dict[str, float]] = {}  # (reports, workers) → this run's figures, for the verdicts
    for n in args.reports:
        folder = corpus(n)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))
        bare = bare_rates(folder)
        for workers in args.workers:
            store = BENCH / f"store-{n}-{workers}"
            shutil.rmtree(store, ignore_errors=True)
            cold, peak, _ = build(folder, store, workers)
            largest = LARGEST["MiB"]  # of the cold build: the runs below set it again
            warm, _, out = build(folder, store, workers)
            assert "up to date" in out, out
            extra = corpus(10, seed=10_000 + n)
            added = BENCH / f"added-{n}"
            shutil.rmtree(added, ignore_errors=True)
            shutil.copytree(folder, added, copy_function=os.link)
            for p in extra.glob("*.txt"):
                shutil.copy(p, added / f"new_{p.name}")
            moved = BENCH / f"store-{n}-{workers}-added"
            shutil.rmtree(moved, ignore_errors=True)
            shutil.copytree(store, moved)
            # the store records its corpus; a copy of the corpus with 10 more reports is another corpus to it, but
            # every report already in the store is reused: only the 10 new ones are computed
            incremental, _, out = build(added, moved, workers)
            assert "text 10, meta 10, lexicon 10, codebook 10" in out, out
            rate = chars / cold / 1e6
            runs[(n, workers)] = {"rate": rate, "ratio": rate / bare["jieba"], "peak": peak, "largest": largest,
                                  "warm": cold / warm, "added": incremental}
            print(f"| {n:,} | {chars / 1e6:.1f} | {workers} | {cold:.1f} | {rate:.2f} | {peak:.0f} | {warm:.2f} | "
                  f"{cold / warm:.0f}× | {incremental:.1f} | {bare['jieba']:.2f} | {bare['rjieba']:.1f} | "
                  f"{rate / bare['jieba']:.2f}× |")
            shutil.rmtree(moved, ignore_errors=True)
            shutil.rmtree(added, ignore_errors=True)
    memory_at: dict[int, tuple[float, float]] = {}
    study_ratio = None
    for n in args.memory_at:  # does memory stay flat as the corpus grows? a cold build on every core, larger
        folder = corpus(n)
        store = BENCH / f"store-{n}-memory"
        shutil.rmtree(store, ignore_errors=True)
        seconds, peak, _ = build(folder, store, os.cpu_count() or 1)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))
        memory_at[n] = (peak, LARGEST["MiB"])
        print(f"\ncold build of {n:,} reports ({chars / 1e6:.1f} M chars) on {os.cpu_count()} workers: {seconds:.1f} s "
              f"({chars / seconds / 1e6:.2f} M chars/s), peak RSS {peak:.0f} MiB (its largest process "
              f"{LARGEST['MiB']:.0f} MiB)")
        shutil.rmtree(store, ignore_errors=True)
    if args.study:  # the whole study (build, notebooks, site) on the largest corpus, against bare jieba on it
        n = max(args.reports)
        folder = corpus(n)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))
        out = BENCH / f"study-{n}"
        shutil.rmtree(out, ignore_errors=True)
        study = [sys.executable, "-m", "helpers", "study", "--corpus", str(folder), "--out", str(out)]
        seconds, peak, _ = run(study)
        largest_process = LARGEST["MiB"]
        # again on the same output folder: its store is built (nothing to compute), so this is the notebooks and
        # the site (with the corpus folder surveyed again and the store found up to date)
        again, peak_again, _ = run(study)
        jieba_seconds = chars / bare_rates(folder)["jieba"] / 1e6
        study_ratio = seconds / jieba_seconds
        largest = max(p.stat().st_size for p in (out / "site").glob("*.html")) / 2**20
        print(f"\nwhole study of {n:,} reports, cold (build on every core, notebooks, site): {seconds:.0f} s, peak RSS "
              f"{peak:.0f} MiB (all its processes; its largest one alone {largest_process:.0f} MiB), largest page "
              f"{largest:.1f} MiB; bare jieba tokenising the same texts: "
              f"{jieba_seconds:.0f} s ({seconds / jieba_seconds:.2f}× its time)")
        print(f"the same study again, its store built (notebooks and site): {again:.0f} s, peak RSS {peak_again:.0f} MiB "
              f"(largest process {LARGEST['MiB']:.0f} MiB) ({again / jieba_seconds:.2f}× bare jieba's time)")
        shutil.rmtree(out, ignore_errors=True)
    rates = stage_rates(corpus(args.reports[0]))
    print("\nwhere the time goes (one core, in process, first 1 000 reports): "
          + "; ".join(f"{name} {rate:.2f}" for name, rate in rates.items()) + " M chars/s")
    print("targets (issue 10): end to end ≥ 2 M chars/s with both cores (≥ 3.5× bare jieba); peak RSS ≤ 2 GiB at 10 000 "
          "and no higher at 20 000; warm ≥ 20× faster than cold; 10 new reports in seconds; the whole study of "
          "10 000 reports in less time than bare jieba takes to tokenise them.")
    for line in verdicts(runs, memory_at, study_ratio):
        print(line)
    return 0


#: Bare jieba's rate (M characters/s, HMM off) on the machine and day the issue set its targets: its 2 M
#: characters/s is 3.5× this. This machine's speed moves by up to a half from run to run, so the absolute target
#: is read as the ratio in the same run, and the rate is also shown scaled to this reference.
ISSUE_JIEBA = 0.56


def verdicts(runs: dict[tuple[int, int], dict[str, float]], memory_at: dict[int, tuple[float, float]],
             study_ratio: float | None) -> list[str]:
    """One line per target of issue 10: this run's figure against it, and whether it is met (``met`` / ``NOT met``)."""
    def said(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = ["\nthis run against the targets:"]
    both = max((key for key in runs if key[1] == max(w for _, w in runs)), default=None)
    if both is None:
        return lines + ["  no build was timed"]
    n, workers = both
    r = runs[both]
    lines.append(f"  end to end, {n:,} reports, {workers} workers: {r['ratio']:.2f}× bare jieba (≥ 3.5×: "
                 f"{said(r['ratio'] >= 3.5)}); {r['rate']:.2f} M chars/s on this machine today, "
                 f"{r['ratio'] * ISSUE_JIEBA:.2f} M chars/s at the issue's bare jieba of {ISSUE_JIEBA} (≥ 2: "
                 f"{said(r['ratio'] * ISSUE_JIEBA >= 2)}; ≥ 2 on this machine today: {said(r['rate'] >= 2)})")
    lines.append(f"  peak RSS at {n:,} reports: {r['peak']:.0f} MiB (≤ 2 GiB: {said(r['peak'] <= 2048)})")
    for m, (peak, largest) in sorted(memory_at.items()):
        lines.append(f"  peak RSS at {m:,} reports: {peak:.0f} MiB, {100 * (peak / r['peak'] - 1):+.0f} % of "
                     f"{n:,}'s; its largest process (a worker) {largest:.0f} MiB, {100 * (largest / r['largest'] - 1):+.0f} %")
    lines.append(f"  warm re-run: {r['warm']:.0f}× faster than cold (≥ 20×: {said(r['warm'] >= 20)})")
    lines.append(f"  10 new reports beside {n:,}: {r['added']:.1f} s (seconds, not minutes: {said(r['added'] < 60)})")
    if study_ratio is not None:
        lines.append(f"  the whole study of {n:,} reports: {study_ratio:.2f}× bare jieba's time (< 1: "
                     f"{said(study_ratio < 1)})")
    return lines


if __name__ == "__main__":
    sys.exit(main())
